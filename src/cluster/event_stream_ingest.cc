#include "cluster/event_stream_ingest.h"

#include <boost/json/parse.hpp>

#include "common/field_errors.h"
#include "common/metrics.h"
#include "common/strings.h"
#include "spdlog/spdlog.h"

namespace tailor::cluster {
namespace {

Counter& IngestedCounter() {
  static Counter& c = MetricsRegistry::Default().GetCounter(
      "tailor_stream_events_ingested_total", "Events newly stored from Redis Streams");
  return c;
}
Counter& DeadCounter() {
  static Counter& c = MetricsRegistry::Default().GetCounter(
      "tailor_stream_events_dead_total", "Stream entries moved to a dead-letter stream");
  return c;
}

// The entry's event, or why it is not one.
absl::StatusOr<domain::Event> ParseEntry(const StreamEntry& entry, absl::Time now) {
  const std::string* payload = entry.Field("event");
  if (payload == nullptr) {
    return absl::InvalidArgumentError("event: the entry has no field named event");
  }
  boost::system::error_code ec;
  boost::json::value json = boost::json::parse(*payload, ec);
  if (ec) return absl::InvalidArgumentError(StrCat("event: not JSON (", ec.message(), ")"));
  return domain::ParseEvent(json, now);
}

// Which fields are wrong and why ("user_id: is required; type: ..."), or
// the status message when it names no field.
std::string Reason(const absl::Status& status) {
  std::string out;
  for (const FieldError& e : FieldErrorsOf(status)) {
    if (!out.empty()) out += "; ";
    out += StrCat(e.field, ": ", e.message);
  }
  return out.empty() ? std::string(View(status.message())) : out;
}

bool Retryable(const absl::Status& s) {
  return absl::IsUnavailable(s) || absl::IsResourceExhausted(s) || absl::IsAborted(s) ||
         absl::IsDeadlineExceeded(s) || absl::IsInternal(s) || absl::IsUnknown(s);
}

}  // namespace

EventStreamIngest::EventStreamIngest(RedisEndpoint endpoint, storage::Store& store, Clock& clock,
                                     std::string consumer, Prepare prepare, Options options)
    : endpoint_(std::move(endpoint)),
      store_(store),
      clock_(clock),
      consumer_(std::move(consumer)),
      prepare_(std::move(prepare)),
      options_(std::move(options)) {}

EventStreamIngest::~EventStreamIngest() { Stop(); }

void EventStreamIngest::Start() {
  started_ = true;
  thread_ = std::thread([this] { Loop(); });
}

void EventStreamIngest::Stop() {
  if (!started_) return;
  started_ = false;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

EventStreamIngest::Stats EventStreamIngest::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

std::string EventStreamIngest::StreamKey(std::string_view tenant_name) const {
  return StrCat(options_.key_prefix, tenant_name);
}

std::string EventStreamIngest::DeadLetterKey(std::string_view stream_key) {
  return StrCat(stream_key, ":dead");
}

void EventStreamIngest::Pause() {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.retry);
}

void EventStreamIngest::Loop() {
  RedisClient redis(endpoint_, options_.timeout);
  absl::Time next_rescan = absl::InfinitePast();
  // Read this consumer's own unacknowledged entries ("0") before new ones
  // (">"): after a start and after any failure.
  bool own_pending = true;
  const std::string block_ms = StrCat(absl::ToInt64Milliseconds(options_.block));
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    if (absl::Now() >= next_rescan) {
      if (absl::Status s = Rescan(redis); !s.ok()) {
        spdlog::warn("event streams: {}", std::string(s.message()));
        Pause();
        continue;
      }
      next_rescan = absl::Now() + options_.rescan;
    }
    if (tenants_.empty()) {
      Pause();
      continue;
    }
    std::vector<std::string> argv = {"XREADGROUP", "GROUP", options_.group,
                                     consumer_,    "COUNT", StrCat(options_.batch)};
    if (!own_pending) {
      argv.push_back("BLOCK");
      argv.push_back(block_ms);
    }
    argv.push_back("STREAMS");
    for (const Tenant& t : tenants_) argv.push_back(t.key);
    for (size_t i = 0; i < tenants_.size(); ++i) argv.push_back(own_pending ? "0" : ">");
    absl::StatusOr<RedisReply> r =
        own_pending ? redis.Command(argv) : redis.BlockingCommand(argv, options_.block);
    if (!r.ok()) {
      spdlog::warn("event streams: {}", std::string(r.status().message()));
      own_pending = true;
      Pause();
      continue;
    }
    bool any = false;
    bool failed = false;
    for (const auto& [key, entries] : ParseStreamsReply(*r)) {
      if (entries.empty()) continue;
      any = true;
      for (const Tenant& t : tenants_) {
        if (t.key != key) continue;
        if (absl::Status s = Handle(redis, t, entries); !s.ok()) {
          spdlog::warn("event streams: {}: {}", key, std::string(s.message()));
          failed = true;
        }
      }
    }
    if (failed) {
      own_pending = true;
      Pause();
    } else if (own_pending && !any) {
      own_pending = false;  // nothing of ours is left unacknowledged
    }
  }
}

