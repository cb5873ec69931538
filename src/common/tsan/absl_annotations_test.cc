// Runs in the tsan preset only. Without absl_annotations.cc linked in,
// ThreadSanitizer reports each of these correctly synchronised programs as a
// data race and the test binary exits with status 66.
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace {

TEST(TsanAbslSync, MutexLockOrdersWrites) {
  absl::Mutex mu;
  int counter = 0;  // guarded by mu
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        absl::MutexLock lock(&mu);
        ++counter;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  absl::MutexLock lock(&mu);
  EXPECT_EQ(counter, 4000);
}

TEST(TsanAbslSync, ReaderLockSeesWriterData) {
  absl::Mutex mu;
  std::vector<int> data;  // guarded by mu
  std::thread writer([&] {
    for (int i = 0; i < 200; ++i) {
      absl::MutexLock lock(&mu);
      data.push_back(i);
    }
  });
  size_t seen = 0;
  while (seen < 200) {
    absl::ReaderMutexLock lock(&mu);
    seen = data.size();
    if (seen > 0) EXPECT_EQ(data[seen - 1], static_cast<int>(seen) - 1);
  }
  writer.join();
}

TEST(TsanAbslSync, CondVarHandsOffData) {
  absl::Mutex mu;
  absl::CondVar cv;
  int value = 0;  // guarded by mu
  bool ready = false;
  std::thread producer([&] {
    absl::MutexLock lock(&mu);
    value = 42;
    ready = true;
    cv.Signal();
  });
  {
    absl::MutexLock lock(&mu);
    while (!ready) cv.WaitWithTimeout(&mu, absl::Seconds(5));
    EXPECT_EQ(value, 42);
  }
  producer.join();
}

TEST(TsanAbslSync, AwaitConditionSeesData) {
  absl::Mutex mu;
  std::vector<int> queue;  // guarded by mu
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i) {
      absl::MutexLock lock(&mu);
      queue.push_back(i);
    }
  });
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](std::vector<int>* q) { return q->size() == 100; }, &queue));
    EXPECT_EQ(queue.back(), 99);
  }
  producer.join();
}

TEST(TsanAbslSync, NotificationPublishesData) {
  absl::Notification done;
  int value = 0;
  std::thread producer([&] {
    value = 7;
    done.Notify();
  });
  ASSERT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(5)));
  EXPECT_EQ(value, 7);
  producer.join();
}

// A Status payload shared by copies on two threads: the last copy frees it,
// on whichever thread drops it.
TEST(TsanAbslSync, StatusCopiesAcrossThreads) {
  for (int round = 0; round < 20; ++round) {
    absl::Status shared = absl::InternalError("a message long enough to be heap allocated");
    absl::Status copy = shared;
    std::thread reader([copy]() mutable {
      EXPECT_EQ(copy.message().size(), 42u);
      copy = absl::OkStatus();
    });
    EXPECT_EQ(shared.message().size(), 42u);
    shared = absl::OkStatus();
    reader.join();
  }
}

}  // namespace
