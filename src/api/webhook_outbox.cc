// The webhook outbox (see webhooks.h): deliveries written with the write
// that causes them, claimed by one node at a time, deleted once delivered.
//
// An entry is the record webhook_outbox/<envelope id> with
//   {"hook_id", "type", "body" (the signed envelope), "attempt",
//    "due_us", "claimed_by", "claim_until_us"}.
#include <fmt/format.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "api/webhooks.h"
#include "common/json_text.h"
#include "common/strings.h"
#include "domain/validation.h"

namespace tailor::api {

namespace json = boost::json;

namespace {

std::string NewEnvelopeId() {
  uint64_t r[2];
  if (RAND_bytes(reinterpret_cast<unsigned char*>(r), sizeof r) != 1) std::abort();
  return fmt::format("whd_{:016x}{:016x}", r[0], r[1]);
}

int64_t Int(const json::object& doc, const char* key) {
  const json::value* v = doc.if_contains(key);
  return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}

std::string Text(const json::object& doc, const char* key) {
  const json::value* v = doc.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

void WebhookDispatcher::AddDeliveries(domain::TenantId tenant, std::string_view type,
                                      const json::object& data, storage::WriteBatch& batch) {
  std::vector<std::string> hook_ids;
  {
    std::lock_guard lock(mu_);
    for (const Hook& h : HooksLocked(tenant)) {
      if (std::find(h.events.begin(), h.events.end(), type) != h.events.end()) {
        hook_ids.push_back(h.id);
      }
    }
  }
  const absl::Time now = clock_.Now();
  for (const std::string& hook_id : hook_ids) {
    const std::string id = NewEnvelopeId();
    json::object envelope{
        {"id", id}, {"type", type}, {"created_at", domain::FormatRfc3339(now)}, {"data", data}};
    json::object entry{{"hook_id", hook_id},
                       {"type", type},
                       {"body", JsonText(envelope)},
                       {"attempt", 0},
                       {"due_us", absl::ToUnixMicros(now)},
                       {"claimed_by", ""},
                       {"claim_until_us", 0}};
    batch.PutRecord(kWebhookOutboxCollection, id, json::serialize(entry), now);
  }
}

void WebhookDispatcher::AddProfilesUpdated(domain::TenantId tenant,
                                           const std::vector<std::string>& user_ids,
                                           storage::WriteBatch& batch) {
  std::vector<std::string> due;
  {
    std::lock_guard lock(mu_);
    const std::vector<Hook>& hooks = HooksLocked(tenant);
    const bool subscribed = std::any_of(hooks.begin(), hooks.end(), [](const Hook& h) {
      return std::find(h.events.begin(), h.events.end(), "profile.updated") != h.events.end();
    });
    if (!subscribed) return;
    const absl::Time now = clock_.Now();
    for (const std::string& user : user_ids) {
      absl::Time& last = profile_sent_[StrCat(tenant, "/", user)];
      if (now - last < options_.profile_interval) continue;
      last = now;
      due.push_back(user);
    }
  }
  for (const std::string& user : due) {
    AddDeliveries(tenant, "profile.updated",
                  {{"user_id", user}, {"profile", StrCat("/v1/users/", user, "/profile")}}, batch);
  }
}

void WebhookDispatcher::ApplyChange(const storage::Change& change) {
  for (const storage::WriteBatch::Op& op : change.batch.ops()) {
    if (const auto* put = std::get_if<storage::WriteBatch::PutRecordOp>(&op)) {
      if (put->collection == kWebhookOutboxCollection) {
        Offer(change.tenant, put->id, put->version, put->doc);
      } else if (put->collection == kWebhooksCollection) {
        boost::system::error_code ec;
        json::value doc = json::parse(put->doc, ec);
        if (!ec && doc.is_object()) OnWebhookStored(change.tenant, put->id, doc.get_object());
      }
    } else if (const auto* del = std::get_if<storage::WriteBatch::DeleteRecordOp>(&op)) {
      if (del->collection == kWebhooksCollection) OnWebhookDeleted(change.tenant, del->id);
    }
  }
}

void WebhookDispatcher::Offer(domain::TenantId tenant, const std::string& id, int64_t version,
                              std::string_view doc_text) {
  boost::system::error_code ec;
  json::value doc = json::parse(doc_text, ec);
  if (ec || !doc.is_object()) return;
  const json::object& entry = doc.get_object();
  absl::Time due = absl::FromUnixMicros(Int(entry, "due_us"));
  if (!Text(entry, "claimed_by").empty()) {
    // Claimed: ours to retry only if the claim lapses first.
    due = absl::FromUnixMicros(Int(entry, "claim_until_us"));
  }
  {
    std::lock_guard lock(mu_);
    queues_[tenant].pending.push({tenant, id, version, due, Text(entry, "hook_id")});
  }
  cv_.notify_one();
}

void WebhookDispatcher::Rescan() {
  absl::StatusOr<std::vector<domain::Tenant>> tenants = store_.ListTenants();
  if (!tenants.ok()) {
    spdlog::warn("webhooks: cannot list tenants: {}", std::string(tenants.status().message()));
    return;
  }
  for (const domain::Tenant& t : *tenants) {
    {
      std::lock_guard lock(mu_);
      if (HooksLocked(t.id).empty()) continue;
    }
    absl::Status s =
        store_.ScanRecords(t.id, kWebhookOutboxCollection, [&](const storage::Record& r) {
          Offer(t.id, r.id, r.version, r.doc);
          return true;
        });
    if (!s.ok()) spdlog::warn("webhooks: outbox of tenant {}: {}", t.id, std::string(s.message()));
  }
}

void WebhookDispatcher::Deliver(const Pending& p) {
  // The entry as it is now: gone (delivered) or moved on (claimed, retried)
  // since it was queued means another turn already handled this version.
  absl::StatusOr<storage::Record> record =
      store_.GetRecord(p.tenant, kWebhookOutboxCollection, p.id);
  if (!record.ok() || record->version != p.version) return;
  boost::system::error_code ec;
  json::value parsed = json::parse(record->doc, ec);
  if (ec || !parsed.is_object()) return;
  json::object entry = std::move(parsed.get_object());
  const absl::Time now = clock_.Now();
  if (!Text(entry, "claimed_by").empty() &&
      absl::FromUnixMicros(Int(entry, "claim_until_us")) > now) {
    return;  // another node is delivering it
  }
  const std::string hook_id = Text(entry, "hook_id");
  Delivery d;
  {
    std::lock_guard lock(mu_);
    for (const Hook& h : HooksLocked(p.tenant)) {
      if (h.id == hook_id) d = {h.url, h.secret, p.id, Text(entry, "body")};
    }
  }
  if (d.url.empty()) {  // the webhook was deleted
    storage::WriteBatch drop;
    drop.DeleteRecordIf(kWebhookOutboxCollection, p.id, p.version);
    (void)store_.WriteSync(p.tenant, std::move(drop));
    return;
  }
  // Claim it: exactly one node gets this version.
  entry["claimed_by"] = node_id_;
  entry["claim_until_us"] = absl::ToUnixMicros(now + 2 * options_.timeout + absl::Seconds(5));
  storage::WriteBatch claim;
  claim.PutRecordIf(kWebhookOutboxCollection, p.id, json::serialize(entry), now, p.version);
  absl::StatusOr<storage::WriteResult> claimed = store_.WriteSync(p.tenant, std::move(claim));
  if (!claimed.ok() || claimed->record_versions.empty()) return;  // another node was first
  const int64_t version = claimed->record_versions.front();

  const int64_t t = absl::ToUnixSeconds(clock_.Now());
  absl::StatusOr<int> status = Post(d, t);
  const bool ok = status.ok() && *status >= 200 && *status < 300;
  const int attempt = static_cast<int>(Int(entry, "attempt")) + 1;
  storage::WriteBatch settle;
  std::string last_error =
      ok ? "" : (status.ok() ? StrCat("HTTP ", *status) : std::string(status.status().message()));
  if (ok || attempt >= options_.max_attempts) {
    settle.DeleteRecordIf(kWebhookOutboxCollection, p.id, version);
  } else {
    entry["attempt"] = attempt;
    entry["due_us"] =
        absl::ToUnixMicros(clock_.Now() + options_.base_backoff * (1 << (attempt - 1)));
    entry["claimed_by"] = "";
    entry["claim_until_us"] = 0;
    settle.PutRecordIf(kWebhookOutboxCollection, p.id, json::serialize(entry), clock_.Now(),
                       version);
  }
  if (absl::Status s = store_.WriteSync(p.tenant, std::move(settle)).status(); !s.ok()) {
    // The claim lapses and the entry is delivered again: at least once.
    spdlog::warn("webhooks: cannot settle {}: {}", p.id, std::string(s.message()));
  }
  std::lock_guard lock(mu_);
  Counters& c = counters_[{p.tenant, hook_id}];
  c.last_status = status.ok() ? *status : 0;
  c.last_error = last_error;
  if (ok) {
    ++c.delivered;
  } else if (attempt >= options_.max_attempts) {
    ++c.failed;
    spdlog::warn("webhook {} of tenant {}: gave up after {} attempts: {}", hook_id, p.tenant,
                 attempt, c.last_error);
  } else {
    ++c.retries;
  }
}

}  // namespace tailor::api