absl::Status EventStreamIngest::Rescan(RedisClient& redis) {
  absl::StatusOr<std::vector<domain::Tenant>> tenants = store_.ListTenants();
  if (!tenants.ok()) return tenants.status();
  std::vector<Tenant> next;
  for (const domain::Tenant& t : *tenants) {
    Tenant tenant{t.id, StreamKey(t.name)};
    bool known = false;
    for (const Tenant& old : tenants_) known = known || old.key == tenant.key;
    if (!known) {
      // The group reads the stream from its start: events added before
      // this tenant's first node came up are not skipped.
      absl::StatusOr<RedisReply> r =
          redis.Command({"XGROUP", "CREATE", tenant.key, options_.group, "0", "MKSTREAM"});
      if (!r.ok() && View(r.status().message()).find("BUSYGROUP") == std::string_view::npos) {
        return r.status();
      }
    }
    next.push_back(std::move(tenant));
  }
  tenants_ = std::move(next);
  // Entries taken by a consumer that has not acknowledged them for
  // claim_idle (it died, or is stuck): taken over and handled here.
  const std::string idle_ms = StrCat(absl::ToInt64Milliseconds(options_.claim_idle));
  for (const Tenant& t : tenants_) {
    std::string cursor = "0-0";
    do {
      absl::StatusOr<RedisReply> r =
          redis.Command({"XAUTOCLAIM", t.key, options_.group, consumer_, idle_ms, cursor, "COUNT",
                         StrCat(options_.batch)});
      if (!r.ok()) return r.status();
      if (r->type != RedisReply::Type::kArray || r->elements.size() < 2) break;
      cursor = r->elements[0].str;
      std::vector<StreamEntry> entries = ParseEntries(r->elements[1]);
      if (!entries.empty()) {
        spdlog::info("event streams: {}: took over {} unacknowledged entries", t.key,
                     entries.size());
        if (absl::Status s = Handle(redis, t, entries); !s.ok()) return s;
      }
    } while (cursor != "0-0");
  }
  return absl::OkStatus();
}

absl::Status EventStreamIngest::Handle(RedisClient& redis, const Tenant& tenant,
                                       const std::vector<StreamEntry>& entries) {
  const absl::Time now = clock_.Now();
  std::vector<domain::Event> events;
  std::vector<const StreamEntry*> sources;
  for (const StreamEntry& e : entries) {
    absl::StatusOr<domain::Event> event = ParseEntry(e, now);
    if (!event.ok()) {
      if (absl::Status s = DeadLetter(redis, tenant, e, Reason(event.status())); !s.ok()) {
        return s;
      }
      continue;
    }
    events.push_back(*std::move(event));
    sources.push_back(&e);
  }
  if (events.empty()) return absl::OkStatus();
  auto store_events = [&](std::vector<domain::Event> batch_events) {
    storage::WriteBatch batch;
    if (prepare_) prepare_(tenant.id, batch_events, batch);
    batch.AppendEvents(std::move(batch_events));
    return store_.WriteSync(tenant.id, std::move(batch));
  };
  auto count = [&](const storage::WriteResult& r) {
    IngestedCounter().Increment(r.events_accepted);
    absl::MutexLock lock(&mu_);
    stats_.accepted += r.events_accepted;
    stats_.duplicates += r.events_duplicate;
  };
  absl::StatusOr<storage::WriteResult> r = store_events(events);
  if (r.ok()) {
    count(*r);
    std::vector<std::string> ids;
    for (const StreamEntry* e : sources) ids.push_back(e->id);
    return Ack(redis, tenant, ids);
  }
  if (Retryable(r.status())) return r.status();  // stay pending, read again
  // The store refused the batch for what it holds: find the entries it
  // refuses one by one, store the rest.
  for (size_t i = 0; i < events.size(); ++i) {
    absl::StatusOr<storage::WriteResult> one = store_events({events[i]});
    if (one.ok()) {
      count(*one);
      if (absl::Status s = Ack(redis, tenant, {sources[i]->id}); !s.ok()) return s;
    } else if (Retryable(one.status())) {
      return one.status();
    } else if (absl::Status s = DeadLetter(redis, tenant, *sources[i], Reason(one.status()));
               !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status EventStreamIngest::DeadLetter(RedisClient& redis, const Tenant& tenant,
                                           const StreamEntry& entry, std::string_view reason) {
  const std::string* payload = entry.Field("event");
  absl::StatusOr<RedisReply> r =
      redis.Command({"XADD", DeadLetterKey(tenant.key), "MAXLEN", "~",
                     StrCat(options_.dead_letter_max_len), "*", "id", entry.id, "reason",
                     std::string(reason), "event", payload != nullptr ? *payload : std::string()});
  if (!r.ok()) return r.status();
  DeadCounter().Increment(1);
  {
    absl::MutexLock lock(&mu_);
    ++stats_.dead;
  }
  return Ack(redis, tenant, {entry.id});
}

absl::Status EventStreamIngest::Ack(RedisClient& redis, const Tenant& tenant,
                                    const std::vector<std::string>& ids) {
  if (ids.empty()) return absl::OkStatus();
  std::vector<std::string> argv = {"XACK", tenant.key, options_.group};
  argv.insert(argv.end(), ids.begin(), ids.end());
  return redis.Command(argv).status();
}

}  // namespace tailor::cluster
