#include "recommend/recommender.h"

#include <algorithm>
#include <charconv>
#include <random>
#include <unordered_set>

#include "common/field_errors.h"
#include "common/strings.h"
#include "models/recsys/ials_model.h"
#include "models/recsys/item_knn_model.h"
#include "recommend/candidate_scoring.h"
#include "recommend/diversify.h"
#include "recommend/explanations.h"
#include "serving/served_model.h"

namespace tailor::recommend {

namespace {

// Removes candidates the request's mask blocks (or that are newer than it).
void DropBlocked(std::vector<serving::ScoredIndex>& candidates, const std::vector<uint8_t>& blocked) {
  std::erase_if(candidates, [&](const serving::ScoredIndex& s) {
    return s.item >= static_cast<int32_t>(blocked.size()) || blocked[s.item] != 0;
  });
}

// Best first; equal scores by item id, which (unlike the index) is the same
// in every process that serves the tenant.
struct ByScoreThenId {
  const std::vector<serving::ItemInfo>& items;
  bool operator()(const serving::ScoredIndex& a, const serving::ScoredIndex& b) const {
    return a.score != b.score ? a.score > b.score : items[a.item].id < items[b.item].id;
  }
};

}  // namespace

absl::StatusOr<absl::Duration> ParseWindow(std::string_view text) {
  auto bad = [] { return InvalidField("window", "must be hours or days such as 24h or 7d, up to 90d"); };
  if (text.size() < 2) return bad();
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, n);
  if (ec != std::errc() || end != text.data() + text.size() - 1 || n <= 0) return bad();
  absl::Duration d;
  if (text.back() == 'h') {
    d = absl::Hours(n);
  } else if (text.back() == 'd') {
    d = absl::Hours(24 * n);
  } else {
    return bad();
  }
  if (d > absl::Hours(24 * 90)) return bad();
  return d;
}

Recommender::Recommender(serving::TenantRuntime& tenant, Clock& clock, RecommenderOptions options)
    : tenant_(tenant), clock_(clock), options_(std::move(options)) {}

std::string Recommender::NewDecisionId() const {
  if (options_.new_decision_id) return options_.new_decision_id();
  thread_local std::mt19937_64 rng(std::random_device{}());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int half = 0; half < 2; ++half) {
    uint64_t bits = rng();
    for (int i = 0; i < 16; ++i) out[half * 16 + i] = kHex[(bits >> (4 * i)) & 15];
  }
  return out;
}

const serving::ServingModel* Recommender::ChooseModel(const serving::UserHistory& history,
                                                      const serving::ModelSet& set) const {
  if (history.preferences.empty()) return nullptr;
  // A model fitted on too little data is not preferred over the chain's
  // content, trending and popularity strategies (ServedModel, Best).
  const serving::ServingModel* model = nullptr;
  if (static_cast<int>(history.preferences.size()) < options_.short_history) {
    model = serving::ServedModel(set, "itemknn");
  }
  if (model == nullptr) model = set.Best();
  if (model == nullptr) model = serving::ServedModel(set, "itemknn");
  return model;
}

absl::StatusOr<const serving::ServingModel*> Recommender::PickModel(
    const std::string& requested, const serving::UserHistory& history,
    const serving::ModelSet& set) const {
  if (requested.empty()) return ChooseModel(history, set);
  const serving::ServingModel* model = set.Find(requested);
  if (model == nullptr) {
    return InvalidField("model", StrCat("no trained model named \"", requested, "\""));
  }
  return model;
}

std::optional<std::vector<serving::ScoredIndex>> Recommender::AnnCandidates(
    const serving::ServingModel& model, const serving::UserHistory& history,
    const std::vector<uint8_t>& blocked, size_t blocked_count, size_t wanted) const {
  const auto* ials = dynamic_cast<const recsys::IalsModel*>(model.model.get());
  if (ials == nullptr || model.ann == nullptr) return std::nullopt;
  Eigen::VectorXf user = ials->FoldIn(history.preferences).cast<float>();
  std::vector<serving::ScoredIndex> found = model.ann->Search(user, wanted + blocked_count + 20);
  DropBlocked(found, blocked);
  return found;
}


