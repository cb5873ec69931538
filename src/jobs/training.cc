#include "jobs/training.h"

#include "jobs/insights_job.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

#include "common/random.h"
#include "common/rounding.h"
#include "common/thread_priority.h"
#include "common/strings.h"
#include "domain/validation.h"
#include "models/recsys/model_factory.h"
#include "spdlog/spdlog.h"

namespace tailor::jobs {

namespace json = boost::json;

namespace {

constexpr size_t kKeptJobs = 50;

struct OfflineMetrics {
  double hr10 = 0.0;
  double ndcg10 = 0.0;
  int users = 0;
};

OfflineMetrics Evaluate(const recsys::Model& model, const recsys::InteractionMatrix& train,
                        std::vector<std::pair<int32_t, int32_t>> holdout) {
  OfflineMetrics m;
  Random rng(42);
  std::shuffle(holdout.begin(), holdout.end(), rng.engine());
  if (holdout.size() > static_cast<size_t>(kMetricUsers)) holdout.resize(kMetricUsers);
  for (const auto& [user, item] : holdout) {
    if (user >= train.rows()) continue;
    recsys::History history = recsys::RowHistory(train, user);
    if (history.empty() || item >= model.num_items()) continue;
    Eigen::VectorXf scores = model.Score(history);
    for (const recsys::HistoryEntry& e : history) {
      if (e.item < scores.size()) scores[e.item] = -std::numeric_limits<float>::infinity();
    }
    float target = scores[item];
    int rank = 0;
    for (int32_t j = 0; j < scores.size() && rank < 10; ++j) {
      if (j != item && scores[j] > target) ++rank;
    }
    ++m.users;
    if (rank < 10) {
      m.hr10 += 1.0;
      m.ndcg10 += 1.0 / std::log2(rank + 2.0);
    }
  }
  if (m.users > 0) {
    m.hr10 /= m.users;
    m.ndcg10 /= m.users;
  }
  return m;
}

}  // namespace

std::string InsufficientData(const recsys::InteractionMatrix& train) {
  int32_t users = 0;
  for (int32_t u = 0; u < train.outerSize(); ++u) {
    users += train.outerIndexPtr()[u + 1] > train.outerIndexPtr()[u];
  }
  int32_t items = 0;
  for (int32_t count : recsys::ColumnCounts(train)) items += count > 0;
  if (users < kMinTrainingUsers || items < kMinTrainingItems) {
    return StrCat("trained on ", users, users == 1 ? " user" : " users", " and ", items,
                  items == 1 ? " item" : " items", " with interactions; a model is served from ",
                  kMinTrainingUsers, " users and ", kMinTrainingItems, " items");
  }
  return "";
}

json::object DefaultParams(const std::string& model) {
  if (model == "itemknn") return {{"topk", 100}, {"shrink", 10.0}};
  if (model == "rp3beta") return {{"topk", 100}, {"alpha", 1.0}, {"beta", 0.5}};
  if (model == "ease") return {{"l2", 500.0}};
  if (model == "ials") return {{"factors", 64}, {"reg", 0.1}, {"alpha", 5.0}, {"epochs", 15}};
  return {};
}

absl::StatusOr<serving::ModelRecord> TrainModel(serving::TenantRuntime& tenant,
                                                const std::string& name,
                                                const json::object& params, Clock& clock) {
  absl::StatusOr<std::unique_ptr<recsys::Model>> model = recsys::CreateModel(name);
  if (!model.ok()) return absl::InvalidArgumentError(StrCat("unknown model \"", name, "\""));
  json::object merged = DefaultParams(name);
  for (const auto& [k, v] : params) merged[k] = v;

  serving::TrainingSnapshot snap = tenant.state.Snapshot();
  if (snap.train.empty()) {
    return absl::FailedPreconditionError("the tenant has no interactions to train on yet");
  }
  if (name == "ease" && snap.num_items > kEaseMaxItems) {
    return absl::FailedPreconditionError(
        StrCat("ease needs an item x item matrix; ", snap.num_items, " items exceed ", kEaseMaxItems));
  }
  recsys::InteractionMatrix train =
      recsys::BuildInteractionMatrix(snap.num_users, snap.num_items, snap.train);
  absl::Time started = clock.Now();
  auto wall_start = std::chrono::steady_clock::now();
  if (absl::Status s = (*model)->Fit(train, merged); !s.ok()) return s;
  // The model's indexes are the snapshot's: record which items they are.
  if (absl::Status s = (*model)->SetItemIds(std::move(snap.item_ids)); !s.ok()) return s;
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  OfflineMetrics metrics = Evaluate(**model, train, snap.holdout);

  serving::ModelRecord record;
  record.name = name;
  record.params = (*model)->Params();
  record.trained_at = started;
  record.training_seconds = RoundSignificant(seconds, 3);  // a timing: 3 digits mean something
  record.num_users = snap.num_users;
  record.num_items = snap.num_items;
  record.num_interactions = static_cast<int64_t>(train.nonZeros());
  record.num_events = snap.num_events;
  record.metrics = {{"protocol", "leave-last-out, all unconsumed items"},
                    {"hr@10", RoundDecimals(metrics.hr10, 4)},
                    {"ndcg@10", RoundDecimals(metrics.ndcg10, 4)},
                    {"users", metrics.users}};
  record.insufficient_data = InsufficientData(train);
  absl::StatusOr<serving::ModelRecord> published =
      tenant.registry.Publish(std::move(*model), std::move(record));
  if (published.ok()) {
    spdlog::info("tenant {}: {} v{} trained in {:.2f} s on {} interactions, hr@10 {:.4f}",
                 tenant.id, name, published->version, seconds, published->num_interactions,
                 metrics.hr10);
  }
  return published;
}

absl::Status BuildContentIndex(serving::TenantRuntime& tenant, storage::Store& store) {
  int64_t since = tenant.content.Generation();
  std::vector<text::ContentDocument> docs(tenant.state.num_items());
  absl::Status listed = store.ForEachItem(tenant.id, [&](const domain::Item& item) {
    std::optional<int32_t> index = tenant.state.ItemIndex(item.id);
    if (!index) return;
    if (static_cast<size_t>(*index) >= docs.size()) docs.resize(*index + 1);
    docs[*index] = serving::ContentDocumentOf(item);
  });
  if (!listed.ok()) return listed;
  tenant.content.Replace(std::move(docs), since);
  tenant.content.Refresh();
  return absl::OkStatus();
}

absl::Status BuildContentIndexFromDocs(serving::TenantRuntime& tenant,
                                       const std::vector<text::ContentDocument>& docs) {
  tenant.content.Replace(docs, tenant.content.Generation());
  tenant.content.Refresh();
  return absl::OkStatus();
}

json::object Job::ToJson() const {
  json::object out{{"job_id", id},
                   {"model", model},
                   {"params", params},
                   {"state", state},
                   {"queued_at", domain::FormatRfc3339(queued_at)}};
  if (!error.empty()) out["error"] = error;
  if (record) out["model_version"] = record->version;
  return out;
}

TrainingScheduler::TrainingScheduler(serving::Engine& engine, Clock& clock,
                                     SchedulerOptions options)
    : engine_(engine), clock_(clock), options_(std::move(options)) {}

TrainingScheduler::~TrainingScheduler() { Stop(); }

void TrainingScheduler::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  loop_done_ = false;
  thread_ = std::thread([this] {
    LowerThreadPriority(options_.nice);
    Loop();
  });
}

