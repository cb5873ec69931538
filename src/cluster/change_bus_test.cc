// ChangeBus: two "nodes" (two stores on one real PostgreSQL database, each
// with its feed and bus) and real Redis servers on loopback. The receiving
// feed polls only once a minute, so a change that reaches it within seconds
// came through the announcement.
#include "cluster/change_bus.h"

#include <gtest/gtest.h>

#include "absl/synchronization/mutex.h"
#include "common/strings.h"
#include "storage/postgres/test_server_for_test.h"
#include "storage/store_url.h"

namespace tailor::cluster {
namespace {

using storage::Change;
using storage::ChangeFeed;

constexpr absl::Duration kSlowPoll = absl::Minutes(1);

struct Node {
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<ChangeFeed> feed;
  std::unique_ptr<ChangeBus> bus;
  absl::Mutex mu;
  std::vector<std::string> event_ids;

  Node(const std::string& url, const RedisEndpoint& redis, const std::string& name,
       ChangeBus::Options options) {
    auto s = storage::OpenStore(url + "?pool_size=2");
    EXPECT_TRUE(s.ok()) << s.status();
    store = std::move(*s);
    feed = std::make_unique<ChangeFeed>(*store, ChangeFeed::Options{.poll_interval = kSlowPoll});
    feed->Subscribe("test", [this](const Change& c) {
      absl::MutexLock lock(&mu);
      for (const auto& op : c.batch.ops()) {
        if (const auto* a = std::get_if<storage::WriteBatch::Append>(&op)) {
          for (const auto& se : a->events) event_ids.push_back(se.event.event_id);
        }
      }
    });
    bus = std::make_unique<ChangeBus>(redis, *feed, name, options);
    bus->Start();
    feed->Start(*store->LastChangePosition());
  }
  ~Node() {
    bus->Stop();
    feed->Stop();
  }
  bool Saw(const std::string& event_id, absl::Duration within) {
    absl::MutexLock lock(&mu);
    auto seen = [this, &event_id]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      return std::find(event_ids.begin(), event_ids.end(), event_id) != event_ids.end();
    };
    return mu.AwaitWithTimeout(absl::Condition(&seen), within);
  }
  void Write(domain::TenantId tenant, const std::string& event_id) {
    domain::Event e;
    e.user_id = "u1";
    e.item_id = "i1";
    e.type = "click";
    e.event_id = event_id;
    e.timestamp = absl::FromUnixSeconds(1000);
    storage::WriteBatch batch;
    batch.AppendEvents({e});
    ASSERT_TRUE(store->WriteSync(tenant, std::move(batch)).ok());
  }
};

ChangeBus::Options FastOptions(const std::string& stream) {
  return {.stream = stream,
          .block = absl::Milliseconds(200),
          .timeout = absl::Milliseconds(500),
          .announced_poll = kSlowPoll,
          .unannounced_poll = absl::Milliseconds(200),
          .retry = absl::Milliseconds(100)};
}

bool WaitFor(const std::function<bool()>& done, absl::Duration within) {
  const absl::Time deadline = absl::Now() + within;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return true;
}

TEST(ChangeBusTest, ACommitOnOneNodeWakesTheOtherNodesFeed) {
  const std::string url = storage::FreshPostgresDatabase("bus_wakes");
  auto redis = ParseRedisUrl(storage::TestRedisUrl());
  ASSERT_TRUE(redis.ok());
  Node a(url, *redis, "node-a", FastOptions("bus-wakes"));
  Node b(url, *redis, "node-b", FastOptions("bus-wakes"));
  ASSERT_TRUE(WaitFor([&] { return a.bus->healthy() && b.bus->healthy(); }, absl::Seconds(10)));
  EXPECT_TRUE(b.bus->Status().ok());
  auto tenant = a.store->EnsureTenant("shop");
  ASSERT_TRUE(tenant.ok());
  for (int i = 0; i < 5; ++i) {
    const std::string id = StrCat("e", i);
    a.Write(tenant->id, id);
    EXPECT_TRUE(b.Saw(id, absl::Seconds(5))) << id << " did not reach the other node";
  }
  // And the other way round.
  b.Write(tenant->id, "from-b");
  EXPECT_TRUE(a.Saw("from-b", absl::Seconds(5)));
}

TEST(ChangeBusTest, WithoutRedisTheFeedPollsAndWritesGoOn) {
  const std::string url = storage::FreshPostgresDatabase("bus_degrades");
  // Nothing listens on this loopback port.
  RedisEndpoint nowhere{.host = "127.0.0.1", .port = 1};
  Node a(url, nowhere, "node-a", FastOptions("bus-degrades"));
  Node b(url, nowhere, "node-b", FastOptions("bus-degrades"));
  auto tenant = a.store->EnsureTenant("shop");
  ASSERT_TRUE(tenant.ok());
  a.Write(tenant->id, "while-down");
  EXPECT_TRUE(b.Saw("while-down", absl::Seconds(5)));
  EXPECT_FALSE(b.bus->healthy());
  EXPECT_TRUE(absl::IsUnavailable(b.bus->Status())) << b.bus->Status();
}

TEST(ChangeBusTest, ARedisRestartDegradesToPollingThenAnnouncesAgain) {
  const std::string url = storage::FreshPostgresDatabase("bus_restart");
  storage::OwnServer server("redis");
  auto redis = ParseRedisUrl(server.url());
  ASSERT_TRUE(redis.ok()) << server.url();
  Node a(url, *redis, "node-a", FastOptions("bus-restart"));
  Node b(url, *redis, "node-b", FastOptions("bus-restart"));
  ASSERT_TRUE(WaitFor([&] { return a.bus->healthy() && b.bus->healthy(); }, absl::Seconds(10)));
  auto tenant = a.store->EnsureTenant("shop");
  ASSERT_TRUE(tenant.ok());
  a.Write(tenant->id, "before");
  EXPECT_TRUE(b.Saw("before", absl::Seconds(5)));

  server.Stop();
  ASSERT_TRUE(WaitFor([&] { return !b.bus->healthy(); }, absl::Seconds(10)));
  a.Write(tenant->id, "during");  // the write is not held up by Redis
  EXPECT_TRUE(b.Saw("during", absl::Seconds(5)));

  server.Start();
  ASSERT_TRUE(WaitFor([&] { return a.bus->healthy() && b.bus->healthy(); }, absl::Seconds(10)));
  a.Write(tenant->id, "after");
  EXPECT_TRUE(b.Saw("after", absl::Seconds(5)));
}

}  // namespace
}  // namespace tailor::cluster