absl::StatusOr<Recommendation> Recommender::Recommend(const RecommendRequest& request) const {
  FieldErrors errors;
  if (request.n < 1 || request.n > 500) errors.Add("n", "must be between 1 and 500");
  if (request.offset < 0 || request.offset > 10000) errors.Add("offset", "must be between 0 and 10000");
  if (!(request.diversity >= 0.0 && request.diversity <= 1.0)) {
    errors.Add("diversity", "must be between 0 and 1");
  }
  if (absl::Status s = errors.ToStatus("invalid request"); !s.ok()) return s;

  tenant_.content.Refresh();
  std::shared_ptr<const serving::ModelSet> set = tenant_.registry.Current();
  serving::UserHistory history = tenant_.state.User(request.user_id);
  const recsys::SimilarityMatrix* knn = KnnMatrix(*set);
  const serving::ServingModel* knn_model = serving::ServedModel(*set, "itemknn");
  const recsys::SimilarityMatrix* supporters =
      knn_model != nullptr && knn_model->supporters.nonZeros() > 0 ? &knn_model->supporters : nullptr;
  const int32_t num_items = tenant_.state.num_items();
  // Items that may not appear, as a dense mask (one pass over the history,
  // not a search per catalogue item).
  std::vector<uint8_t> blocked(num_items, 0);
  size_t blocked_count = 0;
  auto block = [&](int32_t j) {
    if (j >= 0 && j < static_cast<int32_t>(blocked.size()) && !blocked[j]) {
      blocked[j] = 1;
      ++blocked_count;
    }
  };
  for (int32_t j : history.negatives) block(j);
  if (!request.include_seen) {
    for (const recsys::HistoryEntry& e : history.preferences) block(e.item);
  }
  for (const std::string& id : request.exclude) {
    if (std::optional<int32_t> j = tenant_.state.ItemIndex(id)) block(*j);
  }
  absl::Time now = clock_.Now();
  const size_t wanted = static_cast<size_t>(request.offset + request.n);
  const size_t pool_size = request.diversity > 0.0 ? 3 * wanted : wanted;

  // Large catalogues served by iALS: the ANN graph proposes candidates
  // instead of scoring every item (not with a category filter or diversity,
  // which need a deeper pool; not when it finds too few items with positive
  // evidence, e.g. for a history of items the model has not seen). Users
  // with no history read the cached trending ranking the same way (it holds
  // only items with recent weight; when filters leave too few, the full path
  // adds all-time popularity).
  std::optional<std::vector<serving::ScoredIndex>> ann;
  Strategy ann_strategy = Strategy::kNone;
  absl::StatusOr<const serving::ServingModel*> picked = PickModel(request.model, history, *set);
  if (!picked.ok()) return picked.status();
  const serving::ServingModel* chosen = *picked;
  if (chosen != nullptr && chosen->ann != nullptr && request.category.empty() &&
      request.diversity == 0.0) {
    ann = AnnCandidates(*chosen, history, blocked, blocked_count, wanted);
    if (ann) std::erase_if(*ann, [](const serving::ScoredIndex& s) { return !(s.score > 0.0f); });
    ann_strategy = Strategy::kModel;
  } else if (chosen == nullptr && history.recent.empty() && request.diversity == 0.0) {
    ann = tenant_.state.Trending(options_.trending_window, request.category, now,
                                 wanted + blocked_count);
    DropBlocked(*ann, blocked);
    ann_strategy = Strategy::kTrending;
  }
  if (ann && ann->size() < wanted) ann.reset();
  CandidateScores scored;
  if (!ann) {
    scored = ScoreCandidates(tenant_.state, *set, chosen, history,
                             {.cold_blend = options_.cold_blend,
                              .trending_window = options_.trending_window,
                              .now = now});
  } else if (chosen != nullptr) {
    scored.model = chosen->record.name;
    scored.version = chosen->record.version;
  }

  Recommendation out;
  out.decision_id = NewDecisionId();
  // Unblocked candidates, best first by ranking key; the catalogue is
  // consulted only for as many of them as the filters need.
  std::vector<serving::ScoredIndex> ranked;
  if (ann) {
    ranked = std::move(*ann);
  } else {
    ranked.reserve(scored.key.size());
    for (int32_t j = 0; j < static_cast<int32_t>(scored.key.size()); ++j) {
      if (!blocked[j] && scored.strategy[j] != Strategy::kNone) ranked.push_back({j, scored.key[j]});
    }
  }
  auto strategy_of = [&](const serving::ScoredIndex& c) {
    return ann ? ann_strategy : scored.strategy[c.item];
  };
  tenant_.state.ReadCatalog([&](const std::vector<serving::ItemInfo>& items) {
    std::vector<serving::ScoredIndex> candidates;
    auto eligible = [&](int32_t j) {
      if (j >= static_cast<int32_t>(items.size())) return false;
      const serving::ItemInfo& info = items[j];
      return info.ShowableAt(now) && (request.category.empty() || info.HasCategory(request.category));
    };
    size_t sorted = 0;  // ranked[0, sorted) is in final order
    size_t next = 0;
    while (candidates.size() < pool_size && next < ranked.size()) {
      if (next == sorted) {
        size_t grow = std::min(ranked.size(), std::max<size_t>(2 * sorted, 4 * pool_size + 32));
        std::partial_sort(ranked.begin() + sorted, ranked.begin() + grow, ranked.end(),
                          ByScoreThenId{items});
        sorted = grow;
      }
      if (eligible(ranked[next].item)) candidates.push_back(ranked[next]);
      ++next;
    }
    if (request.diversity > 0.0) {
      candidates = Diversify(candidates, wanted, request.diversity, [&](int32_t a, int32_t b) {
        if (knn != nullptr) return std::min(1.0f, std::max(Coeff(*knn, a, b), Coeff(*knn, b, a)));
        return CategoryOverlap(items[a], items[b]);
      });
    }
    ExplainContext context{.items = items,
                           .history = history,
                           .content = set->content.get(),
                           .supporters = supporters,
                           .category = request.category};
    for (size_t k = request.offset; k < candidates.size() && k < wanted; ++k) {
      const serving::ScoredIndex& c = candidates[k];
      Strategy strategy = strategy_of(c);
      RecommendedItem item{.item_id = items[c.item].id,
                           .score = ann ? c.score : scored.score[c.item],
                           .strategy = StrategyName(strategy, scored.model),
                           .known = true,
                           .reasons = {}};
      if (request.explain) item.reasons.push_back(ExplainItem(context, strategy, c.item));
      if (out.items.empty()) {
        out.model = item.strategy;
        out.model_version = strategy == Strategy::kModel ? scored.version : 0;
      }
      out.items.push_back(std::move(item));
    }
  });
  if (out.items.empty()) out.model = "none";
  return out;
}

