// A webhook receiver for end-to-end tests: a plain HTTP server on a free
// loopback port that records each POST (headers and body) and answers 500
// to the first `failures` of them, 204 after.
#ifndef TAILOR_TESTS_E2E_WEBHOOK_RECEIVER_H_
#define TAILOR_TESTS_E2E_WEBHOOK_RECEIVER_H_

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tailor::e2e {

struct Received {
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// Answers each POST with 500 for the first `failures`, then 204, each after
// `delay_ms` (one connection at a time).
class Receiver {
 public:
  explicit Receiver(int failures, int delay_ms = 0) : failures_(failures), delay_ms_(delay_ms) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    ::listen(fd_, 16);
    thread_ = std::thread([this] { Loop(); });
  }
  ~Receiver() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  uint16_t port() const { return port_; }
  std::vector<Received> received() {
    std::lock_guard lock(mu_);
    return received_;
  }
  int attempts() const { return attempts_; }

 private:
  void Loop() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string data;
      char buf[4096];
      size_t header_end = std::string::npos, want = 0;
      for (;;) {
        ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        data.append(buf, n);
        if (header_end == std::string::npos &&
            (header_end = data.find("\r\n\r\n")) != std::string::npos) {
          std::string lower = data.substr(0, header_end);
          for (char& ch : lower)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          size_t at = lower.find("content-length:");
          want = at == std::string::npos ? 0 : std::stoul(lower.substr(at + 15));
        }
        if (header_end != std::string::npos && data.size() >= header_end + 4 + want) break;
      }
      Received r;
      if (header_end != std::string::npos) {
        size_t pos = data.find("\r\n") + 2;
        while (pos < header_end) {
          size_t eol = data.find("\r\n", pos);
          std::string line = data.substr(pos, eol - pos);
          size_t colon = line.find(':');
          std::string name = line.substr(0, colon);
          for (char& ch : name)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
          pos = eol + 2;
        }
        r.body = data.substr(header_end + 4, want);
      }
      if (delay_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
      const bool fail = attempts_++ < failures_;
      const std::string answer = fail ? "HTTP/1.1 500 Internal Server Error\r\nContent-Length: "
                                        "0\r\nConnection: close\r\n\r\n"
                                      : "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
      (void)!::write(c, answer.data(), answer.size());
      ::close(c);
      if (!fail) {
        std::lock_guard lock(mu_);
        received_.push_back(std::move(r));
      }
    }
  }

  int fd_ = -1;
  uint16_t port_ = 0;
  int failures_;
  int delay_ms_;
  std::atomic<int> attempts_{0};
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<Received> received_;
  std::thread thread_;
};

}  // namespace tailor::e2e

#endif  // TAILOR_TESTS_E2E_WEBHOOK_RECEIVER_H_
