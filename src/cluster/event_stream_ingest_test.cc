// EventStreamIngest against the real Redis server ctest starts on loopback
// (fixture `redis`) and a real SQLite store. Each test uses streams of its
// own (a key prefix named after it).
#include "cluster/event_stream_ingest.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "common/strings.h"
#include "storage/postgres/test_server_for_test.h"
#include "storage/temp_store_for_test.h"

namespace tailor::cluster {
namespace {

std::string Prefix() {
  return StrCat("ingest-", ::testing::UnitTest::GetInstance()->current_test_info()->name(), "-",
                ::getpid(), ":");
}

EventStreamIngest::Options Fast(const std::string& prefix) {
  return {.key_prefix = prefix,
          .block = absl::Milliseconds(100),
          .timeout = absl::Seconds(1),
          .retry = absl::Milliseconds(50),
          .claim_idle = absl::Milliseconds(200),
          .rescan = absl::Milliseconds(200)};
}

bool WaitFor(const std::function<bool()>& done, absl::Duration within = absl::Seconds(10)) {
  const absl::Time deadline = absl::Now() + within;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return true;
}

std::string Click(const std::string& user, const std::string& item, const std::string& id) {
  return StrCat(R"({"user_id":")", user, R"(","item_id":")", item,
                R"(","type":"click","event_id":")", id, R"("})");
}

class EventStreamIngestTest : public ::testing::Test {
 protected:
  EventStreamIngestTest()
      : db_("ingest"),
        endpoint_(*ParseRedisUrl(storage::TestRedisUrl())),
        redis_(endpoint_, absl::Seconds(2)),
        prefix_(Prefix()) {}

  std::string Key() const { return prefix_ + "t"; }  // TempStoreForTest's tenant is "t"
  void Add(const std::string& payload, const std::string& field = "event") {
    ASSERT_TRUE(redis_.Command({"XADD", Key(), "*", field, payload}).ok());
  }
  int64_t Stored() { return *db_.store().CountEvents(db_.tenant()); }
  std::vector<StreamEntry> DeadLetters() {
    auto r = redis_.Command({"XRANGE", EventStreamIngest::DeadLetterKey(Key()), "-", "+"});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? ParseEntries(*r) : std::vector<StreamEntry>{};
  }
  int64_t Pending() {
    auto r = redis_.Command({"XPENDING", Key(), "tailor"});
    if (!r.ok() || r->elements.empty()) return -1;
    return r->elements[0].integer;
  }
  std::unique_ptr<EventStreamIngest> Ingest(const std::string& consumer) {
    return std::make_unique<EventStreamIngest>(endpoint_, db_.store(), Clock::Real(), consumer,
                                               nullptr, Fast(prefix_));
  }

  storage::TempStoreForTest db_;
  RedisEndpoint endpoint_;
  RedisClient redis_;
  std::string prefix_;
};

TEST_F(EventStreamIngestTest, StoresEntriesAddedBeforeAndAfterItStarts) {
  Add(Click("u1", "i1", "e1"));  // before any node read the stream
  auto ingest = Ingest("node-a");
  ingest->Start();
  ASSERT_TRUE(WaitFor([&] { return Stored() == 1; }));
  Add(Click("u1", "i2", "e2"));
  Add(Click("u2", "i1", "e3"));
  ASSERT_TRUE(WaitFor([&] { return Stored() == 3; }));
  ingest->Stop();
  EXPECT_EQ(ingest->stats().accepted, 3);
  EXPECT_EQ(Pending(), 0) << "every stored entry is acknowledged";
  EXPECT_TRUE(DeadLetters().empty());
}

TEST_F(EventStreamIngestTest, ARedeliveredEventIsStoredOnce) {
  auto ingest = Ingest("node-a");
  ingest->Start();
  Add(Click("u1", "i1", "same-id"));
  Add(Click("u1", "i1", "same-id"));  // the producer retried
  ASSERT_TRUE(WaitFor([&] {
    auto s = ingest->stats();
    return s.accepted + s.duplicates == 2;
  }));
  ingest->Stop();
  EXPECT_EQ(Stored(), 1);
  EXPECT_EQ(ingest->stats().duplicates, 1);
}

TEST_F(EventStreamIngestTest, BadEntriesGoToTheDeadLetterStreamWithTheReason) {
  auto ingest = Ingest("node-a");
  ingest->Start();
  Add("{not json");
  Add(R"({"item_id":"i1","type":"click"})");  // no user
  Add(Click("u1", "i1", "ok-1"), "payload");  // wrong field name
  Add(Click("u1", "i1", "ok-2"));
  ASSERT_TRUE(WaitFor([&] { return ingest->stats().dead == 3 && Stored() == 1; }));
  ingest->Stop();
  std::vector<StreamEntry> dead = DeadLetters();
  ASSERT_EQ(dead.size(), 3u);
  EXPECT_TRUE(absl::StrContains(*dead[0].Field("reason"), "not JSON")) << *dead[0].Field("reason");
  EXPECT_EQ(*dead[0].Field("event"), "{not json");
  EXPECT_TRUE(absl::StrContains(*dead[1].Field("reason"), "user_id")) << *dead[1].Field("reason");
  EXPECT_TRUE(absl::StrContains(*dead[2].Field("reason"), "no field named event"));
  EXPECT_FALSE(dead[0].Field("id")->empty());
  EXPECT_EQ(Pending(), 0);
}

TEST_F(EventStreamIngestTest, EntriesADeadConsumerTookAreTakenOver) {
  // A consumer takes two entries and dies before acknowledging them.
  ASSERT_TRUE(redis_.Command({"XGROUP", "CREATE", Key(), "tailor", "0", "MKSTREAM"}).ok());
  Add(Click("u1", "i1", "taken-1"));
  Add(Click("u1", "i2", "taken-2"));
  auto taken = redis_.Command(
      {"XREADGROUP", "GROUP", "tailor", "dead-node", "COUNT", "10", "STREAMS", Key(), ">"});
  ASSERT_TRUE(taken.ok()) << taken.status();
  ASSERT_EQ(Pending(), 2);
  auto ingest = Ingest("node-b");
  ingest->Start();
  ASSERT_TRUE(WaitFor([&] { return Stored() == 2; }));
  ingest->Stop();
  EXPECT_EQ(Pending(), 0);
}

}  // namespace
}  // namespace tailor::cluster
