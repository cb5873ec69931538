// The Notifier facade: per-tenant state on first use, the inputs of a
// decision (user, template, context, profile signals), and applying
// decisions once stored. What a decision is lives in decision_policy.cc and
// channel_eligibility.cc; building a tenant's state in tenant_loader.cc.
#include "notify/notifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <mutex>

#include "common/field_errors.h"
#include "common/strings.h"
#include "domain/validation.h"
#include "notify/decision_policy.h"
#include "notify/tenant_notify.h"
#include "recommend/recommender.h"
#include "serving/engine.h"

namespace tailor::notify {

namespace json = boost::json;
using personalize::NotificationTemplate;

namespace {

constexpr int kMaxRecommendations = 20;

json::object UserContext(const domain::User& user) {
  json::object out = user.attributes;
  out["id"] = user.id;
  if (!user.locale.empty()) out["locale"] = user.locale;
  if (!user.timezone.empty()) out["timezone"] = user.timezone;
  return out;
}

// Templates' "recommendations" sections for `user_id`: the top n (default 3)
// items with their titles. `runtime` may be null: such sections then fail.
personalize::SectionProvider RecommendationsSection(serving::TenantRuntime* runtime, Clock& clock,
                                                    std::string user_id) {
  return [runtime, &clock, user_id = std::move(user_id)](
             std::string_view name, const json::object& args) -> absl::StatusOr<json::array> {
    if (name != "recommendations") {
      return absl::InvalidArgumentError(StrCat("unknown provider section ", name));
    }
    if (runtime == nullptr) {
      return absl::FailedPreconditionError("recommendations are not enabled on this server");
    }
    int n = 3;
    if (const json::value* v = args.if_contains("n"); v && v->is_int64()) {
      n = static_cast<int>(std::clamp<int64_t>(v->get_int64(), 1, kMaxRecommendations));
    }
    recommend::Recommender recommender(*runtime, clock);
    recommend::RecommendRequest ask;
    ask.user_id = user_id;
    ask.n = n;
    absl::StatusOr<recommend::Recommendation> r = recommender.Recommend(ask);
    if (!r.ok()) return r.status();
    json::array items;
    for (size_t i = 0; i < r->items.size(); ++i) {
      json::object item{{"id", r->items[i].item_id}, {"rank", i + 1}};
      runtime->state.WithItem(r->items[i].item_id,
                              [&](const serving::ItemInfo& info) { item["title"] = info.title; });
      items.push_back(std::move(item));
    }
    return items;
  };
}

Memo MemoOf(const Decision& d) {
  Memo m;
  m.user_id = d.user_id;
  m.template_id = d.template_id;
  m.variant_id = d.variant_id;
  m.segment = d.segment;
  m.channel = d.channel;
  m.category = d.category;
  m.send_at = d.send_at;
  return m;
}

}  // namespace

Notifier::Notifier(storage::Store& store, serving::Engine* engine, Clock& clock,
                   NotifierOptions options)
    : store_(store), engine_(engine), clock_(clock), options_(options) {}

Notifier::~Notifier() {
  {
    absl::MutexLock lock(&retry_mu_);
    retry_stopping_ = true;
  }
  retry_cv_.SignalAll();
  if (retry_thread_.joinable()) retry_thread_.join();
}

absl::StatusOr<Notifier::TenantNotify*> Notifier::Tenant(domain::TenantId tenant) {
  absl::MutexLock lock(&tenants_mu_);
  auto it = tenants_.find(tenant);
  if (it != tenants_.end()) return it->second.get();
  auto state = std::make_unique<TenantNotify>(
      options_.seed ^ (static_cast<uint64_t>(tenant) * 0x9E3779B97F4A7C15ull));
  // First use of the tenant: rebuild from its records (under tenants_mu_, so
  // a second caller waits for the load instead of seeing half a state).
  if (absl::Status s = Load(tenant, *state); !s.ok()) return s;
  TenantNotify* out = state.get();
  tenants_.emplace(tenant, std::move(state));
  return out;
}

absl::StatusOr<std::shared_ptr<const NotificationTemplate>> Notifier::Template(
    domain::TenantId tenant, TenantNotify& state, std::string_view id) {
  {
    absl::MutexLock lock(&state.templates_mu);
    auto it = state.templates.find(id);
    if (it != state.templates.end()) return it->second;
  }
  absl::StatusOr<json::object> doc =
      ReadRecord(store_, tenant, kTemplatesCollection, id, "template");
  if (!doc.ok()) return doc.status();
  absl::StatusOr<NotificationTemplate> parsed = personalize::ParseNotificationTemplate(*doc, id);
  if (!parsed.ok()) return absl::DataLossError(StrCat("stored template ", id, " is invalid"));
  auto shared = std::make_shared<const NotificationTemplate>(std::move(*parsed));
  absl::MutexLock lock(&state.templates_mu);
  state.templates.insert_or_assign(std::string(id), shared);
  return shared;
}

void Notifier::ForgetTemplate(domain::TenantId tenant, std::string_view template_id) {
  absl::StatusOr<TenantNotify*> state = Tenant(tenant);
  if (!state.ok()) return;
  absl::MutexLock lock(&(*state)->templates_mu);
  if (auto it = (*state)->templates.find(template_id); it != (*state)->templates.end()) {
    (*state)->templates.erase(it);
  }
}

absl::StatusOr<NotifySettings> Notifier::Settings(domain::TenantId tenant) {
  absl::StatusOr<TenantNotify*> state = Tenant(tenant);
  if (!state.ok()) return state.status();
  absl::MutexLock lock(&(*state)->mu);
  return (*state)->settings;
}

void Notifier::OnSettingsCommitted(domain::TenantId tenant, const NotifySettings& settings) {
  absl::StatusOr<TenantNotify*> state = Tenant(tenant);
  if (!state.ok()) return;
  absl::MutexLock lock(&(*state)->mu);
  (*state)->settings = settings;
}

absl::StatusOr<Decision> Notifier::Decide(domain::TenantId tenant, const DecideRequest& req) {
  absl::StatusOr<TenantNotify*> state_or = Tenant(tenant);
  if (!state_or.ok()) return state_or.status();
  TenantNotify& state = **state_or;
  DecideInputs in;
  in.request = &req;
  in.now = clock_.Now();
  in.start = std::max(req.window_start.value_or(in.now), in.now);
  in.end = req.window_end.value_or(in.start + absl::Hours(24));
  if (in.end <= in.start) return InvalidField("window.end", "the window is entirely in the past");

  absl::StatusOr<domain::User> user = store_.GetUser(tenant, req.user_id);
  if (absl::IsNotFound(user.status())) {
    return absl::NotFoundError(
        StrCat("user ", req.user_id, " does not exist (PUT /v1/users first)"));
  }
  if (!user.ok()) return user.status();
  in.user = &*user;
  NotifySettings settings;
  {
    absl::MutexLock lock(&state.mu);
    settings = state.settings;
  }
  if (req.inline_template) {
    in.templ = req.inline_template;
  } else {
    absl::StatusOr<std::shared_ptr<const NotificationTemplate>> t =
        Template(tenant, state, req.template_id);
    if (!t.ok()) return t.status();
    in.templ = *t;
  }
  if (settings.fallback) {
    absl::StatusOr<std::shared_ptr<const NotificationTemplate>> t =
        Template(tenant, state, settings.fallback->template_id);
    if (t.ok()) in.fallback_templ = *t;  // a missing safe default only means no fallback
  }
  json::object context = req.context;
  context["user"] = UserContext(*user);
  if (!req.item_id.empty()) {
    absl::StatusOr<domain::Item> item = store_.GetItem(tenant, req.item_id);
    if (absl::IsNotFound(item.status())) {
      return absl::NotFoundError(StrCat("item ", req.item_id, " does not exist"));
    }
    if (!item.ok()) return item.status();
    json::object item_json = item->attributes;
    for (auto& [k, v] : domain::ItemToJson(*item)) item_json[k] = v;
    context["item"] = std::move(item_json);
  }
  in.context = std::move(context);
  in.time_zone = !user->timezone.empty() ? user->timezone : settings.default_time_zone;
  in.render.time_zone = in.time_zone;
  in.render.locale = !user->locale.empty()       ? user->locale
                     : !in.templ->locale.empty() ? in.templ->locale
                                                 : "en-US";
  serving::TenantRuntime* runtime = nullptr;
  if (engine_ != nullptr) {
    absl::StatusOr<serving::TenantRuntime*> r = engine_->Tenant(tenant);
    if (r.ok()) runtime = *r;
  }
  if (runtime != nullptr) in.signals = runtime->profiles.Signals(req.user_id, in.now);
  in.render.section_provider = RecommendationsSection(runtime, clock_, req.user_id);
  state.RefreshPriors(in.now, options_.prior_refresh, runtime);

  // The policy reads the bandit, caps and priors and draws from the tenant's
  // random stream; the send is reserved against the caps under the same lock,
  // so concurrent decisions for one user cannot overbook (decision_policy.h).
  absl::MutexLock lock(&state.mu);
  Decision d;
  d.user_id = req.user_id;
  d.segment = req.segment;
  d.category = req.category;
  d.dry_run = req.dry_run;
  d.id = fmt::format("nd_{:016x}{:016x}", state.rng.Next(), state.rng.Next());
  UserNotify& history = state.users[req.user_id];
  const std::vector<decide::SentMessage> cap_history = history.CapHistory();
  RunDecisionPolicy(in,
                    {.settings = settings,
                     .history = history,
                     .cap_history = cap_history,
                     .bandit = state.bandit,
                     .variant_counts = state.variant_counts,
                     .channel_priors = state.channel_priors,
                     .tenant_hours = state.tenant_hours,
                     .rng = state.rng},
                    d);
  if (d.sent && !d.dry_run) {
    history.reserved[d.id] = {d.send_at, d.channel, d.category};
    d.ledger_expected = history.ledger_version + history.ledger_inflight;
    ++history.ledger_inflight;
  }
  return d;
}

void Notifier::AddDecisionWrite(domain::TenantId tenant, const Decision& decision,
                                storage::WriteBatch& batch) const {
  if (decision.dry_run) return;
  if (options_.announce) {
    options_.announce(tenant, "decision.created", decision.answer, batch);
    const json::value* fallback = decision.answer.if_contains("fallback_used");
    const json::value* suppressed = decision.answer.if_contains("suppressed");
    const bool below = suppressed != nullptr && suppressed->is_object() &&
                       suppressed->get_object().at("reason") == "quality_below_threshold";
    if (below || (fallback != nullptr && fallback->is_bool() && fallback->get_bool())) {
      options_.announce(tenant, "quality.threshold_failed",
                        {{"decision_id", decision.id},
                         {"user_id", decision.user_id},
                         {"quality_score", decision.answer.at("quality_score")},
                         {"quality", decision.answer.at("quality")},
                         {"fallback_used", !below}},
                        batch);
    }
  }
  const absl::Time now = clock_.Now();
  batch.PutRecord(kDecisionsCollection, decision.id, json::serialize(decision.answer), now);
  if (decision.ledger_expected >= 0) {
    batch.PutRecordIf(kCapLedgerCollection, decision.user_id,
                      json::serialize(json::object{{"decision_id", decision.id}}), now,
                      decision.ledger_expected);
  }
}

void Notifier::OnDecisionFailed(domain::TenantId tenant, const Decision& decision) {
  if (decision.ledger_expected < 0) return;
  absl::StatusOr<TenantNotify*> state = Tenant(tenant);
  if (!state.ok()) return;
  absl::MutexLock lock(&(*state)->mu);
  UserNotify& u = (*state)->users[decision.user_id];
  u.reserved.erase(decision.id);
  u.ledger_inflight = std::max<int64_t>(0, u.ledger_inflight - 1);
}

bool Notifier::AwaitLedgerPast(domain::TenantId tenant, const Decision& decision,
                               absl::Duration timeout) {
  absl::StatusOr<TenantNotify*> state = Tenant(tenant);
  if (!state.ok()) return false;
  // Rare (two nodes sending to one user at once): a short poll is enough.
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    {
      absl::MutexLock lock(&(*state)->mu);
      if ((*state)->users[decision.user_id].ledger_version > decision.ledger_expected) return true;
    }
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
}

void Notifier::OnDecisionCommitted(domain::TenantId tenant, const Decision& decision) {
  if (decision.dry_run) return;
  if (!decision.sent) return;
  absl::StatusOr<TenantNotify*> state = Tenant(tenant);
  if (!state.ok()) return;
  if (decision.ledger_expected >= 0) {
    absl::MutexLock lock(&(*state)->mu);
    UserNotify& u = (*state)->users[decision.user_id];
    u.ledger_inflight = std::max<int64_t>(0, u.ledger_inflight - 1);
    u.ledger_version = std::max(u.ledger_version, decision.ledger_expected + 1);
  }
  Memo memo = MemoOf(decision);
  if (const json::value* t = decision.answer.if_contains("tone"); t && t->is_string()) {
    memo.tone = std::string(t->get_string());
  }
  if (const json::value* l = decision.answer.if_contains("length"); l && l->is_string()) {
    memo.length = std::string(l->get_string());
  }
  if (const json::value* c = decision.answer.if_contains("conversion_event"); c && c->is_string()) {
    memo.conversion_event = std::string(c->get_string());
  }
  absl::MutexLock lock(&(*state)->mu);
  (*state)->ApplySendLocked(decision.id, std::move(memo));
}

absl::StatusOr<Decision> Notifier::DecideAndCommit(domain::TenantId tenant,
                                                   const DecideRequest& request) {
  int64_t position = 0;
  return DecideAndCommitAt(tenant, request, &position);
}

absl::StatusOr<Decision> Notifier::DecideAndCommitAt(domain::TenantId tenant,
                                                     const DecideRequest& request,
                                                     int64_t* position) {
  constexpr int kAttempts = 4;
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<Decision> d = Decide(tenant, request);
    if (!d.ok()) return d;
    storage::WriteBatch batch;
    AddDecisionWrite(tenant, *d, batch);
    if (batch.empty()) return d;
    absl::StatusOr<storage::WriteResult> w = store_.WriteSync(tenant, std::move(batch));
    if (w.ok()) {
      *position = w->change_position;
      OnDecisionCommitted(tenant, *d);
      return d;
    }
    OnDecisionFailed(tenant, *d);
    if (!absl::IsAborted(w.status()) || attempt == kAttempts) return w.status();
    // Another node sent to this user first: decide again once its send
    // counts here.
    AwaitLedgerPast(tenant, *d, absl::Seconds(2));
  }
}

void Notifier::DecideAndCommitLater(
    domain::TenantId tenant, DecideRequest request,
    std::function<void(absl::StatusOr<Decision>, int64_t position)> done) {
  absl::MutexLock lock(&retry_mu_);
  if (!retry_thread_.joinable()) retry_thread_ = std::thread([this] { RetryLoop(); });
  retries_.push_back({tenant, std::move(request), std::move(done)});
  retry_cv_.Signal();
}

void Notifier::RetryLoop() {
  for (;;) {
    Retry job;
    {
      absl::MutexLock lock(&retry_mu_);
      while (!retry_stopping_ && retries_.empty()) retry_cv_.Wait(&retry_mu_);
      if (retries_.empty()) return;  // stopping and drained
      job = std::move(retries_.front());
      retries_.pop_front();
    }
    int64_t position = 0;
    absl::StatusOr<Decision> d = DecideAndCommitAt(job.tenant, job.request, &position);
    job.done(std::move(d), position);
  }
}

}  // namespace tailor::notify
