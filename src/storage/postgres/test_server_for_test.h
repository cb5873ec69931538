// Test helpers: the throw-away servers ctest starts on loopback for the
// tests that name their fixtures (`postgres`: scripts/test-postgres.sh,
// `redis`: scripts/test-redis.sh).
//
//   std::string url = FreshPostgresDatabase("feed");   // postgres://.../feed_1234
//   std::string redis = TestRedisUrl();                // redis://127.0.0.1:PORT
#ifndef TAILOR_STORAGE_POSTGRES_TEST_SERVER_FOR_TEST_H_
#define TAILOR_STORAGE_POSTGRES_TEST_SERVER_FOR_TEST_H_

#include <gtest/gtest.h>
#include <unistd.h>

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

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_POSTGRES_TEST_SERVER_FOR_TEST_H_
