// Recommender::Rank: a caller's candidate list in the order the user should
// see it, scored by the same chain as recommendations (candidate_scoring.h).
#include <algorithm>
#include <optional>

#include "common/field_errors.h"
#include "recommend/candidate_scoring.h"
#include "serving/served_model.h"
#include "recommend/explanations.h"
#include "recommend/recommender.h"

namespace tailor::recommend {

namespace {

// Sections of the answer, in order.
enum Tier : int { kEvidence = 0, kNoEvidence = 1, kDisliked = 2, kUnknown = 3 };

struct Ranked {
  size_t position;  // in the candidates
  int32_t item;     // index, -1 when unknown
  Tier tier;
  float key;
};

}  // namespace

absl::StatusOr<Recommendation> Recommender::Rank(const std::string& user_id,
                                                 const std::vector<std::string>& candidates,
                                                 bool explain, const std::string& model) const {
  if (candidates.empty() || candidates.size() > 1000) {
    return InvalidField("items", "must list 1 to 1000 item ids");
  }
  tenant_.content.Refresh();
  std::shared_ptr<const serving::ModelSet> set = tenant_.registry.Current();
  serving::UserHistory history = tenant_.state.User(user_id);
  absl::StatusOr<const serving::ServingModel*> picked = PickModel(model, history, *set);
  if (!picked.ok()) return picked.status();
  CandidateScores scored = ScoreCandidates(tenant_.state, *set, *picked, history,
                                           {.cold_blend = options_.cold_blend,
                                            .trending_window = options_.trending_window,
                                            .now = clock_.Now()});
  auto disliked = [&](int32_t j) {
    return std::binary_search(history.negatives.begin(), history.negatives.end(), j);
  };
  std::vector<Ranked> ranked;
  ranked.reserve(candidates.size());
  for (size_t k = 0; k < candidates.size(); ++k) {
    std::optional<int32_t> j = tenant_.state.ItemIndex(candidates[k]);
    if (!j || *j >= static_cast<int32_t>(scored.key.size())) {
      ranked.push_back({k, -1, kUnknown, 0.0f});
    } else if (disliked(*j)) {
      ranked.push_back({k, *j, kDisliked, 0.0f});
    } else if (scored.strategy[*j] == Strategy::kNone) {
      ranked.push_back({k, *j, kNoEvidence, 0.0f});
    } else {
      ranked.push_back({k, *j, kEvidence, scored.key[*j]});
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.tier != b.tier) return a.tier < b.tier;
    return a.key > b.key;
  });

  const serving::ServingModel* knn_model = serving::ServedModel(*set, "itemknn");
  Recommendation out;
  out.decision_id = NewDecisionId();
  tenant_.state.ReadCatalog([&](const std::vector<serving::ItemInfo>& items) {
    ExplainContext context{.items = items,
                           .history = history,
                           .content = set->content.get(),
                           .supporters = knn_model != nullptr && knn_model->supporters.nonZeros() > 0
                                             ? &knn_model->supporters
                                             : nullptr,
                           .category = ""};
    for (const Ranked& r : ranked) {
      RecommendedItem item;
      item.item_id = candidates[r.position];
      switch (r.tier) {
        case kEvidence:
          item.score = scored.score[r.item];
          item.strategy = StrategyName(scored.strategy[r.item], scored.model);
          if (explain) item.reasons.push_back(ExplainItem(context, scored.strategy[r.item], r.item));
          break;
        case kNoEvidence:
          item.strategy = "none";
          if (explain) item.reasons.push_back(ExplainItem(context, Strategy::kNone, r.item));
          break;
        case kDisliked:
          item.strategy = "disliked";
          if (explain) item.reasons.push_back({"disliked", "", "you reacted negatively to this"});
          break;
        case kUnknown:
          item.strategy = "unknown";
          item.known = false;
          if (explain) item.reasons.push_back({"unknown", "", "the catalogue has no item with this id"});
          break;
      }
      if (explain && r.item >= 0 && r.tier != kDisliked && history.Consumed(r.item)) {
        item.reasons.push_back({"seen", "", "you engaged with this before"});
      }
      out.items.push_back(std::move(item));
    }
  });
  const RecommendedItem& lead = out.items.front();
  out.model = lead.strategy;
  out.model_version = lead.strategy == scored.model ? scored.version : 0;
  return out;
}

}  // namespace tailor::recommend
