#include "models/decide/quality_score.h"

#include <algorithm>
#include <cmath>

namespace tailor::decide {

double DataConfidence(double user_events, double half_saturation_events) {
  const double n = std::max(user_events, 0.0);
  if (half_saturation_events <= 0) return n > 0 ? 1.0 : 0.0;
  return n / (n + half_saturation_events);
}

double ModelConfidence(const BetaPosterior& posterior) {
  const double sd_uniform = std::sqrt(1.0 / 12.0);
  return std::clamp(1.0 - std::sqrt(posterior.Variance()) / sd_uniform, 0.0, 1.0);
}

double RenderCompleteness(int variables, int defaulted_variables) {
  if (variables <= 0) return 1.0;
  return std::clamp(1.0 - static_cast<double>(defaulted_variables) / variables, 0.0, 1.0);
}

double QualityScore(const QualityInputs& in, const QualityWeights& w) {
  const double wd = std::max(w.data, 0.0), wm = std::max(w.model, 0.0),
               wr = std::max(w.render, 0.0);
  const double total = wd + wm + wr;
  if (total <= 0) return 0.0;
  const double d = std::clamp(in.data_confidence, 0.0, 1.0);
  const double m = std::clamp(in.model_confidence, 0.0, 1.0);
  const double r = std::clamp(in.render_completeness, 0.0, 1.0);
  return std::pow(d, wd / total) * std::pow(m, wm / total) * std::pow(r, wr / total);
}

}  // namespace tailor::decide
