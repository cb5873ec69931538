#include "jobs/training_scheduler.h"

#include <algorithm>
#include <tuple>

#include "common/strings.h"
#include "common/thread_priority.h"
#include "domain/validation.h"
#include "jobs/insights_job.h"
#include "jobs/training.h"
#include "models/recsys/model_factory.h"
#include "spdlog/spdlog.h"

namespace tailor::jobs {

namespace json = boost::json;

namespace {

constexpr size_t kKeptJobs = 50;

}  // namespace

json::object Job::ToJson() const {
  json::object out{{"job_id", id},
                   {"model", model},
                   {"params", params},
                   {"state", state},
                   {"queued_at", domain::FormatRfc3339(queued_at)}};
  if (!error.empty()) out["error"] = error;
  if (!waiting.empty()) out["waiting"] = waiting;
  if (record) out["model_version"] = record->version;
  return out;
}

TrainingScheduler::TrainingScheduler(serving::Engine& engine, Clock& clock,
                                     SchedulerOptions options)
    : engine_(engine),
      clock_(clock),
      options_(std::move(options)),
      leases_(engine.store(), clock) {}

TrainingScheduler::~TrainingScheduler() { Stop(); }

void TrainingScheduler::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  loop_done_ = false;
  thread_ = std::thread([this] {
    LowerThreadPriority(options_.nice);
    Loop();
  });
  renewer_ = std::thread([this] { RenewLoop(); });
}

void TrainingScheduler::Stop() { (void)StopWithin(absl::InfiniteDuration()); }

bool TrainingScheduler::StopWithin(absl::Duration grace) {
  bool started;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    queue_.clear();
    cv_.SignalAll();
    started = thread_.joinable();
    const absl::Time deadline =
        grace == absl::InfiniteDuration() ? absl::InfiniteFuture() : absl::Now() + grace;
    while (started && !loop_done_) {
      if (cv_.WaitWithDeadline(&mu_, deadline) && !loop_done_) {
        return false;  // a fit is still running; the renewer keeps its lease
      }
    }
  }
  if (started) {
    thread_.join();
    renewer_.join();
  }
  // Scheduled jobs dropped from the queue leave their holds: give the
  // leases back so another node need not wait for them to lapse.
  std::vector<domain::TenantId> held;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [tenant, count] : held_) held.push_back(tenant);
    held_.clear();
  }
  for (domain::TenantId tenant : held) {
    leases_.Release(tenant, kTrainerLease, options_.node_id).IgnoreError();
  }
  return true;
}

