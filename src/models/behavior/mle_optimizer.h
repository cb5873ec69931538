// Bounded minimisation for maximum-likelihood fits: NLopt's L-BFGS with the
// analytic gradient first, then a derivative-free Subplex polish (and a last
// L-BFGS restart) when L-BFGS fails, stalls or stops with a large gradient.
// Parameters are usually log-transformed by the caller so the box bounds
// only guard against overflow.
//
//   tailor::behavior::Objective f = [](std::span<const double> x, std::span<double> g) {
//     if (!g.empty()) { g[0] = 2 * (x[0] - 3); }
//     return (x[0] - 3) * (x[0] - 3);
//   };
//   auto result = tailor::behavior::Minimize(f, {0.0}, {});  // result->x[0] ~ 3
#ifndef TAILOR_MODELS_BEHAVIOR_MLE_OPTIMIZER_H_
#define TAILOR_MODELS_BEHAVIOR_MLE_OPTIMIZER_H_

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tailor::behavior {

// Returns f(x). When `grad` is non-empty (same size as x) it must be filled
// with df/dx. A non-finite value marks x as infeasible.
using Objective = std::function<double(std::span<const double> x, std::span<double> grad)>;

struct MinimizeOptions {
  double lower_bound = -20.0;  // applied to every coordinate
  double upper_bound = 20.0;
  int max_evaluations = 20000;  // per algorithm run
  double xtol_rel = 1e-12;
  double ftol_rel = 1e-15;
  // L-BFGS is accepted when it succeeds and the gradient max-norm at its
  // answer is below this; otherwise the fallback runs.
  double gradient_tolerance = 1e-6;
};

struct MinimizeResult {
  std::vector<double> x;
  double value = 0.0;
  int evaluations = 0;    // objective calls over all runs
  std::string algorithm;  // e.g. "LD_LBFGS" or "LD_LBFGS+LN_SBPLX+LD_LBFGS"
};

// Minimises f from x0 inside the box. Returns InvalidArgument when x0 is
// empty or outside the bounds, Internal when no finite value was ever found.
absl::StatusOr<MinimizeResult> Minimize(const Objective& f, std::vector<double> x0,
                                        const MinimizeOptions& options);

}  // namespace tailor::behavior

#endif  // TAILOR_MODELS_BEHAVIOR_MLE_OPTIMIZER_H_
