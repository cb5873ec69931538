// Test helpers: the throw-away servers ctest starts on loopback for the
// tests that name their fixtures (`postgres`: scripts/test-postgres.sh,
// `redis`: scripts/test-redis.sh).
//
//   std::string url = FreshPostgresDatabase("feed");   // postgres://.../feed_1234
//   std::string redis = TestRedisUrl();                // redis://127.0.0.1:PORT
//   OwnServer redis("redis"); redis.Stop(); redis.Start();   // a server to break
#ifndef TAILOR_STORAGE_POSTGRES_TEST_SERVER_FOR_TEST_H_
#define TAILOR_STORAGE_POSTGRES_TEST_SERVER_FOR_TEST_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "storage/postgres/connection.h"

namespace tailor::storage {

inline std::string FirstLineOf(const char* path, const char* what) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_FALSE(line.empty()) << "no " << what << " test server: run the tests through ctest, "
                             << "which starts one";
  return line;
}

// The fixture server's URL, e.g. postgres://tailor@127.0.0.1:40123/postgres.
inline std::string TestPostgresUrl() {
  return FirstLineOf(TAILOR_TEST_POSTGRES_URL_FILE, "PostgreSQL");
}

// An empty database named `name` plus the process id (dropped first when it
// exists); its URL.
inline std::string FreshPostgresDatabase(const std::string& name) {
  const std::string server = TestPostgresUrl();
  const std::string db = name + "_" + std::to_string(::getpid());
  auto admin = pg::Connection::Open(server);
  EXPECT_TRUE(admin.ok()) << admin.status();
  if (admin.ok()) {
    EXPECT_TRUE((*admin)->Exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)").ok());
    EXPECT_TRUE((*admin)->Exec("CREATE DATABASE " + db).ok());
  }
  return server.substr(0, server.rfind('/') + 1) + db;
}

// The fixture Redis server's URL.
inline std::string TestRedisUrl() { return FirstLineOf(TAILOR_TEST_REDIS_URL_FILE, "Redis"); }

// A server of the test's own (not the shared fixture), so that the test may
// stop, restart or start it again on the same port: `kind` is "postgres" or
// "redis" (scripts/test-<kind>.sh). Stopped and removed by the destructor.
class OwnServer {
 public:
  explicit OwnServer(std::string kind) : kind_(std::move(kind)) {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = ::testing::TempDir() + "/own-" + kind_ + "-" + std::to_string(::getpid()) + "-" +
           (info != nullptr ? info->name() : "none");
    Run("start", 0);
    std::ifstream in(dir_ + "/url");
    std::getline(in, url_);
    EXPECT_FALSE(url_.empty()) << kind_ << " did not start";
    const size_t colon = url_.rfind(':');
    port_ = colon == std::string::npos ? 0 : std::atoi(url_.c_str() + colon + 1);
  }
  ~OwnServer() { Run("stop", 0); }
  OwnServer(const OwnServer&) = delete;
  OwnServer& operator=(const OwnServer&) = delete;

  const std::string& url() const { return url_; }
  // Stops the server (Redis: gone until Start(); PostgreSQL: use Restart).
  void Stop() { Run("stop", 0); }
  // Redis: starts again on the same port, empty.
  void Start() { Run("start", port_); }
  // PostgreSQL: stops (cutting every connection) and starts on the same data.
  void Restart() { Run("restart", 0); }

 private:
  void Run(const std::string& cmd, int port) {
    std::string line = std::string(TAILOR_SOURCE_DIR) + "/scripts/test-" + kind_ + ".sh " + cmd +
                       " " + dir_ + (port > 0 ? " " + std::to_string(port) : "") + " >/dev/null";
    EXPECT_EQ(std::system(line.c_str()), 0) << line;
  }

  std::string kind_;
  std::string dir_;
  std::string url_;
  int port_ = 0;
};

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_POSTGRES_TEST_SERVER_FOR_TEST_H_
