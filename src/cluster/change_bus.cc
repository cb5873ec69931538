#include "cluster/change_bus.h"

#include "common/strings.h"
#include "spdlog/spdlog.h"

namespace tailor::cluster {

ChangeBus::ChangeBus(RedisEndpoint endpoint, storage::ChangeFeed& feed, std::string node_id,
                     Options options)
    : endpoint_(std::move(endpoint)),
      feed_(feed),
      node_id_(std::move(node_id)),
      options_(std::move(options)) {}

ChangeBus::~ChangeBus() { Stop(); }

void ChangeBus::Start() {
  feed_.OnLocalCommit([this](int64_t position) { Announce(position); });
  // Until Redis answers, changes nobody announced are polled for quickly.
  feed_.SetPollInterval(options_.unannounced_poll);
  started_ = true;
  publisher_ = std::thread([this] { PublishLoop(); });
  listener_ = std::thread([this] { ListenLoop(); });
}

void ChangeBus::Stop() {
  if (!started_) return;
  started_ = false;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  publisher_.join();
  listener_.join();  // within one XREAD block
}

absl::Status ChangeBus::Status() const {
  if (healthy()) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  if (!last_error_.ok()) return last_error_;
  return absl::UnavailableError("redis: not reached yet");
}

void ChangeBus::Announce(int64_t position) {
  absl::MutexLock lock(&mu_);
  if (position > announced_) announced_ = position;
}

void ChangeBus::SetHealth(std::atomic<bool>& flag, const absl::Status& status) {
  const bool ok = status.ok();
  const bool was_healthy = healthy();
  if (!ok) {
    absl::MutexLock lock(&mu_);
    last_error_ = status;
  }
  if (flag.exchange(ok) == ok) return;
  const bool now_healthy = healthy();
  if (now_healthy == was_healthy) return;
  if (now_healthy) {
    spdlog::info("change bus: announcing through {}", DescribeRedis(endpoint_));
    feed_.SetPollInterval(options_.announced_poll);
    feed_.Notify();  // whatever was committed meanwhile
  } else {
    spdlog::warn("change bus: {}; polling the change log every {}", std::string(status.message()),
                 absl::FormatDuration(options_.unannounced_poll));
    feed_.SetPollInterval(options_.unannounced_poll);
  }
}

void ChangeBus::PublishLoop() {
  RedisClient redis(endpoint_, options_.timeout);
  int64_t published = 0;
  const std::string max_len = StrCat(options_.max_len);
  for (;;) {
    int64_t position;
    {
      absl::MutexLock lock(&mu_);
      std::pair<ChangeBus*, int64_t*> arg{this, &published};
      mu_.Await(absl::Condition(
          +[](std::pair<ChangeBus*, int64_t*>* a) ABSL_NO_THREAD_SAFETY_ANALYSIS {
            return a->first->stopping_ || a->first->announced_ > *a->second;
          },
          &arg));
      if (stopping_) return;
      position = announced_;
    }
    absl::StatusOr<RedisReply> r = redis.Command({"XADD", options_.stream, "MAXLEN", "~", max_len,
                                                  "*", "pos", StrCat(position), "node", node_id_});
    SetHealth(publisher_ok_, r.status());
    if (r.ok()) {
      published = position;
      continue;
    }
    // Retried with the newest position after a pause; other nodes poll
    // meanwhile.
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.retry);
    if (stopping_) return;
  }
}

void ChangeBus::ListenLoop() {
  RedisClient redis(endpoint_, options_.timeout);
  std::string last_id = "$";  // only what is announced from now on
  const std::string block_ms = StrCat(absl::ToInt64Milliseconds(options_.block));
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    absl::StatusOr<RedisReply> r = redis.BlockingCommand(
        {"XREAD", "COUNT", "1000", "BLOCK", block_ms, "STREAMS", options_.stream, last_id},
        options_.block);
    SetHealth(listener_ok_, r.status());
    if (!r.ok()) {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.retry);
      continue;
    }
    bool foreign = false;
    for (const auto& [stream, entries] : ParseStreamsReply(*r)) {
      for (const StreamEntry& e : entries) {
        last_id = e.id;
        const std::string* node = e.Field("node");
        if (node == nullptr || *node != node_id_) foreign = true;
      }
    }
    if (foreign) feed_.Notify();
  }
}

}  // namespace tailor::cluster
