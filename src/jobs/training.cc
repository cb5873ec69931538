#include "jobs/training.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

#include "common/random.h"
#include "common/rounding.h"
#include "common/strings.h"
#include "domain/validation.h"
#include "models/recsys/model_factory.h"
#include "spdlog/spdlog.h"

namespace tailor::jobs {

namespace json = boost::json;

namespace {

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

}  // namespace tailor::jobs
