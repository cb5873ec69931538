#include "api/http_server.h"

#include <sys/resource.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "api/problem.h"
#include "spdlog/spdlog.h"

namespace tailor::api {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {
std::chrono::steady_clock::duration ToChrono(absl::Duration d) {
  return std::chrono::microseconds(absl::ToInt64Microseconds(d));
}

size_t DefaultMaxConnections() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 10000;
  constexpr rlim_t kReserve = 64;
  return static_cast<size_t>(std::max<rlim_t>(
      16, limit.rlim_cur > kReserve * 2 ? limit.rlim_cur - kReserve : limit.rlim_cur / 2));
}

// The answer to a connection over the cap, written before closing it.
std::string OverloadedAnswer() {
  HttpResponse res = Problem(503, "overloaded", "Too many connections",
                             "the server is at its connection limit; retry shortly",
                             {{"connection", "over the server's limit"}});
  return "HTTP/1.1 503 Service Unavailable\r\nServer: tailor\r\nConnection: close\r\n"
         "Retry-After: 1\r\nContent-Type: " +
         res.content_type + "\r\nContent-Length: " + std::to_string(res.body.size()) + "\r\n\r\n" +
         res.body;
}
}  // namespace

class HttpServer::Impl {
 public:
  class Session;

  Impl(ServerOptions options, RequestHandler handler, HeadCheck head_check)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        head_check_(std::move(head_check)),
        iocs_(MakeContexts(options_.threads)),
        ioc_(*iocs_[0]),
        acceptor_(ioc_),
        signals_(ioc_, SIGINT, SIGTERM),
        drain_timer_(ioc_),
        accept_timer_(ioc_) {
    if (options_.max_connections == 0) options_.max_connections = DefaultMaxConnections();
  }

  const std::string overloaded_ = OverloadedAnswer();

  static std::vector<std::unique_ptr<net::io_context>> MakeContexts(int threads) {
    int n =
        threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::unique_ptr<net::io_context>> out;
    for (int i = 0; i < n; ++i) out.push_back(std::make_unique<net::io_context>(1));
    return out;
  }

  absl::Status Listen();
  void Run();
  void Shutdown();
  void Accept();
  void OnAcceptError(beast::error_code ec);
  void DrainTick(std::chrono::steady_clock::time_point deadline);

  // Session registry, for closing idle connections on shutdown.
  uint64_t Register(std::weak_ptr<Session> s) {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    uint64_t id = next_session_id_++;
    sessions_[id] = std::move(s);
    return id;
  }
  void Unregister(uint64_t id) {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    sessions_.erase(id);
  }

  // The registry outlives the io_context: destroying the context destroys
  // pending handlers, which may hold the last reference to a session.
  std::mutex sessions_mu_;
  std::map<uint64_t, std::weak_ptr<Session>> sessions_;
  uint64_t next_session_id_ = 1;
  ServerOptions options_;
  RequestHandler handler_;
  HeadCheck head_check_;
  // One io_context per thread: a connection lives on one thread, so there is
  // no cross-thread handoff (and no strand) on the request path.
  std::vector<std::unique_ptr<net::io_context>> iocs_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> work_;
  size_t next_ioc_ = 0;
  net::io_context& ioc_;  // iocs_[0]: acceptor, signals, drain timer
  tcp::acceptor acceptor_;
  net::signal_set signals_;
  net::steady_timer drain_timer_;
  // Accept errors (out of descriptors): retried after a pause, logged at
  // most every 10 s. Touched on ioc_'s thread only.
  net::steady_timer accept_timer_;
  std::chrono::steady_clock::time_point accept_error_logged_{};
  uint64_t accept_errors_unlogged_ = 0;
  std::atomic<bool> draining_{false};
  std::atomic<uint16_t> port_{0};
};

class HttpServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Impl* server) : stream_(std::move(socket)), server_(server) {}
  ~Session() { server_->Unregister(id_); }

  void Start() {
    id_ = server_->Register(weak_from_this());
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // Called on shutdown: close now if waiting for a request, else after the
  // response in flight.
  void CloseWhenIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.socket().close(ec);
      }
    });
  }

 private:
  void ReadHeader() {
    if (server_->draining_) return Close();
    parser_.emplace();
    // The body limit is applied once the head has been checked (OnHeader),
    // so an unauthenticated client learns nothing about it.
    parser_->body_limit(boost::none);
    parser_->header_limit(static_cast<uint32_t>(server_->options_.header_limit));
    busy_ = false;
    stream_.expires_after(ToChrono(server_->options_.header_timeout));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    busy_ = true;
    if (ec) return OnReadError(ec);
    auto& req = parser_->get();
    // Only chunked framing is understood: any other transfer coding would
    // leave the body to be read as the next request (smuggling).
    std::string_view te = req[http::field::transfer_encoding];
    if (!te.empty() && !beast::iequals(Trim(te), "chunked")) {
      keep_alive_ = false;
      return Write(Problem(400, "unsupported-transfer-encoding", "Transfer coding not supported",
                           "only Transfer-Encoding: chunked is supported",
                           {{"Transfer-Encoding", "must be chunked"}}),
                   req.version());
    }
    if (server_->head_check_) {
      HttpRequest head;
      head.method = std::string(req.method_string());
      head.target = std::string(req.target());
      head.authorization = std::string(req[http::field::authorization]);
      head.content_type = std::string(req[http::field::content_type]);
      if (std::optional<HttpResponse> answer = server_->head_check_(head)) {
        // The body, if any, is left unread: close after answering.
        keep_alive_ = parser_->is_done() && req.keep_alive();
        return Write(*std::move(answer), req.version());
      }
    }
    const size_t limit = server_->options_.body_limit;
    if (auto length = parser_->content_length(); length && *length > limit) {
      keep_alive_ = false;
      return Write(Problem(413, "payload-too-large", "Request body too large",
                           "the request body exceeds the server's limit",
                           {{"body", "must be at most " + std::to_string(limit) + " bytes"}}),
                   req.version());
    }
    parser_->body_limit(limit);  // chunked bodies: checked as they arrive
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      // Answer the interim response so clients send the body.
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                     req.version());
      http::async_write(stream_, *cont,
                        [self = shared_from_this(), cont](beast::error_code ec, size_t) {
                          if (ec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    // Bodiless requests (most GETs) are complete once the header is parsed.
    if (parser_->is_done()) return Dispatch();
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(ToChrono(server_->options_.body_timeout));
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->OnReadError(ec);
                       self->Dispatch();
                     });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        ec == net::error::eof) {
      return Close();
    }
    // The request could not be read; answer once and close.
    HttpResponse res;
    if (ec == http::error::body_limit) {
      res = Problem(
          413, "payload-too-large", "Request body too large",
          "the request body exceeds the server's limit",
          {{"body", "must be at most " + std::to_string(server_->options_.body_limit) + " bytes"}});
    } else if (ec == http::error::header_limit) {
      res = Problem(431, "headers-too-large", "Request headers too large",
                    "the request headers exceed the server's limit", {{"headers", "too large"}});
    } else {
      res = Problem(400, "malformed-http", "Malformed HTTP request", ec.message(),
                    {{"request", "malformed HTTP: " + ec.message()}});
    }
    keep_alive_ = false;
    Write(std::move(res), 11);
  }

  void Dispatch() {
    auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    version_ = req.version();
    HttpRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.authorization = std::string(req[http::field::authorization]);
    request.content_type = std::string(req[http::field::content_type]);
    request.body = std::move(req.body());
    stream_.expires_never();
    auto self = shared_from_this();
    server_->handler_(std::move(request), [self](HttpResponse res) {
      net::post(self->stream_.get_executor(), [self, res = std::move(res)]() mutable {
        self->Write(std::move(res), self->version_);
      });
    });
  }

  void Write(HttpResponse res, unsigned version) {
    auto msg = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(res.status), version);
    msg->set(http::field::server, "tailor");
    if (res.status != 204) msg->set(http::field::content_type, res.content_type);
    for (auto& [k, v] : res.headers) msg->set(k, v);
    bool keep = keep_alive_ && !server_->draining_;
    msg->keep_alive(keep);
    msg->body() = std::move(res.body);
    msg->prepare_payload();
    stream_.expires_after(ToChrono(server_->options_.body_timeout));
    http::async_write(stream_, *msg,
                      [self = shared_from_this(), msg, keep](beast::error_code ec, size_t) {
                        if (ec) return self->Close();
                        if (!keep) return self->LingerClose();
                        self->ReadHeader();
                      });
  }

  static std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  }

  // Closing a socket with unread input resets the connection, and a client
  // still sending its body (after a 413 or 401) loses the answer. So: stop
  // sending, drop what arrives until the peer closes or the linger budget
  // ends, then close.
  void LingerClose() {
    busy_ = false;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    linger_left_ = server_->options_.linger_bytes;
    stream_.expires_after(ToChrono(server_->options_.linger_timeout));
    Drain();
  }

  void Drain() {
    if (linger_left_ == 0) return Close();
    drain_buffer_.resize(16 << 10);
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->Close();
                              self->linger_left_ -= std::min(n, self->linger_left_);
                              self->Drain();
                            });
  }

  void Close() {
    busy_ = false;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  Impl* server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool keep_alive_ = true;
  bool busy_ = false;
  size_t linger_left_ = 0;
  std::vector<char> drain_buffer_;
  unsigned version_ = 11;
  uint64_t id_ = 0;
};

