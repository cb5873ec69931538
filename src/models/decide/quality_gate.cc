#include "models/decide/quality_gate.h"

#include <algorithm>

#include <fmt/format.h>

namespace tailor::decide {

GateVerdict ApplyQualityGate(const GateInputs& in, Random& rng) {
  GateVerdict v;
  v.quality = QualityScore(in.components, in.weights);
  if (v.quality >= in.threshold) return v;
  const std::string below =
      fmt::format("quality {:.3f} is below the threshold {:.3f}", v.quality, in.threshold);
  if (in.category == MessageCategory::kTransactional) {
    v.kind = GateVerdict::kTransactional;
    v.reason = below + ": sent as chosen, a transactional message is never replaced by the "
                       "marketing safe default";
    return v;
  }
  v.kind = GateVerdict::kFallback;
  v.reason = below;
  if (in.variant_sends >= in.exploration.new_below_sends) return v;
  QualityInputs known = in.components;
  known.model_confidence = 1.0;  // what the score would be once the variant is known
  const double without_model = QualityScore(known, in.weights);
  if (without_model < in.threshold) return v;
  const double share = std::clamp(in.exploration.share, 0.0, 1.0);
  if (share <= 0 || rng.Uniform() >= share) return v;
  v.kind = GateVerdict::kExplore;
  v.reason = fmt::format(
      "{}: sent to explore a new variant ({} of {} sends; exploration share {:.2f}; data and "
      "render confidence give {:.3f})",
      below, in.variant_sends, in.exploration.new_below_sends, share, without_model);
  return v;
}

}  // namespace tailor::decide
