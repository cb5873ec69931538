#include "notify/campaign_runner.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <set>

#include "common/field_errors.h"
#include "common/rounding.h"
#include "common/strings.h"
#include "common/thread_priority.h"
#include "domain/validation.h"

namespace tailor::notify {

namespace json = boost::json;

namespace {

constexpr size_t kMaxUserIds = 10000;
constexpr size_t kMaxAttributeFilters = 16;

std::string ResultsCollection(std::string_view campaign) {
  return StrCat("campaign_results:", campaign);
}

absl::StatusOr<json::object> ParseDoc(const storage::Record& r) {
  boost::system::error_code ec;
  json::value v = json::parse(r.doc, ec);
  if (ec || !v.is_object()) return absl::DataLossError("stored campaign is not JSON");
  return std::move(v.get_object());
}

// The decide request for one user of the campaign.
json::object DecideBody(const json::object& campaign, std::string_view user_id) {
  json::object body{{"user_id", user_id}, {"template_id", campaign.at("template_id")}};
  for (const char* key : {"channels", "window", "category", "segment"}) {
    if (const json::value* v = campaign.if_contains(key)) body[key] = *v;
  }
  return body;
}

bool Matches(const domain::User& user, const json::object& filter) {
  for (const auto& [key, value] : filter) {
    const json::value* have = user.attributes.if_contains(key);
    if (have == nullptr || *have != value) return false;
  }
  return true;
}

}  // namespace

CampaignRunner::CampaignRunner(storage::Store& store, Notifier& notifier, Clock& clock,
                               CampaignRunnerOptions options)
    : store_(store),
      notifier_(notifier),
      clock_(clock),
      options_(options),
      next_id_(options.seed),
      leases_(store, clock) {}

CampaignRunner::~CampaignRunner() { Stop(); }

absl::StatusOr<json::object> CampaignRunner::Submit(domain::TenantId tenant,
                                                    const json::value& body) {
  if (!body.is_object()) return InvalidField("body", "must be a campaign object");
  const json::object& obj = body.get_object();
  FieldErrors errors;
  for (const auto& [key, value] : obj) {
    static constexpr std::string_view kKnown[] = {"template_id", "audience", "channels",
                                                  "window",      "category", "segment"};
    if (std::find(std::begin(kKnown), std::end(kKnown), View(key)) == std::end(kKnown)) {
      errors.Add(std::string(key), "is not a campaign field");
    }
  }
  // The per-user decide request must be valid for any user.
  json::object probe = obj;
  probe.erase("audience");
  probe["user_id"] = "campaign-probe";
  absl::StatusOr<DecideRequest> decide = ParseDecideRequest(probe);
  if (!decide.ok()) errors.AddAllWithPrefix("", decide.status());
  json::object campaign;
  for (const auto& [key, value] : obj) {
    if (key != "audience") campaign[key] = value;
  }
  const json::value* audience = obj.if_contains("audience");
  const json::object* aud = audience ? audience->if_object() : nullptr;
  if (aud == nullptr || aud->size() != 1) {
    errors.Add("audience",
               "must be one of {\"user_ids\": [...]}, {\"attributes\": {...}}, {\"all\": true}");
  } else if (const json::value* ids = aud->if_contains("user_ids")) {
    if (!ids->is_array() || ids->get_array().empty() || ids->get_array().size() > kMaxUserIds) {
      errors.Add("audience.user_ids",
                 StrCat("must be an array of 1 to ", kMaxUserIds, " user ids"));
    } else {
      std::set<std::string> unique;
      for (size_t i = 0; i < ids->get_array().size(); ++i) {
        const json::value& id = ids->get_array()[i];
        if (!id.is_string() || !domain::ValidateId(View(id.get_string())).ok()) {
          errors.Add(StrCat("audience.user_ids[", i, "]"), "must be a user id");
        } else {
          unique.insert(std::string(id.get_string()));
        }
      }
      json::array sorted;
      for (const std::string& id : unique) sorted.push_back(json::string(id));
      campaign["total"] = sorted.size();
      campaign["audience"] = {{"user_ids", std::move(sorted)}};
    }
  } else if (const json::value* attrs = aud->if_contains("attributes")) {
    if (!attrs->is_object() || attrs->get_object().empty() ||
        attrs->get_object().size() > kMaxAttributeFilters) {
      errors.Add("audience.attributes",
                 StrCat("must be an object of 1 to ", kMaxAttributeFilters, " attribute values"));
    } else {
      campaign["audience"] = {{"attributes", *attrs}};
      campaign["total"] = nullptr;
    }
  } else if (const json::value* all = aud->if_contains("all");
             all && all->is_bool() && all->get_bool()) {
    campaign["audience"] = {{"all", true}};
    campaign["total"] = nullptr;
  } else {
    errors.Add("audience",
               "must be one of {\"user_ids\": [...]}, {\"attributes\": {...}}, {\"all\": true}");
  }
  if (!errors.empty()) return errors.ToStatus("invalid campaign");
  // The template must exist now (it is read again for every user).
  if (absl::StatusOr<storage::Record> t =
          store_.GetRecord(tenant, kTemplatesCollection, View(obj.at("template_id").get_string()));
      !t.ok()) {
    if (absl::IsNotFound(t.status())) {
      return absl::NotFoundError(
          StrCat("template ", View(obj.at("template_id").get_string()), " does not exist"));
    }
    return t.status();
  }
  std::string id;
  {
    absl::MutexLock lock(&mu_);
    const size_t queued = std::count_if(queue_.begin(), queue_.end(),
                                        [&](const Job& j) { return j.tenant == tenant; });
    if (queued >= options_.max_queued) {
      return absl::ResourceExhaustedError(
          StrCat("this tenant has ", queued, " campaigns queued already; retry later"));
    }
    id = fmt::format("cmp_{:x}{:08x}", absl::ToUnixSeconds(clock_.Now()), next_id_++ & 0xffffffffu);
  }
  campaign["campaign_id"] = id;  // named like decision_id, template_id
  campaign["status"] = "queued";
  campaign["created_at"] = domain::FormatRfc3339(clock_.Now());
  campaign["processed"] = 0;
  campaign["sent"] = 0;
  campaign["suppressed"] = 0;
  campaign["errors"] = 0;
  storage::WriteBatch batch;
  batch.PutRecord(kCampaignsCollection, id, json::serialize(campaign), clock_.Now());
  absl::StatusOr<storage::WriteResult> w = store_.WriteSync(tenant, std::move(batch));
  if (!w.ok()) return w.status();
  {
    absl::MutexLock lock(&mu_);
    queue_.push_back({tenant, id});
  }
  cv_.Signal();
  return Get(tenant, id);
}

absl::StatusOr<json::object> CampaignRunner::Get(domain::TenantId tenant, std::string_view id) {
  absl::StatusOr<storage::Record> r = store_.GetRecord(tenant, kCampaignsCollection, id);
  if (absl::IsNotFound(r.status()))
    return absl::NotFoundError(StrCat("campaign ", id, " does not exist"));
  if (!r.ok()) return r.status();
  absl::StatusOr<json::object> doc = ParseDoc(*r);
  if (!doc.ok()) return doc.status();
  // Progress; the id list itself is not echoed.
  json::object& d = *doc;
  if (json::value* legacy = d.if_contains("id")) {  // stored before the field was renamed
    d["campaign_id"] = *legacy;
    d.erase("id");
  }
  if (json::object* aud = d["audience"].if_object(); aud && aud->contains("user_ids")) {
    (*aud)["user_ids"] = aud->at("user_ids").get_array().size();
  }
  d.erase("cursor");
  d.erase("offset");
  const json::value& total = d["total"];
  d["progress"] = total.is_number() && total.to_number<double>() > 0
                      ? json::value(RoundDecimals(
                            d.at("processed").to_number<double>() / total.to_number<double>(), 4))
                      : (d.at("status") == "done" ? json::value(1.0) : json::value(nullptr));
  return std::move(*doc);
}

absl::Status CampaignRunner::Results(domain::TenantId tenant, std::string_view id,
                                     const std::function<void(const std::string&)>& line) {
  if (absl::StatusOr<storage::Record> r = store_.GetRecord(tenant, kCampaignsCollection, id);
      !r.ok()) {
    return absl::IsNotFound(r.status())
               ? absl::NotFoundError(StrCat("campaign ", id, " does not exist"))
               : r.status();
  }
  return store_.ScanRecords(tenant, ResultsCollection(id), [&](const storage::Record& r) {
    line(r.doc);
    return true;
  });
}

absl::Status CampaignRunner::Rescan() {
  absl::StatusOr<std::vector<domain::Tenant>> tenants = store_.ListTenants();
  if (!tenants.ok()) return tenants.status();
  for (const domain::Tenant& t : *tenants) {
    absl::Status s = store_.ScanRecords(t.id, kCampaignsCollection, [&](const storage::Record& r) {
      absl::StatusOr<json::object> doc = ParseDoc(r);
      if (doc.ok() && (doc->at("status") == "queued" || doc->at("status") == "running")) {
        absl::MutexLock lock(&mu_);
        const bool queued = std::any_of(queue_.begin(), queue_.end(), [&](const Job& j) {
          return j.tenant == t.id && j.id == r.id;
        });
        if (!queued) queue_.push_back({t.id, r.id});
      }
      return true;
    });
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CampaignRunner::Start() {
  if (absl::Status s = Rescan(); !s.ok()) return s;
  {
    absl::MutexLock lock(&mu_);
    if (!queue_.empty()) spdlog::info("campaigns: {} to resume", queue_.size());
    stopping_ = false;
  }
  worker_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void CampaignRunner::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  cv_.SignalAll();
  if (worker_.joinable()) worker_.join();
}

void CampaignRunner::Run() {
  LowerThreadPriority(10);
  for (;;) {
    Job job;
    bool rescan = false;
    {
      absl::MutexLock lock(&mu_);
      const absl::Time deadline = absl::Now() + options_.rescan;
      while (!stopping_ && queue_.empty() && !cv_.WaitWithDeadline(&mu_, deadline)) {
      }
      if (stopping_) return;
      if (queue_.empty()) {
        rescan = true;
      } else {
        // Tenants in turn (by id, after the one served last, wrapping
        // around); each tenant's campaigns in the order they came.
        const domain::TenantId last = last_tenant_;
        std::optional<domain::TenantId> turn;
        bool after = false;  // whether *turn comes after `last`
        for (const Job& j : queue_) {
          const bool j_after = j.tenant > last;
          if (!turn || (j_after && !after) || (j_after == after && j.tenant < *turn)) {
            turn = j.tenant;
            after = j_after;
          }
        }
        auto next = std::find_if(queue_.begin(), queue_.end(),
                                 [&turn](const Job& j) { return j.tenant == *turn; });
        job = *next;
        queue_.erase(next);
        last_tenant_ = job.tenant;
      }
    }
    if (rescan) {
      // Campaigns other nodes left behind (their lease lapsed) or queued.
      if (absl::Status s = Rescan(); !s.ok()) {
        spdlog::warn("campaigns: rescan failed: {}", std::string(s.message()));
      }
      continue;
    }
    if (absl::Status s = RunCampaign(job); !s.ok()) {
      spdlog::warn("campaign {} of tenant {}: {}", job.id, job.tenant, std::string(s.message()));
    }
  }
}

absl::Status CampaignRunner::RunCampaign(const Job& job) {
  const std::string lease = StrCat("campaign/", job.id);
  absl::StatusOr<bool> mine =
      leases_.TryAcquire(job.tenant, lease, options_.node_id, options_.lease_ttl);
  if (!mine.ok()) return mine.status();
  if (!*mine) return absl::OkStatus();  // another node runs it
  absl::Status s = RunCampaignHeld(job, lease);
  if (absl::Status r = leases_.Release(job.tenant, lease, options_.node_id); !r.ok() && s.ok()) {
    s = r;
  }
  return s;
}

absl::Status CampaignRunner::RunCampaignHeld(const Job& job, const std::string& lease) {
  absl::StatusOr<storage::Record> record =
      store_.GetRecord(job.tenant, kCampaignsCollection, job.id);
  if (!record.ok()) return record.status();
  int64_t version = record->version;
  absl::StatusOr<json::object> doc_or = ParseDoc(*record);
  if (!doc_or.ok()) return doc_or.status();
  json::object campaign = std::move(*doc_or);
  if (campaign.at("status") != "queued" && campaign.at("status") != "running") {
    return absl::OkStatus();  // finished meanwhile (by another node)
  }
  if (campaign.at("status") == "queued") {
    campaign["status"] = "running";
    campaign["started_at"] = domain::FormatRfc3339(clock_.Now());
  }
  const json::object& audience = campaign.at("audience").get_object();
  int64_t processed = campaign.at("processed").to_number<int64_t>();
  int64_t sent = campaign.at("sent").to_number<int64_t>();
  int64_t suppressed = campaign.at("suppressed").to_number<int64_t>();
  int64_t errors = campaign.at("errors").to_number<int64_t>();
  constexpr int kMaxLedgerConflicts = 10;
  int ledger_conflicts = 0;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return absl::OkStatus();  // resumes at the next start
    }
    absl::StatusOr<bool> held = leases_.TryAcquire(job.tenant, lease, options_.node_id,
                                                   options_.lease_ttl);  // renew
    if (!held.ok()) return held.status();
    if (!*held) return absl::OkStatus();  // lapsed and taken over
    // Where this chunk starts, to do it again after a cap ledger conflict.
    const json::object chunk_start = campaign;
    const int64_t counts_at_start[4] = {processed, sent, suppressed, errors};
    // The next chunk of the audience, in user id order.
    std::vector<std::string> users;
    bool last = false;
    if (const json::value* ids = audience.if_contains("user_ids")) {
      const json::array& all = ids->get_array();
      const size_t offset =
          campaign.contains("offset") ? campaign.at("offset").to_number<size_t>() : 0;
      for (size_t i = offset; i < all.size() && users.size() < static_cast<size_t>(options_.chunk);
           ++i) {
        users.push_back(std::string(all[i].get_string()));
      }
      campaign["offset"] = offset + users.size();
      last = offset + users.size() >= all.size();
    } else {
      const std::string cursor =
          campaign.contains("cursor") ? std::string(campaign.at("cursor").get_string()) : "";
      absl::StatusOr<storage::Page<domain::User>> page =
          store_.ListUsers(job.tenant, cursor, options_.chunk);
      if (!page.ok()) return page.status();
      const json::value* filter = audience.if_contains("attributes");
      for (const domain::User& u : page->rows) {
        if (filter == nullptr || Matches(u, filter->get_object())) users.push_back(u.id);
      }
      campaign["cursor"] = page->next_cursor;
      last = page->next_cursor.empty();
    }
    storage::WriteBatch batch;
    std::vector<Decision> made;
    for (const std::string& user : users) {
      absl::StatusOr<DecideRequest> req = ParseDecideRequest(DecideBody(campaign, user));
      absl::StatusOr<Decision> d =
          req.ok() ? notifier_.Decide(job.tenant, *req) : absl::StatusOr<Decision>(req.status());
      json::object result{{"user_id", user}};
      if (!d.ok()) {
        ++errors;
        result["error"] = std::string(d.status().message());
      } else {
        (d->sent ? sent : suppressed) += 1;
        const json::object& a = d->answer;
        result["decision_id"] = d->id;
        for (const char* key :
             {"channel", "variant_id", "send_at", "suppressed", "quality_score"}) {
          if (const json::value* v = a.if_contains(key)) result[key] = *v;
        }
        notifier_.AddDecisionWrite(job.tenant, *d, batch);
        made.push_back(std::move(*d));
      }
      batch.PutRecord(ResultsCollection(job.id), user, json::serialize(result), clock_.Now());
      ++processed;
    }
    campaign["processed"] = processed;
    campaign["sent"] = sent;
    campaign["suppressed"] = suppressed;
    campaign["errors"] = errors;
    if (last) {
      campaign["status"] = "done";
      campaign["finished_at"] = domain::FormatRfc3339(clock_.Now());
      if (campaign.at("total").is_null()) campaign["total"] = processed;
    }
    // Only if nobody else moved the campaign since we read it: a chunk is
    // committed once across every node, or not at all.
    batch.PutRecordIf(kCampaignsCollection, job.id, json::serialize(campaign), clock_.Now(),
                      version);
    absl::StatusOr<storage::WriteResult> w = store_.WriteSync(job.tenant, std::move(batch));
    if (!w.ok()) {
      for (const Decision& d : made) notifier_.OnDecisionFailed(job.tenant, d);
    }
    if (absl::IsAborted(w.status())) {
      absl::StatusOr<storage::Record> now =
          store_.GetRecord(job.tenant, kCampaignsCollection, job.id);
      if (!now.ok()) return now.status();
      if (now->version != version) {
        spdlog::info("campaign {}: progressed elsewhere; this node stops running it", job.id);
        return absl::OkStatus();
      }
      // The campaign did not move: another node sent to a user of this chunk
      // meanwhile (the cap ledger changed). The chunk is decided again once
      // this node has followed that send.
      if (++ledger_conflicts > kMaxLedgerConflicts) {
        return absl::AbortedError("the chunk keeps conflicting with other nodes' sends");
      }
      campaign = chunk_start;
      processed = counts_at_start[0];
      sent = counts_at_start[1];
      suppressed = counts_at_start[2];
      errors = counts_at_start[3];
      absl::SleepFor(absl::Milliseconds(100) * ledger_conflicts);
      continue;
    }
    if (!w.ok()) return w.status();
    ledger_conflicts = 0;
    version = w->record_versions.back();  // the campaign record is the batch's last put
    for (const Decision& d : made) notifier_.OnDecisionCommitted(job.tenant, d);
    if (last) return absl::OkStatus();
    std::this_thread::yield();  // real-time requests first
  }
}

}  // namespace tailor::notify