absl::StatusOr<Recommendation> Recommender::Similar(const std::string& item_id, int n,
                                                    const std::string& category,
                                                    bool explain) const {
  if (n < 1 || n > 500) return InvalidField("n", "must be between 1 and 500");
  std::optional<int32_t> index = tenant_.state.ItemIndex(item_id);
  bool in_catalog = false;
  if (index) {
    tenant_.state.ReadCatalog([&](const std::vector<serving::ItemInfo>& items) {
      in_catalog = items[*index].in_catalog;
    });
  }
  if (!index || !in_catalog) return absl::NotFoundError(StrCat("no item \"", item_id, "\""));
  const int32_t i = *index;
  tenant_.content.Refresh();
  std::shared_ptr<const serving::ModelSet> set = tenant_.registry.Current();
  const recsys::SimilarityMatrix* knn = KnnMatrix(*set);
  Recommendation out;
  out.decision_id = NewDecisionId();
  // kNN neighbours first; content neighbours fill the rest below them.
  std::vector<serving::ScoredIndex> found;
  if (knn != nullptr && i < knn->rows()) {
    for (recsys::SimilarityMatrix::InnerIterator it(*knn, i); it; ++it) {
      if (it.col() != i && it.value() > 0.0f) found.push_back({static_cast<int32_t>(it.col()), it.value()});
    }
  }
  absl::Time now = clock_.Now();
  std::vector<serving::ScoredIndex> chosen;
  std::vector<uint8_t> chosen_content;
  tenant_.state.ReadCatalog([&](const std::vector<serving::ItemInfo>& items) {
    auto eligible = [&](int32_t j) {
      return j != i && j < static_cast<int32_t>(items.size()) && items[j].ShowableAt(now) &&
             (category.empty() || items[j].HasCategory(category));
    };
    std::sort(found.begin(), found.end(), ByScoreThenId{items});
    std::unordered_set<int32_t> taken;
    for (const serving::ScoredIndex& s : found) {
      if (chosen.size() >= static_cast<size_t>(n)) break;
      if (!eligible(s.item)) continue;
      chosen.push_back(s);
      chosen_content.push_back(0);
      taken.insert(s.item);
    }
    const text::TfidfIndex* content = set->content.get();
    if (chosen.size() < static_cast<size_t>(n) && content != nullptr) {
      float floor = chosen.empty() ? 1.0f : chosen.back().score;
      for (const text::ScoredDocument& d : content->Similar(i, 4 * n + 20)) {
        if (chosen.size() >= static_cast<size_t>(n)) break;
        if (taken.contains(d.doc) || !eligible(d.doc)) continue;
        chosen.push_back({d.doc, floor * 0.5f * d.score});
        chosen_content.push_back(1);
        taken.insert(d.doc);
      }
    }
    for (size_t k = 0; k < chosen.size(); ++k) {
      RecommendedItem item{.item_id = items[chosen[k].item].id,
                           .score = chosen[k].score,
                           .strategy = chosen_content[k] ? "content" : "itemknn",
                           .known = true,
                           .reasons = {}};
      if (explain) {
        if (chosen_content[k]) {
          item.reasons.push_back({"similar_content", items[i].id,
                                  StrCat("similar in content to ", Quote(items[i]))});
        } else {
          item.reasons.push_back({"co_engagement", items[i].id,
                                  StrCat("people who engaged with ", Quote(items[i]),
                                         " also engaged with this")});
        }
      }
      out.items.push_back(std::move(item));
    }
  });
  out.model = out.items.empty() ? "none" : out.items.front().strategy;
  if (out.model == "itemknn") out.model_version = set->Find("itemknn")->record.version;
  return out;
}

absl::StatusOr<Recommendation> Recommender::Trending(int n, const std::string& category,
                                                     absl::Duration window, bool explain) const {
  if (n < 1 || n > 500) return InvalidField("n", "must be between 1 and 500");
  Recommendation out;
  out.decision_id = NewDecisionId();
  out.model = "trending";
  std::vector<serving::ScoredIndex> top = tenant_.state.Trending(window, category, clock_.Now(), n);
  tenant_.state.ReadCatalog([&](const std::vector<serving::ItemInfo>& items) {
    for (const serving::ScoredIndex& t : top) {
      RecommendedItem item{
          .item_id = items[t.item].id, .score = t.score, .strategy = "trending", .known = true, .reasons = {}};
      if (explain) item.reasons.push_back(TrendingReason(category));
      out.items.push_back(std::move(item));
    }
  });
  return out;
}

}  // namespace tailor::recommend
