#include "recommend/recommender.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <random>
#include <unordered_set>

#include "common/field_errors.h"
#include "common/strings.h"
#include "models/recsys/ials_model.h"
#include "models/recsys/item_knn_model.h"

namespace tailor::recommend {

namespace {

constexpr float kNoScore = -std::numeric_limits<float>::infinity();

const recsys::SimilarityMatrix* KnnMatrix(const serving::ModelSet& set) {
  const serving::ServingModel* knn = set.Find("itemknn");
  if (knn == nullptr) return nullptr;
  const auto* m = dynamic_cast<const recsys::ItemSimilarityModel*>(knn->model.get());
  return m == nullptr ? nullptr : &m->similarity();
}

float Coeff(const recsys::SimilarityMatrix& w, int32_t row, int32_t col) {
  if (row < 0 || col < 0 || row >= w.rows() || col >= w.cols()) return 0.0f;
  const int32_t* begin = w.innerIndexPtr() + w.outerIndexPtr()[row];
  const int32_t* end = w.innerIndexPtr() + w.outerIndexPtr()[row + 1];
  const int32_t* it = std::lower_bound(begin, end, col);
  if (it == end || *it != col) return 0.0f;
  return w.valuePtr()[it - w.innerIndexPtr()];
}

float CategoryOverlap(const serving::ItemInfo& a, const serving::ItemInfo& b) {
  if (a.categories.empty() || b.categories.empty()) return 0.0f;
  int shared = 0;
  for (const std::string& c : a.categories) shared += b.HasCategory(c);
  size_t total = a.categories.size() + b.categories.size() - shared;
  return static_cast<float>(shared) / static_cast<float>(total);
}

std::string Quote(const serving::ItemInfo& item) {
  return StrCat("\u201c", item.title.empty() ? item.id : item.title, "\u201d");
}

// "trending in <category>": the requested category, else the item's first.
Reason TrendingReason(const std::string& category, const serving::ItemInfo& item) {
  const std::string& where = !category.empty()         ? category
                             : item.categories.empty() ? category
                                                       : item.categories.front();
  return {"trending", "", where.empty() ? "trending now" : StrCat("trending in ", where)};
}

// Removes candidates the request's mask blocks (or that are newer than it).
void DropBlocked(std::vector<serving::ScoredIndex>& candidates, const std::vector<uint8_t>& blocked) {
  std::erase_if(candidates, [&](const serving::ScoredIndex& s) {
    return s.item >= static_cast<int32_t>(blocked.size()) || blocked[s.item] != 0;
  });
}

bool ByScore(const serving::ScoredIndex& a, const serving::ScoredIndex& b) {
  return a.score != b.score ? a.score > b.score : a.item < b.item;
}

// Greedy maximal marginal relevance over `pool` (sorted by score).
std::vector<serving::ScoredIndex> Diversify(const std::vector<serving::ScoredIndex>& pool,
                                            size_t k, double diversity,
                                            const std::function<float(int32_t, int32_t)>& sim) {
  std::vector<serving::ScoredIndex> chosen;
  if (pool.empty()) return chosen;
  float hi = pool.front().score;
  float lo = pool.back().score;
  float range = hi > lo ? hi - lo : 1.0f;
  double lambda = 1.0 - diversity;
  std::vector<bool> used(pool.size(), false);
  while (chosen.size() < k && chosen.size() < pool.size()) {
    size_t best = 0;
    double best_value = -std::numeric_limits<double>::infinity();
    for (size_t c = 0; c < pool.size(); ++c) {
      if (used[c]) continue;
      double redundancy = 0.0;
      for (const serving::ScoredIndex& s : chosen) {
        redundancy = std::max(redundancy, static_cast<double>(sim(pool[c].item, s.item)));
      }
      double relevance = (pool[c].score - lo) / range;
      double value = lambda * relevance - (1.0 - lambda) * redundancy;
      if (value > best_value) {
        best_value = value;
        best = c;
      }
    }
    used[best] = true;
    chosen.push_back(pool[best]);
  }
  return chosen;
}

}  // namespace

struct Recommender::Scored {
  std::string model;
  int64_t version = 0;
  std::vector<float> scores;  // by item index; kNoScore = not a candidate
  std::vector<uint8_t> cold;  // 1 where the score came from content similarity
  bool trending = false;
};

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
  const serving::ServingModel* model = nullptr;
  if (static_cast<int>(history.preferences.size()) < options_.short_history) {
    model = set.Find("itemknn");
  }
  if (model == nullptr) model = set.Best();
  if (model == nullptr) model = set.Find("itemknn");
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

Recommender::Scored Recommender::ScoreHistory(const serving::UserHistory& history,
                                              const serving::ModelSet& set,
                                              const serving::ServingModel* model) const {
  Scored out;
  const int32_t n = tenant_.state.num_items();
  out.scores.assign(n, kNoScore);
  out.cold.assign(n, 0);
  if (model == nullptr) {
    // Trending, then all-time popularity for everything else.
    out.model = "trending";
    out.trending = true;
    std::vector<float> pop = tenant_.state.Popularity();
    float max_pop = 0.0f;
    for (float p : pop) max_pop = std::max(max_pop, p);
    for (int32_t j = 0; j < n && j < static_cast<int32_t>(pop.size()); ++j) {
      out.scores[j] = max_pop > 0.0f ? 1e-3f * pop[j] / max_pop : 0.0f;
    }
    for (const serving::ScoredIndex& t :
         tenant_.state.Trending(options_.trending_window, "", clock_.Now(), n)) {
      out.scores[t.item] += t.score;
    }
    return out;
  }
  out.model = model->record.name;
  out.version = model->record.version;
  Eigen::VectorXf s = model->model->Score(history.preferences);
  float top = 0.0f;
  for (int32_t j = 0; j < n && j < s.size(); ++j) {
    out.scores[j] = s[j];
    top = std::max(top, s[j]);
  }
  // Cold items: unknown to the model (newer than it, or never interacted with).
  const text::TfidfIndex* content = set.content.get();
  if (content == nullptr || content->size() == 0 || top <= 0.0f) return out;
  std::vector<float> pop = tenant_.state.Popularity();
  std::vector<std::pair<int32_t, float>> profile;
  for (auto it = history.recent.rbegin(); it != history.recent.rend() && profile.size() < 10; ++it) {
    profile.emplace_back(*it, 1.0f);
  }
  std::vector<float> sim = content->ScoreProfile(profile);
  for (int32_t j = 0; j < n && j < static_cast<int32_t>(sim.size()); ++j) {
    bool unknown = j >= s.size() || (j < static_cast<int32_t>(pop.size()) && pop[j] == 0.0f);
    if (!unknown || sim[j] <= 0.0f) continue;
    out.scores[j] = static_cast<float>(options_.cold_blend) * sim[j] * top;
    out.cold[j] = 1;
  }
  return out;
}

absl::StatusOr<Recommendation> Recommender::Recommend(const RecommendRequest& request) const {
  FieldErrors errors;
  if (request.n < 1 || request.n > 500) errors.Add("n", "must be between 1 and 500");
  if (request.offset < 0 || request.offset > 10000) errors.Add("offset", "must be between 0 and 10000");
  if (!(request.diversity >= 0.0 && request.diversity <= 1.0)) {
    errors.Add("diversity", "must be between 0 and 1");
  }
  if (absl::Status s = errors.ToStatus("invalid request"); !s.ok()) return s;

  std::shared_ptr<const serving::ModelSet> set = tenant_.registry.Current();
  serving::UserHistory history = tenant_.state.User(request.user_id);
  const recsys::SimilarityMatrix* knn = KnnMatrix(*set);
  const serving::ServingModel* knn_model = set->Find("itemknn");
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
  // which need a deeper pool; not for cold items, which it does not hold).
  // Users on the trending strategy read the cached trending ranking the
  // same way (it already holds only items with recent weight; when filters
  // leave too few, the full path adds all-time popularity).
  std::optional<std::vector<serving::ScoredIndex>> ann;
  Scored scored;
  const serving::ServingModel* chosen = ChooseModel(history, *set);
  if (chosen != nullptr && chosen->ann != nullptr && request.category.empty() &&
      request.diversity == 0.0) {
    ann = AnnCandidates(*chosen, history, blocked, blocked_count, wanted);
    if (ann && ann->size() < wanted) ann.reset();
  } else if (chosen == nullptr && request.diversity == 0.0) {
    ann = tenant_.state.Trending(options_.trending_window, request.category, now,
                                 wanted + blocked_count);
    DropBlocked(*ann, blocked);
    if (ann->size() < wanted) ann.reset();
  }
  if (ann) {
    scored.model = chosen != nullptr ? chosen->record.name : "trending";
    scored.version = chosen != nullptr ? chosen->record.version : 0;
    scored.trending = chosen == nullptr;
    scored.cold.assign(num_items, 0);
  } else {
    scored = ScoreHistory(history, *set, chosen);
  }

  Recommendation out;
  out.decision_id = NewDecisionId();
  out.model = scored.model;
  out.model_version = scored.version;
  // Unblocked scored items, best first; the catalogue is consulted only for
  // as many of them as the filters need.
  std::vector<serving::ScoredIndex> ranked;
  if (ann) {
    ranked = std::move(*ann);
  } else {
    ranked.reserve(scored.scores.size());
    for (int32_t j = 0; j < static_cast<int32_t>(scored.scores.size()); ++j) {
      if (!blocked[j] && std::isfinite(scored.scores[j])) ranked.push_back({j, scored.scores[j]});
    }
  }
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
        std::partial_sort(ranked.begin() + sorted, ranked.begin() + grow, ranked.end(), ByScore);
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
    for (size_t k = request.offset; k < candidates.size() && k < wanted; ++k) {
      const serving::ScoredIndex& c = candidates[k];
      RecommendedItem item{.item_id = items[c.item].id, .score = c.score};
      if (request.explain) {
        if (scored.trending) {
          item.reasons.push_back(TrendingReason(request.category, items[c.item]));
        } else if (scored.cold[c.item]) {
          // The recent item whose content is closest.
          int32_t best = -1;
          float best_sim = 0.0f;
          const text::TfidfIndex* content = set->content.get();
          for (auto it = history.recent.rbegin(); content != nullptr && it != history.recent.rend() &&
                                                  it - history.recent.rbegin() < 5;
               ++it) {
            std::vector<float> sim = content->ScoreProfile({{*it, 1.0f}});
            if (c.item < static_cast<int32_t>(sim.size()) && sim[c.item] > best_sim) {
              best_sim = sim[c.item];
              best = *it;
            }
          }
          if (best >= 0) {
            item.reasons.push_back({"similar_content", items[best].id,
                                    StrCat("similar in content to ", Quote(items[best]))});
          } else {
            item.reasons.push_back({"similar_content", "", "new, and close to what you read"});
          }
        } else {
          // Row c of W^T lists the items supporting c, sorted like the
          // history: one merge finds the strongest supporter the user has.
          int32_t best = -1;
          float best_w = 0.0f;
          if (supporters != nullptr && c.item < supporters->rows()) {
            auto h = history.preferences.begin();
            for (recsys::SimilarityMatrix::InnerIterator it(*supporters, c.item); it; ++it) {
              while (h != history.preferences.end() && h->item < it.col()) ++h;
              if (h == history.preferences.end()) break;
              if (h->item == it.col() && it.value() > best_w) {
                best_w = it.value();
                best = h->item;
              }
            }
          }
          if (best >= 0) {
            item.reasons.push_back({"because_you", items[best].id,
                                    StrCat("because you engaged with ", Quote(items[best]))});
          } else {
            item.reasons.push_back(
                {"collaborative", "", "people with tastes like yours engaged with this"});
          }
        }
      }
      out.items.push_back(std::move(item));
    }
  });
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
  std::shared_ptr<const serving::ModelSet> set = tenant_.registry.Current();
  const recsys::SimilarityMatrix* knn = KnnMatrix(*set);
  Recommendation out;
  out.decision_id = NewDecisionId();
  // kNN neighbours first; content neighbours fill the rest below them.
  std::vector<serving::ScoredIndex> found;
  std::vector<uint8_t> from_content;
  if (knn != nullptr && i < knn->rows()) {
    for (recsys::SimilarityMatrix::InnerIterator it(*knn, i); it; ++it) {
      if (it.col() != i && it.value() > 0.0f) found.push_back({static_cast<int32_t>(it.col()), it.value()});
    }
    out.model = "itemknn";
    out.model_version = set->Find("itemknn")->record.version;
  }
  std::sort(found.begin(), found.end(), ByScore);
  from_content.assign(found.size(), 0);
  absl::Time now = clock_.Now();
  std::vector<serving::ScoredIndex> chosen;
  std::vector<uint8_t> chosen_content;
  tenant_.state.ReadCatalog([&](const std::vector<serving::ItemInfo>& items) {
    auto eligible = [&](int32_t j) {
      return j != i && j < static_cast<int32_t>(items.size()) && items[j].ShowableAt(now) &&
             (category.empty() || items[j].HasCategory(category));
    };
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
      if (out.model.empty()) out.model = "content";
      for (const text::ScoredDocument& d : content->Similar(i, 4 * n + 20)) {
        if (chosen.size() >= static_cast<size_t>(n)) break;
        if (taken.contains(d.doc) || !eligible(d.doc)) continue;
        chosen.push_back({d.doc, floor * 0.5f * d.score});
        chosen_content.push_back(1);
        taken.insert(d.doc);
      }
    }
    for (size_t k = 0; k < chosen.size(); ++k) {
      RecommendedItem item{.item_id = items[chosen[k].item].id, .score = chosen[k].score};
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
  if (out.model.empty()) out.model = "none";
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
      RecommendedItem item{.item_id = items[t.item].id, .score = t.score};
      if (explain) item.reasons.push_back(TrendingReason(category, items[t.item]));
      out.items.push_back(std::move(item));
    }
  });
  return out;
}