void TrainingScheduler::Stop() { (void)StopWithin(absl::InfiniteDuration()); }

bool TrainingScheduler::StopWithin(absl::Duration grace) {
  std::unique_lock lock(mu_);
  stopping_ = true;
  queue_.clear();
  cv_.notify_all();
  if (!thread_.joinable()) return true;
  if (grace != absl::InfiniteDuration() &&
      !cv_.wait_for(lock, absl::ToChronoMilliseconds(grace), [this] { return loop_done_; })) {
    return false;  // a fit is still running
  }
  lock.unlock();
  thread_.join();
  return true;
}

absl::StatusOr<Job> TrainingScheduler::Enqueue(domain::TenantId tenant, const std::string& model,
                                               json::object params) {
  if (model != "content" && model != "insights") {
    std::vector<std::string> names = recsys::ModelNames();
    if (std::find(names.begin(), names.end(), model) == names.end()) {
      return absl::NotFoundError(StrCat("unknown model \"", model, "\""));
    }
  }
  Job job;
  {
    std::lock_guard lock(mu_);
    job.id = next_id_++;
    job.tenant = tenant;
    job.model = model;
    job.params = std::move(params);
    job.queued_at = clock_.Now();
    jobs_.push_back(job);
    while (jobs_.size() > kKeptJobs && jobs_.front().state != "queued" &&
           jobs_.front().state != "running") {
      jobs_.pop_front();
    }
    queue_.push_back(job.id);
  }
  cv_.notify_all();
  return job;
}

