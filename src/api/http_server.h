// HttpServer: HTTP/1.1 over Boost.Beast/Asio. One io_context run by one
// thread per core; keep-alive; header and body read timeouts; a request
// body limit answered with 413; graceful drain: Shutdown() stops accepting,
// lets requests in flight finish (up to drain_timeout), closes idle
// connections, then returns from Run().
//
//   HttpServer server(options, handler);
//   RETURN_IF_ERROR(server.Listen());     // binds; port() is known now
//   server.Run();                         // blocks until Shutdown() completes
#ifndef TAILOR_API_HTTP_SERVER_H_
#define TAILOR_API_HTTP_SERVER_H_

#include <cstdint>
#include <memory>
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
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, RequestHandler handler);
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
