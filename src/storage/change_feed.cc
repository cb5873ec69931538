#include "storage/change_feed.h"

#include <algorithm>

#include "spdlog/spdlog.h"

namespace tailor::storage {

ChangeFeed::ChangeFeed(Store& store, Options options)
    : store_(store), options_(options), poll_interval_(options.poll_interval) {}

void ChangeFeed::OnLocalCommit(std::function<void(int64_t position)> fn) {
  on_local_commit_ = std::move(fn);
}

void ChangeFeed::SetPollInterval(absl::Duration interval) {
  absl::MutexLock lock(&mu_);
  // The tailer may be waiting out the old interval: it reads now and then
  // waits the new one.
  if (interval < poll_interval_) notified_ = true;
  poll_interval_ = interval;
}

ChangeFeed::~ChangeFeed() { Stop(); }

void ChangeFeed::Subscribe(std::string name, std::function<void(const Change&)> fn) {
  auto s = std::make_unique<Subscriber>();
  s->name = std::move(name);
  s->fn = std::move(fn);
  subscribers_.push_back(std::move(s));
}

void ChangeFeed::Start(int64_t after) {
  {
    absl::MutexLock lock(&mu_);
    read_ = after;
    for (auto& s : subscribers_) s->done = after;
  }
  started_ = true;
  for (auto& s : subscribers_) s->thread = std::thread([this, p = s.get()] { SubscriberLoop(p); });
  tailer_ = std::thread([this] { TailLoop(); });
  store_.SetCommitObserver([this](std::vector<Change>& changes) { Offer(changes); });
}

void ChangeFeed::Offer(std::vector<Change>& changes) {
  if (changes.empty()) return;
  if (on_local_commit_) on_local_commit_(changes.back().position);
  std::vector<std::function<void()>> ready;
  {
    absl::MutexLock lock(&mu_);
    for (Change& c : changes) {
      if (c.position <= read_) continue;  // the tailer got there first
      if (c.position != read_ + 1) {
        // Something may sit in between (another process's commit): the
        // tailer reads the log in order from read_.
        notified_ = true;
        break;
      }
      auto shared = std::make_shared<const Change>(std::move(c));
      for (auto& s : subscribers_) s->queue.push_back(shared);
      read_ = shared->position;
    }
    if (subscribers_.empty()) ready = TakeReadyLocked();
  }
  for (auto& fn : ready) fn();
}

void ChangeFeed::Notify() {
  absl::MutexLock lock(&mu_);
  notified_ = true;
}

void ChangeFeed::Stop() {
  if (!started_ || stopped_) return;
  stopped_ = true;
  store_.SetCommitObserver(nullptr);
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  tailer_.join();
  for (auto& s : subscribers_) s->thread.join();
  // Nothing more will be delivered: release whoever still waits (their
  // writes are committed; only the local apply is missing).
  std::multimap<int64_t, std::function<void()>> rest;
  {
    absl::MutexLock lock(&mu_);
    rest.swap(waiters_);
  }
  for (auto& [position, fn] : rest) fn();
}

void ChangeFeed::WhenDelivered(int64_t position, std::function<void()> fn) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopping_ && started_ && DeliveredLocked() < position) {
      // A position this process wrote: Offer() brings it, or wakes the
      // tailer when it cannot.
      waiters_.emplace(position, std::move(fn));
      return;
    }
  }
  fn();
}

std::vector<std::function<void()>> ChangeFeed::TakeReadyLocked() {
  std::vector<std::function<void()>> ready;
  const int64_t delivered = DeliveredLocked();
  auto end = waiters_.upper_bound(delivered);
  for (auto it = waiters_.begin(); it != end; ++it) ready.push_back(std::move(it->second));
  waiters_.erase(waiters_.begin(), end);
  return ready;
}

void ChangeFeed::TailLoop() {
  for (;;) {
    int64_t after;
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(
                               +[](ChangeFeed* f) ABSL_EXCLUSIVE_LOCKS_REQUIRED(f->mu_) {
                                 return f->notified_ || f->stopping_;
                               },
                               this),
                           poll_interval_);
      if (stopping_) return;
      notified_ = false;
      after = read_;
    }
    for (;;) {
      absl::StatusOr<std::vector<Change>> changes = store_.ReadChanges(after, options_.read_batch);
      if (!changes.ok()) {
        spdlog::warn("change feed: cannot read the change log: {}",
                     std::string(changes.status().message()));
        break;  // retried at the next poll
      }
      if (changes->empty()) break;
      std::vector<std::function<void()>> ready;
      {
        absl::MutexLock lock(&mu_);
        for (Change& c : *changes) {
          after = c.position;
          if (c.position <= read_) continue;  // handed over by Offer meanwhile
          auto shared = std::make_shared<const Change>(std::move(c));
          for (auto& s : subscribers_) s->queue.push_back(shared);
          read_ = shared->position;
        }
        if (subscribers_.empty()) ready = TakeReadyLocked();
      }
      for (auto& fn : ready) fn();
      if (static_cast<int>(changes->size()) < options_.read_batch) break;
    }
  }
}

void ChangeFeed::SubscriberLoop(Subscriber* s) {
  std::pair<ChangeFeed*, Subscriber*> arg{this, s};
  std::deque<std::shared_ptr<const Change>> batch;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](std::pair<ChangeFeed*, Subscriber*>* a) ABSL_NO_THREAD_SAFETY_ANALYSIS {
            return !a->second->queue.empty() || a->first->stopping_;
          },
          &arg));
      if (s->queue.empty()) return;  // stopping and drained
      batch.swap(s->queue);  // everything queued, in order
    }
    for (const auto& change : batch) s->fn(*change);
    std::vector<std::function<void()>> ready;
    {
      absl::MutexLock lock(&mu_);
      s->done = batch.back()->position;
      ready = TakeReadyLocked();
    }
    batch.clear();
    for (auto& fn : ready) fn();
  }
}

int64_t ChangeFeed::DeliveredLocked() const {
  int64_t out = read_;
  for (const auto& s : subscribers_) out = std::min(out, s->done);
  return out;
}

int64_t ChangeFeed::delivered() {
  absl::MutexLock lock(&mu_);
  return DeliveredLocked();
}

bool ChangeFeed::WaitDelivered(int64_t position, absl::Duration timeout) {
  Notify();
  struct Arg {
    ChangeFeed* feed;
    int64_t position;
  } arg{this, position};
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(absl::Condition(
                                  +[](Arg* a) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                                    return a->feed->DeliveredLocked() >= a->position;
                                  },
                                  &arg),
                              timeout);
}

}  // namespace tailor::storage
