#include "models/behavior/mle_optimizer.h"

#include <nlopt.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/status/status.h"

namespace tailor::behavior {

namespace {

// Shared state of the NLopt callback: the best point seen survives any
// NLopt failure code (L-BFGS often ends with "roundoff limited" right at
// the optimum).
struct Tracker {
  const Objective* f = nullptr;
  int evaluations = 0;
  double best_value = std::numeric_limits<double>::infinity();
  std::vector<double> best_x;
};

double Callback(unsigned n, const double* x, double* grad, void* data) {
  auto* tracker = static_cast<Tracker*>(data);
  ++tracker->evaluations;
  std::span<const double> xs(x, n);
  std::span<double> gs = grad == nullptr ? std::span<double>() : std::span<double>(grad, n);
  double value = (*tracker->f)(xs, gs);
  bool finite = std::isfinite(value);
  for (double g : gs) finite = finite && std::isfinite(g);
  if (!finite) {
    // Steer the line search / simplex away without feeding NaN into NLopt.
    std::fill(gs.begin(), gs.end(), 0.0);
    return std::numeric_limits<double>::max();
  }
  if (value < tracker->best_value) {
    tracker->best_value = value;
    tracker->best_x.assign(x, x + n);
  }
  return value;
}

// Runs one NLopt algorithm from `x` (updated in place to the best point).
nlopt_result RunOnce(nlopt_algorithm algorithm, Tracker& tracker, std::vector<double>& x,
                     const MinimizeOptions& options) {
  const unsigned n = static_cast<unsigned>(x.size());
  nlopt_opt opt = nlopt_create(algorithm, n);
  if (opt == nullptr) return NLOPT_OUT_OF_MEMORY;
  nlopt_set_min_objective(opt, &Callback, &tracker);
  nlopt_set_lower_bounds1(opt, options.lower_bound);
  nlopt_set_upper_bounds1(opt, options.upper_bound);
  nlopt_set_xtol_rel(opt, options.xtol_rel);
  nlopt_set_ftol_rel(opt, options.ftol_rel);
  nlopt_set_maxeval(opt, options.max_evaluations);
  double value = 0.0;
  nlopt_result result = nlopt_optimize(opt, x.data(), &value);
  nlopt_destroy(opt);
  if (!tracker.best_x.empty()) x = tracker.best_x;
  return result;
}

double GradientMaxNorm(const Objective& f, const std::vector<double>& x) {
  std::vector<double> grad(x.size(), 0.0);
  f(x, grad);
  double norm = 0.0;
  for (double g : grad) norm = std::max(norm, std::abs(g));
  return std::isfinite(norm) ? norm : std::numeric_limits<double>::infinity();
}

}  // namespace

absl::StatusOr<MinimizeResult> Minimize(const Objective& f, std::vector<double> x0,
                                        const MinimizeOptions& options) {
  if (x0.empty()) return absl::InvalidArgumentError("Minimize: empty starting point");
  for (double v : x0) {
    if (!(v >= options.lower_bound && v <= options.upper_bound)) {
      return absl::InvalidArgumentError("Minimize: starting point outside the bounds");
    }
  }
  Tracker tracker;
  tracker.f = &f;
  std::vector<double> x = x0;
  MinimizeResult out;
  out.algorithm = "LD_LBFGS";
  nlopt_result result = RunOnce(NLOPT_LD_LBFGS, tracker, x, options);
  if (result < 0 || tracker.best_x.empty() || GradientMaxNorm(f, x) > options.gradient_tolerance) {
    // Derivative-free polish from the best point so far; then one more
    // gradient run so the answer is a proper stationary point.
    out.algorithm += "+LN_SBPLX";
    if (tracker.best_x.empty()) x = x0;
    RunOnce(NLOPT_LN_SBPLX, tracker, x, options);
    if (GradientMaxNorm(f, x) > options.gradient_tolerance) {
      out.algorithm += "+LD_LBFGS";
      RunOnce(NLOPT_LD_LBFGS, tracker, x, options);
    }
  }
  if (tracker.best_x.empty() || !std::isfinite(tracker.best_value)) {
    return absl::InternalError("Minimize: the objective was never finite");
  }
  out.x = tracker.best_x;
  out.value = tracker.best_value;
  out.evaluations = tracker.evaluations;
  return out;
}

}  // namespace tailor::behavior
