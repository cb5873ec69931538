#include "eval/metrics.h"

#include <algorithm>
#include <cmath>

namespace tailor::eval {

RankingMetrics ComputeAtK(std::span<const int32_t> ranked, const std::vector<int32_t>& relevant, int k,
                          RecallKind recall_kind) {
  RankingMetrics m;
  if (relevant.empty() || k < 1) return m;
  const size_t n = std::min(ranked.size(), static_cast<size_t>(k));
  const double ideal_hits = static_cast<double>(std::min(relevant.size(), static_cast<size_t>(k)));
  double hits = 0, dcg = 0, ap = 0;
  for (size_t r = 0; r < n; ++r) {
    if (!std::binary_search(relevant.begin(), relevant.end(), ranked[r])) continue;
    hits += 1;
    dcg += 1.0 / std::log2(static_cast<double>(r) + 2.0);
    ap += hits / static_cast<double>(r + 1);
    if (m.mrr == 0) m.mrr = 1.0 / static_cast<double>(r + 1);
  }
  double idcg = 0;
  for (size_t r = 0; r < static_cast<size_t>(ideal_hits); ++r) idcg += 1.0 / std::log2(static_cast<double>(r) + 2.0);
  m.recall = hits / (recall_kind == RecallKind::kOverRelevant ? static_cast<double>(relevant.size()) : ideal_hits);
  m.precision = hits / static_cast<double>(k);
  m.ndcg = dcg / idcg;
  m.map = ap / ideal_hits;
  m.hr = hits > 0 ? 1.0 : 0.0;
  return m;
}

}  // namespace tailor::eval
