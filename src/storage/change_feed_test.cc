#include "storage/change_feed.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"
#include "storage/temp_store_for_test.h"

namespace tailor::storage {
namespace {

domain::Event Click(std::string user, std::string item, std::string event_id) {
  domain::Event e;
  e.user_id = std::move(user);
  e.item_id = std::move(item);
  e.type = "click";
  e.event_id = std::move(event_id);
  e.timestamp = absl::FromUnixSeconds(1000);
  return e;
}

// What one subscriber saw.
struct Seen {
  absl::Mutex mu;
  std::vector<int64_t> positions;
  std::vector<std::string> event_ids;
  std::set<std::thread::id> threads;

  void Add(const Change& c) {
    absl::MutexLock lock(&mu);
    positions.push_back(c.position);
    threads.insert(std::this_thread::get_id());
    for (const WriteBatch::Op& op : c.batch.ops()) {
      if (const auto* a = std::get_if<WriteBatch::Append>(&op)) {
        for (const auto& se : a->events) event_ids.push_back(se.event.event_id);
      }
    }
  }
};

TEST(ChangeFeedTest, EverySubscriberGetsEveryCommitInOrderOnItsOwnThread) {
  TempStoreForTest db("feed");
  ChangeFeed feed(db.store(), {.poll_interval = absl::Seconds(60)});  // commits wake it
  Seen a, b;
  feed.Subscribe("a", [&](const Change& c) { a.Add(c); });
  feed.Subscribe("b", [&](const Change& c) { b.Add(c); });
  feed.Start(*db.store().LastChangePosition());
  int64_t last = 0;
  for (int i = 0; i < 20; ++i) {
    WriteResult r = db.WriteEvents({Click("u", "i", "e" + std::to_string(i)),
                                    Click("u", "i", "e" + std::to_string(i / 2))});
    if (r.change_position > 0) last = r.change_position;
  }
  ASSERT_TRUE(feed.WaitDelivered(last, absl::Seconds(10)));
  EXPECT_GE(feed.delivered(), last);
  for (Seen* s : {&a, &b}) {
    absl::MutexLock lock(&s->mu);
    EXPECT_TRUE(std::is_sorted(s->positions.begin(), s->positions.end()));
    EXPECT_EQ(s->positions.back(), last);
    ASSERT_EQ(s->event_ids.size(), 20u);  // each event once, retries left out
    for (int i = 0; i < 20; ++i) EXPECT_EQ(s->event_ids[i], "e" + std::to_string(i));
    ASSERT_EQ(s->threads.size(), 1u);
    EXPECT_NE(*s->threads.begin(), std::this_thread::get_id());
  }
  EXPECT_NE(*a.threads.begin(), *b.threads.begin());
}

TEST(ChangeFeedTest, StartsAfterTheGivenPosition) {
  TempStoreForTest db("feed");
  db.WriteEvents({Click("u", "i", "old")});
  const int64_t start = *db.store().LastChangePosition();
  ChangeFeed feed(db.store(), {});
  Seen seen;
  feed.Subscribe("s", [&](const Change& c) { seen.Add(c); });
  feed.Start(start);
  WriteResult r = db.WriteEvents({Click("u", "i", "new")});
  ASSERT_TRUE(feed.WaitDelivered(r.change_position, absl::Seconds(10)));
  absl::MutexLock lock(&seen.mu);
  EXPECT_EQ(seen.event_ids, std::vector<std::string>{"new"});
}

TEST(ChangeFeedTest, WaitDeliveredTimesOutWhileASubscriberIsBusy) {
  TempStoreForTest db("feed");
  ChangeFeed feed(db.store(), {});
  absl::Notification release;
  feed.Subscribe("slow", [&](const Change&) { release.WaitForNotification(); });
  feed.Start(0);
  WriteResult r = db.WriteEvents({Click("u", "i", "e")});
  EXPECT_FALSE(feed.WaitDelivered(r.change_position, absl::Milliseconds(100)));
  release.Notify();
  EXPECT_TRUE(feed.WaitDelivered(r.change_position, absl::Seconds(10)));
}

TEST(ChangeFeedTest, WhenDeliveredRunsOnceTheChangeIsApplied) {
  TempStoreForTest db("feed");
  ChangeFeed feed(db.store(), {});
  std::atomic<int64_t> applied{0};
  absl::Notification release;
  feed.Subscribe("serving", [&](const Change& c) {
    release.WaitForNotification();
    applied = c.position;
  });
  feed.Start(0);
  WriteResult r = db.WriteEvents({Click("u", "i", "e")});
  absl::Notification answered;
  int64_t seen_when_answered = -1;
  feed.WhenDelivered(r.change_position, [&] {
    seen_when_answered = applied;
    answered.Notify();
  });
  EXPECT_FALSE(answered.WaitForNotificationWithTimeout(absl::Milliseconds(50)));
  release.Notify();
  ASSERT_TRUE(answered.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_EQ(seen_when_answered, r.change_position);
  // Already delivered: runs at once, on the caller's thread.
  bool now = false;
  feed.WhenDelivered(r.change_position, [&] { now = true; });
  EXPECT_TRUE(now);
  // After Stop nothing waits.
  feed.Stop();
  bool after_stop = false;
  feed.WhenDelivered(r.change_position + 100, [&] { after_stop = true; });
  EXPECT_TRUE(after_stop);
}

TEST(ChangeFeedTest, PollingFindsChangesNobodyAnnounced) {
  TempStoreForTest db("feed");
  ChangeFeed feed(db.store(), {.poll_interval = absl::Milliseconds(20)});
  Seen seen;
  feed.Subscribe("s", [&](const Change& c) { seen.Add(c); });
  feed.Start(0);
  db.store().SetCommitObserver(nullptr);  // as if another process wrote
  WriteResult r = db.WriteEvents({Click("u", "i", "e")});
  for (int i = 0; i < 500 && feed.delivered() < r.change_position; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_GE(feed.delivered(), r.change_position);
}

}  // namespace
}  // namespace tailor::storage