bool TrainingScheduler::IsModel(const std::string& name) const {
  std::vector<std::string> names = recsys::ModelNames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

absl::StatusOr<Job> TrainingScheduler::Enqueue(domain::TenantId tenant, const std::string& model,
                                               json::object params) {
  return Push(tenant, model, std::move(params), false);
}

absl::StatusOr<Job> TrainingScheduler::Push(domain::TenantId tenant, const std::string& model,
                                            json::object params, bool scheduled) {
  if (model != "content" && model != "insights" && !IsModel(model)) {
    return absl::NotFoundError(StrCat("unknown model \"", model, "\""));
  }
  Job job;
  absl::MutexLock lock(&mu_);
  job.id = next_id_++;
  job.tenant = tenant;
  job.model = model;
  job.params = std::move(params);
  job.queued_at = clock_.Now();
  job.scheduled = scheduled;
  if (scheduled) ++held_[tenant];  // the caller holds the lease: this job shares it
  jobs_.push_back(job);
  while (jobs_.size() > kKeptJobs && jobs_.front().state != "queued" &&
         jobs_.front().state != "running") {
    jobs_.pop_front();
  }
  queue_.push_back(job.id);
  cv_.SignalAll();
  return job;
}

std::vector<Job> TrainingScheduler::Jobs(domain::TenantId tenant) const {
  absl::MutexLock lock(&mu_);
  std::vector<Job> out;
  for (auto it = jobs_.rbegin(); it != jobs_.rend(); ++it) {
    if (it->tenant == tenant) out.push_back(*it);
  }
  return out;
}

void TrainingScheduler::RunQueued() {
  size_t waiting = 0;  // consecutive jobs that had to wait: stop after a full turn
  for (;;) {
    int64_t id;
    {
      absl::MutexLock lock(&mu_);
      if (queue_.empty() || waiting >= queue_.size()) return;
      id = queue_.front();
      queue_.pop_front();
    }
    waiting = RunJob(id) ? 0 : waiting + 1;
  }
}

bool TrainingScheduler::HoldTrainer(domain::TenantId tenant) {
  {
    absl::MutexLock lock(&mu_);
    if (auto it = held_.find(tenant); it != held_.end()) {
      ++it->second;
      return true;
    }
  }
  // Taking the lease and counting the hold are one step for the renewer
  // and for UnholdTrainer's release.
  absl::MutexLock lease_lock(&lease_mu_);
  {
    absl::MutexLock lock(&mu_);
    if (auto it = held_.find(tenant); it != held_.end()) {
      ++it->second;
      return true;
    }
  }
  absl::StatusOr<bool> got =
      leases_.TryAcquire(tenant, kTrainerLease, options_.node_id, options_.lease_ttl);
  if (!got.ok()) {
    spdlog::warn("tenant {}: trainer lease unavailable: {}", tenant,
                 std::string(got.status().message()));
    return false;
  }
  if (!*got) return false;
  absl::MutexLock lock(&mu_);
  ++held_[tenant];
  return true;
}

void TrainingScheduler::UnholdTrainer(domain::TenantId tenant) {
  absl::MutexLock lease_lock(&lease_mu_);
  {
    absl::MutexLock lock(&mu_);
    auto it = held_.find(tenant);
    if (it == held_.end() || --it->second > 0) return;
    held_.erase(it);
  }
  if (absl::Status s = leases_.Release(tenant, kTrainerLease, options_.node_id); !s.ok()) {
    spdlog::warn("tenant {}: trainer lease not released (it lapses): {}", tenant,
                 std::string(s.message()));
  }
}

void TrainingScheduler::RenewLoop() {
  absl::Time next = absl::Now() + options_.lease_ttl / 3;
  for (;;) {
    std::vector<domain::TenantId> tenants;
    {
      absl::MutexLock lock(&mu_);
      while (!loop_done_ && !cv_.WaitWithDeadline(&mu_, next)) {
      }
      if (loop_done_) return;
      if (absl::Now() < next) continue;  // woken for something else
      next = absl::Now() + options_.lease_ttl / 3;
      for (const auto& [tenant, count] : held_) tenants.push_back(tenant);
    }
    for (domain::TenantId tenant : tenants) {
      absl::MutexLock lease_lock(&lease_mu_);
      {
        absl::MutexLock lock(&mu_);
        if (!held_.contains(tenant)) continue;  // released meanwhile: not ours to renew
      }
      absl::StatusOr<bool> kept =
          leases_.TryAcquire(tenant, kTrainerLease, options_.node_id, options_.lease_ttl);
      if (!kept.ok() || !*kept) {
        spdlog::warn("tenant {}: trainer lease not renewed: {}", tenant,
                     kept.ok() ? "another node holds it" : std::string(kept.status().message()));
      }
    }
  }
}

bool TrainingScheduler::RunJob(int64_t id) {
  Job job;
  {
    absl::MutexLock lock(&mu_);
    auto it = std::find_if(jobs_.begin(), jobs_.end(), [&](const Job& j) { return j.id == id; });
    if (it == jobs_.end()) return true;
    job = *it;
  }
  // A model fit holds the tenant's trainer lease (a scheduled job already
  // does: ScheduleDue took it for the round).
  const bool fits = IsModel(job.model);
  if (fits && !job.scheduled && !HoldTrainer(job.tenant)) {
    absl::StatusOr<storage::LeaseInfo> holder = leases_.Holder(job.tenant, kTrainerLease);
    absl::MutexLock lock(&mu_);
    auto it = std::find_if(jobs_.begin(), jobs_.end(), [&](const Job& j) { return j.id == id; });
    if (it == jobs_.end()) return true;
    it->waiting = StrCat("node ", holder.ok() ? holder->holder : std::string("?"),
                         " is training this tenant");
    if (!stopping_) queue_.push_back(id);
    return false;
  }
  {
    absl::MutexLock lock(&mu_);
    auto it = std::find_if(jobs_.begin(), jobs_.end(), [&](const Job& j) { return j.id == id; });
    if (it != jobs_.end()) {
      it->state = "running";
      it->waiting.clear();
    }
  }
  absl::Status status;
  std::optional<serving::ModelRecord> record;
  absl::StatusOr<serving::TenantRuntime*> tenant = engine_.Tenant(job.tenant);
  if (!tenant.ok()) {
    status = tenant.status();
  } else if (job.model == "content") {
    status = BuildContentIndex(**tenant, engine_.store());
  } else if (job.model == "insights") {
    status = FitInsights(**tenant, engine_.store(), engine_.sentiment(), clock_,
                         (*tenant)->InsightsOptions());
  } else {
    absl::StatusOr<serving::ModelRecord> r = TrainModel(**tenant, job.model, job.params, clock_);
    if (r.ok()) {
      record = std::move(*r);
    } else {
      status = r.status();
    }
  }
  if (fits) UnholdTrainer(job.tenant);
  if (!status.ok()) {
    spdlog::warn("tenant {}: training {} failed: {}", job.tenant, job.model,
                 std::string(status.message()));
  }
  absl::MutexLock lock(&mu_);
  auto it = std::find_if(jobs_.begin(), jobs_.end(), [&](const Job& j) { return j.id == id; });
  if (it == jobs_.end()) return true;
  it->state = status.ok() ? "succeeded" : "failed";
  it->error = std::string(status.message());
  it->record = std::move(record);
  it->finished_at = clock_.Now();
  return true;
}

bool TrainingScheduler::Due(int64_t applied, int64_t last, bool never, absl::Time newest) const {
  if (applied == 0 || applied <= last) return false;
  const int64_t added = applied - last;
  const bool many = added >= options_.retrain_after_events;
  const bool grown =
      added >= options_.retrain_min_events &&
      static_cast<double>(added) >= options_.retrain_growth * static_cast<double>(last);
  const bool stale = clock_.Now() - newest >= options_.interval;
  return never || many || grown || stale;
}

int TrainingScheduler::ScheduleDue() {
  int queued = 0;
  for (serving::TenantRuntime* tenant : engine_.Tenants()) {
    const int64_t applied = tenant->state.events_applied();
    // The models' view: what the newest served models were trained on (or
    // when this node last queued them).
    auto models_last = [&] {
      std::shared_ptr<const serving::ModelSet> set = tenant->registry.Current();
      int64_t last = 0;
      absl::Time newest = absl::InfinitePast();
      for (const auto& [name, m] : set->models) {
        last = std::max(last, m->record.num_events);
        newest = std::max(newest, m->record.trained_at);
      }
      absl::MutexLock lock(&mu_);
      auto q = models_queued_at_.find(tenant->id);
      if (q != models_queued_at_.end()) last = std::max(last, q->second);
      return std::make_tuple(last, newest, set->models.empty());
    };
    auto [last, newest, never] = models_last();
    // This node's insights and content index follow its own events.
    const bool local = Due(applied, tenant->events_at_last_training.load(), never, newest);
    if (local) {
      tenant->events_at_last_training = applied;
      // Insights first: one scan of the events, minutes faster than a
      // factorisation on a large tenant.
      (void)Push(tenant->id, "insights", {}, false);
    }
    int models = 0;
    bool busy;
    {
      absl::MutexLock lock(&mu_);
      busy = held_.contains(tenant->id);  // a round or a job of this node runs
    }
    if (!options_.models.empty() && !busy && Due(applied, last, never, newest) &&
        HoldTrainer(tenant->id)) {
      // What other nodes published until now counts: maybe nothing is left.
      if (absl::Status s = tenant->registry.Refresh(); !s.ok()) {
        spdlog::warn("tenant {}: stored models not read: {}", tenant->id, std::string(s.message()));
      }
      std::tie(last, newest, never) = models_last();
      if (Due(applied, last, never, newest)) {
        {
          absl::MutexLock lock(&mu_);
          models_queued_at_[tenant->id] = applied;
        }
        const int32_t items = tenant->state.num_items();
        for (const std::string& model : options_.models) {
          if (!IsModel(model) || (model == "ease" && items > kEaseMaxItems)) continue;
          // Each scheduled job holds the lease until it ends.
          if (Push(tenant->id, model, {}, true).ok()) ++models;
        }
      }
      UnholdTrainer(tenant->id);  // this check's own hold
    }
    if (local) (void)Push(tenant->id, "content", {}, false);
    if (local || models > 0) ++queued;
  }
  return queued;
}

void TrainingScheduler::Loop() {
  absl::MutexLock lock(&mu_);
  bool waited = false;  // the last job popped waits for another node
  while (!stopping_) {
    if (options_.background && (queue_.empty() || waited)) {
      mu_.Unlock();
      ScheduleDue();
      mu_.Lock();
    }
    waited = false;
    if (!queue_.empty()) {
      int64_t id = queue_.front();
      queue_.pop_front();
      mu_.Unlock();
      const bool ran = RunJob(id);
      mu_.Lock();
      if (ran) continue;
      waited = true;
    }
    cv_.WaitWithTimeout(&mu_, options_.poll);
  }
  loop_done_ = true;
  cv_.SignalAll();
}

}  // namespace tailor::jobs
