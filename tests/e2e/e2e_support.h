// Support for end-to-end tests: start and stop a real `tailor serve` process
// on port 0 in a temp directory, run other `tailor` commands, and talk HTTP
// to it over loopback with a deliberately plain socket client (so tests can
// also send malformed HTTP).
#ifndef TAILOR_TESTS_E2E_E2E_SUPPORT_H_
#define TAILOR_TESTS_E2E_E2E_SUPPORT_H_

#include <sys/types.h>

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tailor::e2e {

struct HttpResult {
  int status = 0;                              // 0 when the connection failed
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string raw;  // every byte received (RawHttp), e.g. to count answers
  mutable std::optional<boost::json::value> json_;
  // The body parsed as JSON (null when it is not JSON); parsed once.
  const boost::json::value& Json() const;
  // The `field` names in a problem+json body's errors[].
  std::vector<std::string> ErrorFields() const;
  bool IsProblem() const;
};

// One request on a fresh connection ("Connection: close").
HttpResult Http(uint16_t port, const std::string& method, const std::string& target,
                const std::string& body = "", const std::string& key = "",
                const std::string& content_type = "application/json");
// Sends raw bytes, half-closes, and reads until the server closes.
HttpResult RawHttp(uint16_t port, const std::string& bytes);

struct RawOptions {
  bool half_close = true;  // shutdown(SHUT_WR) once everything is sent
  int read_timeout_ms = 30000;
  bool* sent_all = nullptr;  // set to whether every byte was sent
};
HttpResult RawHttp(uint16_t port, const std::string& bytes, const RawOptions& options);

// A connected loopback socket (-1 on failure); the caller closes it.
int ConnectLoopback(uint16_t port);

// Runs `tailor ARGS...`, returns stdout; sets *exit_code.
std::string RunTailor(const std::vector<std::string>& args, int* exit_code = nullptr);

// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class ServerProcess {
 public:
  // Starts `tailor serve --data-dir DIR --listen 127.0.0.1:0` plus `extra`
  // and waits until the port file appears.
  // `open_files` > 0 sets the server's RLIMIT_NOFILE.
  ServerProcess(const std::string& data_dir, const std::vector<std::string>& extra = {},
                int open_files = 0);
  ~ServerProcess();  // SIGKILL if still running
  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  bool Alive();
  void Signal(int sig);
  // Waits for exit; returns the exit status (or 128 + signal).
  int Wait();

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  bool reaped_ = false;
};

// A key for `tenant` with `role`, created through `tailor keys create`.
std::string CreateKey(const std::string& data_dir, const std::string& tenant,
                      const std::string& role);

}  // namespace tailor::e2e

#endif  // TAILOR_TESTS_E2E_E2E_SUPPORT_H_
