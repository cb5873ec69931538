// Helpers the cluster tests share: keys created through `tailor keys
// create`, waiting for a condition, and a PostgreSQL + Redis pair of the
// test's own (so the test may restart them) with one database on it.
#ifndef TAILOR_TESTS_CLUSTER_CLUSTER_SUPPORT_H_
#define TAILOR_TESTS_CLUSTER_CLUSTER_SUPPORT_H_

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "e2e_support.h"
#include "storage/postgres/connection.h"
#include "storage/postgres/test_server_for_test.h"

namespace tailor::e2e {

// A new API key of `tenant` (created when missing) with `role`.
inline std::string KeyFor(const std::string& url, const std::string& tenant = "shop",
                          const std::string& role = "admin") {
  int code = -1;
  std::string out =
      RunTailor({"keys", "create", "--store", url, "--tenant", tenant, "--role", role}, &code);
  EXPECT_EQ(code, 0);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// Polls `done` until it holds (true) or `within` passed (false).
inline bool Eventually(const std::function<bool()>& done, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// A PostgreSQL and a Redis of the test's own, a database `name` on the
// former, and an admin key of tenant "shop"; `flags` start a node on them.
struct OwnCluster {
  explicit OwnCluster(const std::string& name) : pg("postgres"), redis("redis") {
    url = pg.url().substr(0, pg.url().rfind('/') + 1) + name;
    auto admin = storage::pg::Connection::Open(pg.url());
    EXPECT_TRUE(admin.ok()) << admin.status();
    if (admin.ok()) EXPECT_TRUE((*admin)->Exec("CREATE DATABASE " + name).ok());
    key = KeyFor(url);
    flags = {"--store", url, "--redis", redis.url(), "--no-background-training"};
  }
  storage::OwnServer pg;
  storage::OwnServer redis;
  std::string url;
  std::string key;
  std::vector<std::string> flags;
};

}  // namespace tailor::e2e

#endif  // TAILOR_TESTS_CLUSTER_CLUSTER_SUPPORT_H_