absl::StatusOr<Recommendation> Recommender::Rank(const std::string& user_id,
                                                 const std::vector<std::string>& candidates,
                                                 bool explain) const {
  if (candidates.empty() || candidates.size() > 1000) {
    return InvalidField("items", "must list 1 to 1000 item ids");
  }
  std::shared_ptr<const serving::ModelSet> set = tenant_.registry.Current();
  serving::UserHistory history = tenant_.state.User(user_id);
  Scored scored = ScoreHistory(history, *set, ChooseModel(history, *set));
  Recommendation out;
  out.decision_id = NewDecisionId();
  out.model = scored.model;
  out.model_version = scored.version;
  std::vector<std::pair<size_t, float>> known;  // (position in candidates, score)
  std::vector<size_t> unknown;
  for (size_t k = 0; k < candidates.size(); ++k) {
    std::optional<int32_t> j = tenant_.state.ItemIndex(candidates[k]);
    if (j && *j < static_cast<int32_t>(scored.scores.size()) && std::isfinite(scored.scores[*j])) {
      known.emplace_back(k, scored.scores[*j]);
    } else {
      unknown.push_back(k);
    }
  }
  std::stable_sort(known.begin(), known.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [k, score] : known) {
    RecommendedItem item{.item_id = candidates[k], .score = score};
    if (explain) {
      item.reasons.push_back({scored.trending ? "trending" : "collaborative", "",
                              scored.trending ? "ordered by what is trending"
                                              : StrCat("ordered by your history with ", scored.model)});
    }
    out.items.push_back(std::move(item));
  }
  for (size_t k : unknown) {
    RecommendedItem item{.item_id = candidates[k], .score = 0.0f};
    if (explain) item.reasons.push_back({"unknown", "", "no interactions with this item yet"});
    out.items.push_back(std::move(item));
  }
  return out;
}

}  // namespace tailor::recommend
