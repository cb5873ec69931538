#include "eval/evaluator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "absl/strings/str_cat.h"
#include "models/recsys/parallel.h"

namespace tailor::eval {
namespace {

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::vector<int32_t> RankTopK(const Eigen::VectorXf& scores, const recsys::History& exclude,
                              const std::vector<int32_t>& candidates, int k,
                              std::optional<uint64_t> tie_salt) {
  const int32_t n = static_cast<int32_t>(scores.size());
  std::vector<char> skip(static_cast<size_t>(n), 0);
  for (const recsys::HistoryEntry& h : exclude) {
    if (h.item >= 0 && h.item < n) skip[h.item] = 1;
  }
  std::vector<int32_t> pool;
  if (!candidates.empty()) {
    pool = candidates;
    std::sort(pool.begin(), pool.end());
    pool.erase(std::unique(pool.begin(), pool.end()), pool.end());
    std::erase_if(pool, [&](int32_t i) { return i < 0 || i >= n || skip[i]; });
  } else {
    pool.reserve(static_cast<size_t>(n));
    for (int32_t i = 0; i < n; ++i) {
      if (!skip[i]) pool.push_back(i);
    }
  }
  auto key = [&](int32_t i) {
    float s = scores[i];
    return std::isnan(s) ? -std::numeric_limits<float>::infinity() : s;
  };
  auto better = [&](int32_t a, int32_t b) {
    const float sa = key(a), sb = key(b);
    if (sa != sb) return sa > sb;
    if (tie_salt.has_value()) {
      const uint64_t ka = SplitMix64(*tie_salt ^ static_cast<uint64_t>(a));
      const uint64_t kb = SplitMix64(*tie_salt ^ static_cast<uint64_t>(b));
      if (ka != kb) return ka < kb;
    }
    return a < b;
  };
  const size_t top = std::min(pool.size(), static_cast<size_t>(std::max(k, 0)));
  std::partial_sort(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(top), pool.end(), better);
  pool.resize(top);
  return pool;
}

absl::StatusOr<MetricList> Evaluate(const recsys::Model& model, const EvalSplit& split,
                                    const EvalOptions& options) {
  if (!model.fitted()) return absl::FailedPreconditionError("model is not fitted");
  if (model.num_items() != split.train.num_items) {
    return absl::FailedPreconditionError(absl::StrCat("model has ", model.num_items(),
                                                      " items, split has ", split.train.num_items));
  }
  if (options.cutoffs.empty()) return absl::InvalidArgumentError("no cutoffs");
  for (int k : options.cutoffs) {
    if (k < 1) return absl::InvalidArgumentError("cutoffs must be >= 1");
  }
  const int max_k = *std::max_element(options.cutoffs.begin(), options.cutoffs.end());
  const size_t n_cut = options.cutoffs.size();
  std::vector<std::vector<RankingMetrics>> per_case(split.cases.size());
  std::vector<std::vector<int32_t>> tops(split.cases.size());
  recsys::ParallelFor(
      static_cast<int64_t>(split.cases.size()), options.num_threads,
      [&](int64_t c, int) {
        const EvalCase& ec = split.cases[c];
        Eigen::VectorXf scores = ec.user >= 0 ? model.ScoreKnownUser(ec.user, ec.history)
                                              : model.Score(ec.history);
        std::optional<uint64_t> salt;
        if (options.tie_break == TieBreak::kRandom) {
          salt = SplitMix64(options.seed * 0x2545f4914f6cdd1dULL + static_cast<uint64_t>(c));
        }
        static const recsys::History kNothing;
        tops[c] = RankTopK(scores, options.keep_seen ? kNothing : ec.history, ec.candidates, max_k, salt);
        per_case[c].resize(n_cut);
        for (size_t j = 0; j < n_cut; ++j) {
          per_case[c][j] = ComputeAtK(tops[c], ec.relevant, options.cutoffs[j], options.recall_kind);
        }
      },
      /*grain=*/4);
  MetricList out;
  const double n = std::max<double>(1.0, static_cast<double>(split.cases.size()));
  for (size_t j = 0; j < n_cut; ++j) {
    RankingMetrics sum;
    std::set<int32_t> covered;
    const int k = options.cutoffs[j];
    for (size_t c = 0; c < split.cases.size(); ++c) {
      const RankingMetrics& m = per_case[c][j];
      sum.recall += m.recall;
      sum.precision += m.precision;
      sum.ndcg += m.ndcg;
      sum.map += m.map;
      sum.mrr += m.mrr;
      sum.hr += m.hr;
      for (size_t r = 0; r < tops[c].size() && r < static_cast<size_t>(k); ++r) covered.insert(tops[c][r]);
    }
    const std::string at = absl::StrCat("@", k);
    out.emplace_back("Recall" + at, sum.recall / n);
    out.emplace_back("Precision" + at, sum.precision / n);
    out.emplace_back("NDCG" + at, sum.ndcg / n);
    out.emplace_back("MAP" + at, sum.map / n);
    out.emplace_back("MRR" + at, sum.mrr / n);
    out.emplace_back("HR" + at, sum.hr / n);
    out.emplace_back("Coverage" + at, static_cast<double>(covered.size()) /
                                          std::max(1.0, static_cast<double>(split.train.num_items)));
  }
  out.emplace_back("users", static_cast<double>(split.cases.size()));
  return out;
}

absl::StatusOr<double> FindMetric(const MetricList& list, const std::string& name) {
  for (const auto& [k, v] : list) {
    if (k == name) return v;
  }
  return absl::NotFoundError(absl::StrCat("no metric '", name, "'"));
}

}  // namespace tailor::eval
