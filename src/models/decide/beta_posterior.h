// A Beta(alpha, beta) posterior over a success rate (open, click,
// engagement), updated with counts. The building block of the bandit and the
// channel model.
//
//   BetaPosterior p{1, 1};           // uniform prior
//   p.Update(/*successes=*/3, /*failures=*/7);
//   double mean = p.Mean();          // 4 / 12
//   double draw = p.Sample(rng);     // Thompson draw
#ifndef TAILOR_MODELS_DECIDE_BETA_POSTERIOR_H_
#define TAILOR_MODELS_DECIDE_BETA_POSTERIOR_H_

#include "absl/status/statusor.h"
#include "boost/json/value.hpp"
#include "common/random.h"

namespace tailor::decide {

struct BetaPosterior {
  double alpha = 1.0;
  double beta = 1.0;

  // Adds counts (may be fractional, e.g. pseudo-counts). Requires >= 0.
  void Update(double successes, double failures) {
    alpha += successes;
    beta += failures;
  }
  double Mean() const { return alpha / (alpha + beta); }
  double Variance() const {
    const double n = alpha + beta;
    return alpha * beta / (n * n * (n + 1.0));
  }
  double Sample(Random& rng) const { return rng.Beta(alpha, beta); }

  // {"alpha": a, "beta": b}
  boost::json::value ToJson() const;
  // InvalidArgument unless both are numbers > 0.
  static absl::StatusOr<BetaPosterior> FromJson(const boost::json::value& json);
};

}  // namespace tailor::decide

#endif  // TAILOR_MODELS_DECIDE_BETA_POSTERIOR_H_