absl::Status HttpServer::Impl::Listen() {
  beast::error_code ec;
  auto address = net::ip::make_address(options_.host, ec);
  if (ec) return absl::InvalidArgumentError("invalid listen address: " + options_.host);
  tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError("cannot listen on " + options_.host + ":" +
                                  std::to_string(options_.port) + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  signals_.async_wait([this](beast::error_code ec, int sig) {
    if (!ec) {
      spdlog::info("received signal {}, draining", sig);
      Shutdown();
    }
  });
  Accept();
  return absl::OkStatus();
}

void HttpServer::Impl::Accept() {
  net::io_context& target = *iocs_[next_ioc_++ % iocs_.size()];
  acceptor_.async_accept(target, [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
      return OnAcceptError(ec);
    }
    size_t open;
    {
      std::lock_guard<std::mutex> lock(sessions_mu_);
      open = sessions_.size();
    }
    if (open >= options_.max_connections) {
      // Over the cap: say so and close, without a session.
      net::write(socket, net::buffer(overloaded_), ec);
      // Stop sending, and read what already arrived (a request sent at
      // once), so closing does not reset the connection and lose the 503.
      socket.shutdown(tcp::socket::shutdown_send, ec);
      socket.non_blocking(true, ec);
      std::array<char, 16 << 10> drain;
      for (int i = 0; i < 4 && socket.read_some(net::buffer(drain), ec) > 0;) ++i;
      socket.close(ec);
    } else {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(socket), this)->Start();
    }
    if (!draining_) Accept();
  });
}

void HttpServer::Impl::OnAcceptError(beast::error_code ec) {
  // A client that gave up before accept() is routine: accept the next.
  if (ec == net::error::connection_aborted) {
    if (!draining_) Accept();
    return;
  }
  // Out of descriptors (EMFILE, ENFILE) or memory: the pending connection
  // stays queued and accept() would fail again at once. Pause, so the
  // threads serving open connections can finish and free descriptors.
  ++accept_errors_unlogged_;
  auto now = std::chrono::steady_clock::now();
  if (now - accept_error_logged_ >= std::chrono::seconds(10)) {
    spdlog::warn("accept failed: {} ({} times since the last report); pausing accepts",
                 ec.message(), accept_errors_unlogged_);
    accept_errors_unlogged_ = 0;
    accept_error_logged_ = now;
  }
  accept_timer_.expires_after(std::chrono::milliseconds(100));
  accept_timer_.async_wait([this](beast::error_code wait_ec) {
    if (!wait_ec && !draining_) Accept();
  });
}

void HttpServer::Impl::Run() {
  for (auto& ioc : iocs_) work_.push_back(net::make_work_guard(*ioc));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < iocs_.size(); ++i) threads.emplace_back([this, i] { iocs_[i]->run(); });
  iocs_[0]->run();
  for (auto& t : threads) t.join();
}

void HttpServer::Impl::Shutdown() {
  net::post(ioc_, [this] {
    if (draining_.exchange(true)) return;
    beast::error_code ec;
    acceptor_.close(ec);
    accept_timer_.cancel();
    signals_.cancel(ec);
    {
      std::lock_guard<std::mutex> lock(sessions_mu_);
      for (auto& [id, weak] : sessions_) {
        if (auto s = weak.lock()) s->CloseWhenIdle();
      }
    }
    DrainTick(std::chrono::steady_clock::now() + ToChrono(options_.drain_timeout));
  });
}

void HttpServer::Impl::DrainTick(std::chrono::steady_clock::time_point deadline) {
  size_t open;
  {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    open = sessions_.size();
  }
  if (open == 0 || std::chrono::steady_clock::now() >= deadline) {
    if (open > 0) spdlog::warn("drain timeout: closing {} connections", open);
    work_.clear();
    for (auto& ioc : iocs_) ioc->stop();
    return;
  }
  drain_timer_.expires_after(std::chrono::milliseconds(20));
  drain_timer_.async_wait([this, deadline](beast::error_code) { DrainTick(deadline); });
}

HttpServer::HttpServer(ServerOptions options, RequestHandler handler, HeadCheck head_check)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(head_check))) {
}
HttpServer::~HttpServer() = default;
absl::Status HttpServer::Listen() { return impl_->Listen(); }
uint16_t HttpServer::port() const { return impl_->port_; }
void HttpServer::Run() { impl_->Run(); }
void HttpServer::Shutdown() { impl_->Shutdown(); }

}  // namespace tailor::api
