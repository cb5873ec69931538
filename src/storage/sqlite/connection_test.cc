#include "storage/sqlite/connection.h"

#include <gtest/gtest.h>

namespace tailor::storage::sqlite {
namespace {

TEST(ConnectionTest, PreparedStatementsAreReusable) {
  auto conn = Connection::Open(":memory:", "normal");
  ASSERT_TRUE(conn.ok()) << conn.status();
  ASSERT_TRUE((*conn)->Exec("CREATE TABLE t (k TEXT PRIMARY KEY, v REAL)").ok());
  for (int i = 0; i < 3; ++i) {
    Query q = (*conn)->Prepare("INSERT INTO t VALUES (?1, ?2)");
    std::string k = "k" + std::to_string(i);
    q.Bind(1, std::string_view(k)).Bind(2, i * 1.5);
    ASSERT_TRUE(q.Run().ok());
  }
  Query dup = (*conn)->Prepare("INSERT INTO t VALUES (?1, ?2)");
  dup.Bind(1, std::string_view("k1")).Bind(2, 0.0);
  EXPECT_EQ(dup.Run().code(), absl::StatusCode::kAlreadyExists);
  Query sum = (*conn)->Prepare("SELECT SUM(v), COUNT(*) FROM t");
  ASSERT_TRUE(*sum.Step());
  EXPECT_DOUBLE_EQ(sum.Double(0), 4.5);
  EXPECT_EQ(sum.Int(1), 3);
}

TEST(ConnectionTest, OpenFailsClearly) {
  auto conn = Connection::Open("/nonexistent-dir/x/y.db", "full");
  EXPECT_FALSE(conn.ok());
}

}  // namespace
}  // namespace tailor::storage::sqlite