std::vector<Job> TrainingScheduler::Jobs(domain::TenantId tenant) const {
  std::lock_guard lock(mu_);
  std::vector<Job> out;
  for (auto it = jobs_.rbegin(); it != jobs_.rend(); ++it) {
    if (it->tenant == tenant) out.push_back(*it);
  }
  return out;
}

void TrainingScheduler::RunQueued() {
  for (;;) {
    int64_t id;
    {
      std::lock_guard lock(mu_);
      if (queue_.empty()) return;
      id = queue_.front();
      queue_.pop_front();
    }
    RunJob(id);
  }
}

void TrainingScheduler::RunJob(int64_t id) {
  Job job;
  {
    std::lock_guard lock(mu_);
    auto it = std::find_if(jobs_.begin(), jobs_.end(), [&](const Job& j) { return j.id == id; });
    if (it == jobs_.end()) return;
    it->state = "running";
    job = *it;
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
                         (*tenant)->insights_options);
  } else {
    absl::StatusOr<serving::ModelRecord> r = TrainModel(**tenant, job.model, job.params, clock_);
    if (r.ok()) {
      record = std::move(*r);
    } else {
      status = r.status();
    }
  }
  if (!status.ok()) {
    spdlog::warn("tenant {}: training {} failed: {}", job.tenant, job.model,
                 std::string(status.message()));
  }
  std::lock_guard lock(mu_);
  auto it = std::find_if(jobs_.begin(), jobs_.end(), [&](const Job& j) { return j.id == id; });
  if (it == jobs_.end()) return;
  it->state = status.ok() ? "succeeded" : "failed";
  it->error = std::string(status.message());
  it->record = std::move(record);
  it->finished_at = clock_.Now();
}

int TrainingScheduler::ScheduleDue() {
  absl::Time now = clock_.Now();
  int queued = 0;
  for (serving::TenantRuntime* tenant : engine_.Tenants()) {
    int64_t applied = tenant->state.events_applied();
    int64_t last = tenant->events_at_last_training.load();
    if (applied == 0 || applied == last) continue;
    std::shared_ptr<const serving::ModelSet> set = tenant->registry.Current();
    absl::Time newest = absl::InfinitePast();
    for (const auto& [name, m] : set->models) newest = std::max(newest, m->record.trained_at);
    int64_t added = applied - last;
    bool never = set->models.empty();
    bool many = added >= options_.retrain_after_events;
    bool grown = added >= options_.retrain_min_events &&
                 static_cast<double>(added) >= options_.retrain_growth * static_cast<double>(last);
    bool stale = now - newest >= options_.interval;
    if (!(never || many || grown || stale)) continue;
    tenant->events_at_last_training = applied;
    ++queued;
    int32_t items = tenant->state.num_items();
    // Insights first: one scan of the events, minutes faster than a
    // factorisation on a large tenant.
    (void)Enqueue(tenant->id, "insights", {});
    for (const std::string& model : options_.models) {
      if (model == "ease" && items > kEaseMaxItems) continue;
      (void)Enqueue(tenant->id, model, {});
    }
    (void)Enqueue(tenant->id, "content", {});
  }
  return queued;
}

void TrainingScheduler::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (queue_.empty() && options_.background) {
      lock.unlock();
      ScheduleDue();
      lock.lock();
    }
    if (!queue_.empty()) {
      int64_t id = queue_.front();
      queue_.pop_front();
      lock.unlock();
      RunJob(id);
      lock.lock();
      continue;
    }
    cv_.wait_for(lock, absl::ToChronoMilliseconds(options_.poll));
  }
  loop_done_ = true;
  cv_.notify_all();
}

}  // namespace tailor::jobs
