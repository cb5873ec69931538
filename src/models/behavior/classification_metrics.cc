#include "models/behavior/classification_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace tailor::behavior {

double RocAuc(std::span<const double> scores, std::span<const uint8_t> labels) {
  const size_t n = scores.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  // Mann-Whitney U with mid-ranks for ties.
  double positive_rank_sum = 0.0;
  double positives = 0.0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && scores[order[j]] == scores[order[i]]) ++j;
    const double mid_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k) {
      if (labels[order[k]]) {
        positive_rank_sum += mid_rank;
        positives += 1.0;
      }
    }
    i = j;
  }
  const double negatives = static_cast<double>(n) - positives;
  if (positives == 0.0 || negatives == 0.0) return std::numeric_limits<double>::quiet_NaN();
  return (positive_rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives);
}

BinaryMetrics EvaluateProbabilities(std::span<const double> predicted, std::span<const uint8_t> labels,
                                    int bins) {
  BinaryMetrics m;
  m.count = static_cast<int>(predicted.size());
  bins = std::max(bins, 1);
  m.bins.resize(bins);
  for (int b = 0; b < bins; ++b) {
    m.bins[b].lower = static_cast<double>(b) / bins;
    m.bins[b].upper = static_cast<double>(b + 1) / bins;
  }
  if (m.count == 0) return m;
  std::vector<double> positive_sum(bins, 0.0);
  for (size_t i = 0; i < predicted.size(); ++i) {
    const double p = std::clamp(predicted[i], 0.0, 1.0);
    const double y = labels[i] ? 1.0 : 0.0;
    m.positives += labels[i] ? 1 : 0;
    m.brier += (p - y) * (p - y);
    const double pc = std::clamp(p, 1e-15, 1.0 - 1e-15);
    m.log_loss -= labels[i] ? std::log(pc) : std::log1p(-pc);
    const int b = std::min(bins - 1, static_cast<int>(p * bins));
    m.bins[b].count += 1;
    m.bins[b].mean_predicted += p;
    positive_sum[b] += y;
  }
  const double n = m.count;
  m.base_rate = m.positives / n;
  m.brier /= n;
  m.log_loss /= n;
  for (int b = 0; b < bins; ++b) {
    ReliabilityBin& bin = m.bins[b];
    if (bin.count == 0) continue;
    bin.mean_predicted /= bin.count;
    bin.observed_rate = positive_sum[b] / bin.count;
    m.ece += bin.count / n * std::abs(bin.mean_predicted - bin.observed_rate);
  }
  m.auc = RocAuc(predicted, labels);
  return m;
}

}  // namespace tailor::behavior
