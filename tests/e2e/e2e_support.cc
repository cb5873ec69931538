#include "e2e_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace tailor::e2e {

namespace json = boost::json;
namespace fs = std::filesystem;

const json::value& HttpResult::Json() const {
  if (!json_) {
    boost::system::error_code ec;
    json::value v = json::parse(body, ec);
    json_ = ec ? json::value(nullptr) : std::move(v);
  }
  return *json_;
}

bool HttpResult::IsProblem() const {
  auto it = headers.find("content-type");
  return it != headers.end() && it->second == "application/problem+json";
}

std::vector<std::string> HttpResult::ErrorFields() const {
  std::vector<std::string> out;
  const json::value& v = Json();
  if (!v.is_object()) return out;
  const json::value* errors = v.get_object().if_contains("errors");
  if (errors == nullptr || !errors->is_array()) return out;
  for (const auto& e : errors->get_array()) {
    if (e.is_object() && e.get_object().contains("field")) {
      out.emplace_back(e.at("field").as_string());
    }
  }
  return out;
}

namespace {

int Connect(uint16_t port) { return ConnectLoopback(port); }

}  // namespace

int ConnectLoopback(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  return fd;
}

namespace {

HttpResult ParseResponse(const std::string& raw) {
  HttpResult r;
  size_t header_end = raw.find("\r\n\r\n");
  if (raw.compare(0, 5, "HTTP/") != 0 || header_end == std::string::npos) return r;
  r.status = std::atoi(raw.c_str() + raw.find(' ') + 1);
  std::istringstream lines(raw.substr(0, header_end));
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    size_t v = line.find_first_not_of(' ', colon + 1);
    r.headers[name] = v == std::string::npos ? "" : line.substr(v);
  }
  r.body = raw.substr(header_end + 4);
  r.raw = raw;
  auto cl = r.headers.find("content-length");
  if (cl != r.headers.end()) r.body.resize(std::min<size_t>(r.body.size(), std::stoul(cl->second)));
  return r;
}

}  // namespace

HttpResult RawHttp(uint16_t port, const std::string& bytes) {
  return RawHttp(port, bytes, RawOptions{});
}

HttpResult RawHttp(uint16_t port, const std::string& bytes, const RawOptions& options) {
  int fd = Connect(port);
  if (fd < 0) return {};
  timeval tv{options.read_timeout_ms / 1000, (options.read_timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413) and close before reading everything
    sent += static_cast<size_t>(n);
  }
  if (options.sent_all != nullptr) *options.sent_all = sent == bytes.size();
  if (options.half_close) ::shutdown(fd, SHUT_WR);
  std::string raw;
  char buf[65536];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return ParseResponse(raw);
}

HttpResult Http(uint16_t port, const std::string& method, const std::string& target,
                const std::string& body, const std::string& key, const std::string& content_type) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!key.empty()) req += "Authorization: Bearer " + key + "\r\n";
  if (!body.empty()) {
    req += "Content-Type: " + content_type + "\r\n";
  }
  req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return RawHttp(port, req);
}

std::string RunTailor(const std::vector<std::string>& args, int* exit_code) {
  std::string cmd = TAILOR_BINARY;
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " 2>/dev/null";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  int status = ::pclose(pipe);
  if (exit_code != nullptr) *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

TempDir::TempDir() {
  static int counter = 0;
  path_ = (fs::temp_directory_path() /
           ("tailor_e2e_" + std::to_string(::getpid()) + "_" + std::to_string(counter++)))
              .string();
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

ServerProcess::ServerProcess(const std::string& data_dir, const std::vector<std::string>& extra,
                             int open_files) {
  std::string port_file = data_dir + "/port";
  fs::remove(port_file);
  std::string log = data_dir + "/server.log";
  pid_ = ::fork();
  if (pid_ == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    if (open_files > 0) {
      rlimit limit{static_cast<rlim_t>(open_files), static_cast<rlim_t>(open_files)};
      ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    std::vector<std::string> args = {TAILOR_BINARY, "serve",       "--data-dir",  data_dir,
                                     "--listen",    "127.0.0.1:0", "--port-file", port_file};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  for (int i = 0; i < 600 && port_ == 0; ++i) {
    std::ifstream in(port_file);
    int p = 0;
    if (in >> p && p > 0) port_ = static_cast<uint16_t>(p);
    if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!Alive()) break;
  }
  if (port_ == 0) {
    std::ifstream in(log);
    std::stringstream ss;
    ss << in.rdbuf();
    ADD_FAILURE() << "server did not start; log:\n" << ss.str();
  }
}

ServerProcess::~ServerProcess() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    Wait();
  }
}

bool ServerProcess::Alive() {
  if (reaped_) return false;
  int status;
  if (::waitpid(pid_, &status, WNOHANG) == 0) return true;
  reaped_ = true;
  return false;
}

void ServerProcess::Signal(int sig) { ::kill(pid_, sig); }

int ServerProcess::Wait() {
  int status = 0;
  ::waitpid(pid_, &status, 0);
  reaped_ = true;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::string CreateKey(const std::string& data_dir, const std::string& tenant,
                      const std::string& role) {
  int code = -1;
  std::string out = RunTailor(
      {"keys", "create", "--data-dir", data_dir, "--tenant", tenant, "--role", role}, &code);
  EXPECT_EQ(code, 0);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  EXPECT_EQ(out.rfind("tk_", 0), 0u) << "keys create printed: " << out;
  return out;
}

}  // namespace tailor::e2e
