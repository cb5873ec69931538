// `tailor serve --redis`: nodes on one PostgreSQL database (fixture
// `postgres`) and a real Redis on loopback (fixture `redis`, or a server of
// the test's own where it restarts it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "cluster/event_stream_ingest.h"
#include "cluster/redis_client.h"
#include "cluster_support.h"
#include "storage/postgres/test_server_for_test.h"

namespace tailor::e2e {
namespace {

namespace json = boost::json;

bool HasEvent(uint16_t port, const std::string& key, const std::string& user,
              const std::string& event_id) {
  HttpResult r = Http(port, "GET", absl::StrCat("/v1/users/", user, "/events?limit=1000"), "", key);
  if (r.status != 200) return false;
  for (const json::value& e : r.Json().as_object().at("events").as_array()) {
    const json::value* id = e.as_object().if_contains("event_id");
    if (id != nullptr && id->as_string() == event_id) return true;
  }
  return false;
}

std::string PostClick(uint16_t port, const std::string& key, const std::string& event_id) {
  json::object event{
      {"user_id", "u1"}, {"item_id", "i1"}, {"type", "click"}, {"event_id", event_id}};
  return std::to_string(Http(port, "POST", "/v1/events", json::serialize(event), key).status);
}

json::object Ready(uint16_t port) {
  HttpResult r = Http(port, "GET", "/readyz", "", "");
  return r.status == 200 && r.Json().is_object() ? r.Json().as_object() : json::object{};
}

TEST(RedisClusterTest, NodesTakeEventsFromTheTenantsStreamAndDeadLetterBadOnes) {
  const std::string url = storage::FreshPostgresDatabase("redis_stream");
  const std::string tenant = absl::StrCat("stream-shop-", ::getpid());
  const std::string key = KeyFor(url, tenant);
  const std::string redis_url = storage::TestRedisUrl();
  TempDir dir_a, dir_b;
  ServerProcess a(dir_a.path(), {"--store", url, "--redis", redis_url, "--no-background-training"});
  ServerProcess b(dir_b.path(), {"--store", url, "--redis", redis_url, "--no-background-training"});
  ASSERT_TRUE(
      Eventually([&] { return Ready(b.port())["redis"] == "ok"; }, std::chrono::seconds(10)))
      << json::serialize(Ready(b.port()));
  EXPECT_EQ(Ready(b.port())["change_feed"], "announced");

  cluster::RedisClient redis(*cluster::ParseRedisUrl(redis_url), absl::Seconds(2));
  const std::string stream = absl::StrCat("tailor:events:", tenant);
  ASSERT_TRUE(redis
                  .Command({"XADD", stream, "*", "event",
                            R"({"user_id":"u1","item_id":"i1","type":"click","event_id":"s1"})"})
                  .ok());
  ASSERT_TRUE(
      redis.Command({"XADD", stream, "*", "event", R"({"item_id":"i1","type":"click"})"}).ok());
  // Whichever node took it, both answer with it.
  EXPECT_TRUE(
      Eventually([&] { return HasEvent(a.port(), key, "u1", "s1"); }, std::chrono::seconds(15)));
  EXPECT_TRUE(
      Eventually([&] { return HasEvent(b.port(), key, "u1", "s1"); }, std::chrono::seconds(2)));
  std::vector<cluster::StreamEntry> dead;
  ASSERT_TRUE(Eventually(
      [&] {
        auto r =
            redis.Command({"XRANGE", cluster::EventStreamIngest::DeadLetterKey(stream), "-", "+"});
        dead = r.ok() ? cluster::ParseEntries(*r) : std::vector<cluster::StreamEntry>{};
        return !dead.empty();
      },
      std::chrono::seconds(15)));
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_TRUE(absl::StrContains(*dead[0].Field("reason"), "user_id")) << *dead[0].Field("reason");
}

TEST(RedisClusterTest, LosingRedisDegradesToPollingWithoutLosingWrites) {
  const std::string url = storage::FreshPostgresDatabase("redis_restart");
  const std::string key = KeyFor(url);
  storage::OwnServer server("redis");
  TempDir dir_a, dir_b;
  ServerProcess a(dir_a.path(), {"--store", url, "--redis", server.url(),
                                 "--no-background-training", "--no-stream-ingest"});
  ServerProcess b(dir_b.path(), {"--store", url, "--redis", server.url(),
                                 "--no-background-training", "--no-stream-ingest"});
  ASSERT_TRUE(
      Eventually([&] { return Ready(b.port())["redis"] == "ok"; }, std::chrono::seconds(10)));
  ASSERT_EQ(PostClick(a.port(), key, "before"), "200");
  EXPECT_TRUE(
      Eventually([&] { return HasEvent(b.port(), key, "u1", "before"); }, std::chrono::seconds(1)));

  server.Stop();
  ASSERT_TRUE(Eventually([&] { return Ready(b.port())["change_feed"] == "polling"; },
                         std::chrono::seconds(10)))
      << json::serialize(Ready(b.port()));
  // Still ready (the store answers), still taking writes, still following.
  ASSERT_EQ(PostClick(a.port(), key, "during"), "200");
  EXPECT_TRUE(
      Eventually([&] { return HasEvent(b.port(), key, "u1", "during"); }, std::chrono::seconds(1)));

  server.Start();
  ASSERT_TRUE(Eventually(
      [&] { return Ready(a.port())["redis"] == "ok" && Ready(b.port())["redis"] == "ok"; },
      std::chrono::seconds(10)));
  ASSERT_EQ(PostClick(a.port(), key, "after"), "200");
  EXPECT_TRUE(
      Eventually([&] { return HasEvent(b.port(), key, "u1", "after"); }, std::chrono::seconds(1)));
}

}  // namespace
}  // namespace tailor::e2e
