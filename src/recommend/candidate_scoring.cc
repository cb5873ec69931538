#include "recommend/candidate_scoring.h"

#include <algorithm>
#include <unordered_set>
#include <utility>

namespace tailor::recommend {

CandidateScores ScoreCandidates(const serving::TenantState& state, const serving::ModelSet& set,
                                const serving::ServingModel* model,
                                const serving::UserHistory& history, const ScoringOptions& options) {
  CandidateScores out;
  const int32_t n = state.num_items();
  out.key.assign(n, kNoScore);
  out.score.assign(n, 0.0f);
  out.strategy.assign(n, Strategy::kNone);

  float top = 0.0f;  // the best model score
  // Items the model has an opinion on (a score other than 0): only those it
  // says nothing about go to content similarity, so content never lifts an
  // item the model scores below baseline.
  std::vector<uint8_t> judged(n, 0);
  if (model != nullptr) {
    out.model = model->record.name;
    out.version = model->record.version;
    Eigen::VectorXf s = model->model->Score(history.preferences);
    for (int32_t j = 0; j < n && j < s.size(); ++j) {
      judged[j] = s[j] != 0.0f;
      if (!(s[j] > 0.0f)) continue;
      out.key[j] = out.score[j] = s[j];
      out.strategy[j] = Strategy::kModel;
      top = std::max(top, s[j]);
    }
  }

  const text::TfidfIndex* content = set.content.get();
  if (content != nullptr && content->size() > 0 && !history.recent.empty()) {
    std::vector<std::pair<int32_t, float>> profile;
    std::unordered_set<int32_t> in_profile;
    for (auto it = history.recent.rbegin(); it != history.recent.rend() && profile.size() < 10; ++it) {
      profile.emplace_back(*it, 1.0f);
      in_profile.insert(*it);
    }
    std::vector<float> sim = content->ScoreProfile(profile);
    for (int32_t j = 0; j < n && j < static_cast<int32_t>(sim.size()); ++j) {
      if (judged[j] || !(sim[j] > 0.0f) || in_profile.contains(j)) continue;
      float score = top > 0.0f ? static_cast<float>(options.cold_blend) * sim[j] * top : sim[j];
      out.key[j] = out.score[j] = score;
      out.strategy[j] = Strategy::kContent;
    }
  }

  for (const serving::ScoredIndex& t : state.Trending(options.trending_window, "", options.now, n)) {
    if (t.item >= n || out.strategy[t.item] != Strategy::kNone || !(t.score > 0.0f)) continue;
    out.key[t.item] = -2.0f + t.score / (1.0f + t.score);
    out.score[t.item] = t.score;
    out.strategy[t.item] = Strategy::kTrending;
  }

  std::vector<float> pop = state.Popularity();
  float max_pop = 0.0f;
  for (float p : pop) max_pop = std::max(max_pop, p);
  for (int32_t j = 0; j < n && j < static_cast<int32_t>(pop.size()); ++j) {
    if (out.strategy[j] != Strategy::kNone || !(pop[j] > 0.0f)) continue;
    float share = pop[j] / max_pop;
    out.key[j] = -3.0f + share;
    out.score[j] = share;
    out.strategy[j] = Strategy::kPopularity;
  }
  return out;
}

std::string StrategyName(Strategy strategy, const std::string& model) {
  switch (strategy) {
    case Strategy::kModel:
      return model;
    case Strategy::kContent:
      return "content";
    case Strategy::kTrending:
      return "trending";
    case Strategy::kPopularity:
      return "popularity";
    case Strategy::kNone:
      break;
  }
  return "none";
}

}  // namespace tailor::recommend
