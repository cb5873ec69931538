// HttpServer: HTTP/1.1 over Boost.Beast/Asio. One io_context run by one
// thread per core; keep-alive; header and body read timeouts; a request
// body limit answered with 413; graceful drain: Shutdown() stops accepting,
// lets requests in flight finish (up to drain_timeout), closes idle
// connections, then returns from Run().
//
// Hardening: a head check (route, credentials) runs before any body is
// read or "100 Continue" sent; a Transfer-Encoding other than chunked is
// refused; after an error answer the connection is closed lingering (the
// unread request is drained for a while) so clients that send the whole
// body first still read the answer; connections are capped (beyond the cap
// a connection gets 503) and running out of descriptors backs off instead
// of spinning.
//
//   HttpServer server(options, handler);
//   RETURN_IF_ERROR(server.Listen());     // binds; port() is known now
//   server.Run();                         // blocks until Shutdown() completes
#ifndef TAILOR_API_HTTP_SERVER_H_
#define TAILOR_API_HTTP_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "api/http_types.h"

namespace tailor::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 = any free port
  int threads = 0;       // 0 = one per core
  size_t body_limit = 8 << 20;
  size_t header_limit = 16 << 10;
  absl::Duration header_timeout = absl::Seconds(30);  // also the keep-alive idle limit
  absl::Duration body_timeout = absl::Seconds(30);
  absl::Duration drain_timeout = absl::Seconds(15);
  // Open connections at most; 0 = the descriptor limit (RLIMIT_NOFILE)
  // less 64 for the store, logs and listeners.
  size_t max_connections = 0;
  // After an error answer, unread request bytes are read and dropped for up
  // to this long (and this many bytes) before the connection closes.
  absl::Duration linger_timeout = absl::Seconds(5);
  size_t linger_bytes = 64 << 20;
};

// Looks at a request's head (its body is empty and not yet read): an answer
// is sent as is and the body is never read; nothing lets the request go on.
using HeadCheck = std::function<std::optional<HttpResponse>(const HttpRequest& head)>;

class HttpServer {
 public:
  HttpServer(ServerOptions options, RequestHandler handler, HeadCheck head_check = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens. After it returns OK, port() is the bound port.
  absl::Status Listen();
  uint16_t port() const;
  // Serves until Shutdown() has drained; also installs SIGINT/SIGTERM
  // handlers that call Shutdown().
  void Run();
  // Thread-safe and idempotent.
  void Shutdown();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tailor::api

#endif  // TAILOR_API_HTTP_SERVER_H_
