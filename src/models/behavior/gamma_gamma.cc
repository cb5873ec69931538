#include "models/behavior/gamma_gamma.h"

#include <cmath>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "models/behavior/mle_optimizer.h"
#include "models/behavior/special_functions.h"

namespace tailor::behavior {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Half the 10 % point of chi-square(1): a likelihood drop this large rejects
// at 5 % one-sided, the right level for a parameter on its boundary (the
// spread of spend rates is >= 0) and for a one-sided confidence bound.
constexpr double kBoundaryHalfChi2 = 2.7055 / 2.0;
// Smallest q the bound may take: the spread of customers' mean spends is
// finite only for q > 2.
constexpr double kMinBoundQ = 2.0;

// Maximum log-likelihood over p and gamma at a fixed q, starting from `start`
// (updated to the maximiser). NaN when the optimiser finds nothing finite.
double ProfileLogLikelihood(double q, std::span<const CustomerRfm> customers, double n,
                            GammaGammaParams& start) {
  Objective objective = [&](std::span<const double> v, std::span<double> grad) {
    GammaGammaParams params{std::exp(v[0]), q, std::exp(v[1])};
    std::array<double, 3> g{};
    const double ll = GammaGammaLogLikelihood(params, customers, grad.empty() ? nullptr : &g);
    if (!grad.empty()) {
      grad[0] = -g[0] / n;
      grad[1] = -g[2] / n;
    }
    return -ll / n;
  };
  MinimizeOptions options;
  options.lower_bound = -30.0;
  options.upper_bound = 30.0;
  auto result = Minimize(objective, {std::log(start.p), std::log(start.gamma)}, options);
  if (!result.ok()) return kNaN;
  start = {std::exp(result->x[0]), q, std::exp(result->x[1])};
  return -result->value * n;
}
}  // namespace

double CommonRateLogLikelihood(std::span<const CustomerRfm> customers) {
  double sum_x = 0.0, sum_spend = 0.0, n = 0.0;
  for (const CustomerRfm& c : customers) {
    if (!UsableForSpendModel(c)) continue;
    sum_x += c.frequency;
    sum_spend += c.frequency * c.monetary;
    n += 1.0;
  }
  if (n == 0) return kNaN;
  // For a given p the best common rate is nu = p sum x / sum x zbar; the
  // derivative in p then needs no term through nu (it is at its optimum).
  auto ll = [&](double p, double* d_log_p) {
    const double nu = p * sum_x / sum_spend;
    double total = 0.0, d = 0.0;
    for (const CustomerRfm& c : customers) {
      if (!UsableForSpendModel(c)) continue;
      const double x = c.frequency, zbar = c.monetary, px = p * x;
      total += px * std::log(nu * x) - std::lgamma(px) + (px - 1.0) * std::log(zbar) - nu * x * zbar;
      d += x * (std::log(nu * x) - Digamma(px) + std::log(zbar));
    }
    if (d_log_p != nullptr) *d_log_p = d * p;
    return total;
  };
  Objective objective = [&](std::span<const double> v, std::span<double> grad) {
    double d = 0.0;
    const double value = ll(std::exp(v[0]), grad.empty() ? nullptr : &d);
    if (!grad.empty()) grad[0] = -d / n;
    return -value / n;
  };
  auto result = Minimize(objective, {0.0}, MinimizeOptions{});
  if (!result.ok()) return kNaN;
  return ll(std::exp(result->x[0]), nullptr);
}

bool UsableForSpendModel(const CustomerRfm& c) {
  return c.frequency > 0 && c.monetary > 0 && std::isfinite(c.monetary) &&
         std::isfinite(c.frequency);
}

double GammaGammaLogLikelihood(const GammaGammaParams& params,
                               std::span<const CustomerRfm> customers,
                               std::array<double, 3>* grad) {
  const double p = params.p, q = params.q, gamma = params.gamma;
  if (!(p > 0 && q > 0 && gamma > 0) || !std::isfinite(p + q + gamma)) return kNaN;
  const double log_gamma = std::log(gamma);
  const double lg_q = std::lgamma(q), psi_q = Digamma(q);
  double ll = 0.0, g_p = 0.0, g_q = 0.0, g_gamma = 0.0;
  for (const CustomerRfm& c : customers) {
    if (!UsableForSpendModel(c)) continue;
    const double x = c.frequency, zbar = c.monetary;
    const double px = p * x;
    const double log_total = std::log(x * zbar + gamma);
    // Density of the mean of x Gamma(p, nu) amounts with nu ~ Gamma(q, gamma).
    ll += std::lgamma(px + q) - std::lgamma(px) - lg_q + q * log_gamma +
          (px - 1.0) * std::log(zbar) + px * std::log(x) - (px + q) * log_total;
    if (grad != nullptr) {
      const double psi_pxq = Digamma(px + q);
      g_p += x * (psi_pxq - Digamma(px) + std::log(zbar) + std::log(x) - log_total);
      g_q += psi_pxq - psi_q + log_gamma - log_total;
      g_gamma += q / gamma - (px + q) / (x * zbar + gamma);
    }
  }
  if (grad != nullptr) *grad = {g_p * p, g_q * q, g_gamma * gamma};
  return ll;
}

absl::StatusOr<GammaGammaFit> FitGammaGamma(std::span<const CustomerRfm> customers) {
  int usable = 0;
  double spend = 0.0;
  for (const CustomerRfm& c : customers) {
    if (UsableForSpendModel(c)) {
      ++usable;
      spend += c.monetary;
    }
  }
  if (usable == 0) {
    return absl::InvalidArgumentError(
        "FitGammaGamma: no customer with frequency > 0 and monetary > 0");
  }
  const double n = usable;
  Objective objective = [&](std::span<const double> v, std::span<double> grad) {
    GammaGammaParams params{std::exp(v[0]), std::exp(v[1]), std::exp(v[2])};
    std::array<double, 3> g{};
    const double ll = GammaGammaLogLikelihood(params, customers, grad.empty() ? nullptr : &g);
    for (size_t i = 0; i < grad.size(); ++i) grad[i] = -g[i] / n;
    return -ll / n;
  };
  // p = q = 1 with gamma at the mean spend (E[M] = p gamma / (q - 1) is
  // undefined at q = 1, so this is only a scale, not a moment match).
  auto result = Minimize(objective, {0.0, 0.0, std::log(spend / n)}, MinimizeOptions{});
  if (!result.ok()) return result.status();
  GammaGammaFit fit;
  fit.params = {std::exp(result->x[0]), std::exp(result->x[1]), std::exp(result->x[2])};
  fit.log_likelihood = GammaGammaLogLikelihood(fit.params, customers);
  fit.customers = usable;
  fit.evaluations = result->evaluations;
  fit.algorithm = result->algorithm;
  fit.ml_params = fit.params;
  fit.ml_log_likelihood = fit.log_likelihood;
  fit.common_rate_log_likelihood = CommonRateLogLikelihood(customers);

  // The one-rate limit is the model's own boundary, so its likelihood is
  // never above the maximum; when the optimiser stopped short of it the
  // larger value is the maximum.
  const double best = std::isfinite(fit.common_rate_log_likelihood)
                          ? std::max(fit.ml_log_likelihood, fit.common_rate_log_likelihood)
                          : fit.ml_log_likelihood;
  if (!std::isfinite(fit.common_rate_log_likelihood) ||
      fit.ml_log_likelihood - fit.common_rate_log_likelihood >= kBoundaryHalfChi2 ||
      fit.ml_params.q <= kMinBoundQ) {
    return fit;
  }
  fit.identified = false;
  // Profile likelihood in ln q from the maximum down to the bound: it falls
  // as q falls (the maximum is at the q -> infinity end), so bisect for the
  // q where it has dropped by kBoundaryHalfChi2.
  const double target = best - kBoundaryHalfChi2;
  GammaGammaParams at_hi = fit.ml_params, at_lo = fit.ml_params;
  double lo = std::log(kMinBoundQ), hi = std::log(fit.ml_params.q);
  at_lo.gamma = at_hi.gamma * kMinBoundQ / fit.ml_params.q;  // keeps p gamma / q
  const double ll_lo = ProfileLogLikelihood(kMinBoundQ, customers, n, at_lo);
  GammaGammaParams chosen = at_lo;
  if (std::isfinite(ll_lo) && ll_lo < target) {
    for (int i = 0; i < 40 && hi - lo > 1e-3; ++i) {
      const double mid = 0.5 * (lo + hi);
      GammaGammaParams at_mid = at_hi;
      at_mid.gamma = at_hi.gamma * std::exp(mid) / at_hi.q;
      const double ll_mid = ProfileLogLikelihood(std::exp(mid), customers, n, at_mid);
      if (std::isfinite(ll_mid) && ll_mid >= target) {
        hi = mid;
        at_hi = at_mid;
      } else {
        lo = mid;
      }
    }
    chosen = at_hi;
  }
  fit.params = chosen;
  fit.log_likelihood = GammaGammaLogLikelihood(fit.params, customers);
  fit.note = absl::StrFormat(
      "spend: customers' mean spends vary no more than their own purchases do, so the spread of "
      "spend rates across customers is not identified (maximum likelihood runs to q = %.3g, "
      "likelihood ratio against one common rate %.2f < %.2f); using the largest spread the data "
      "allow at 95 %% (q = %.3g, p = %.3g, gamma = %.3g), so each customer's estimate is their own "
      "mean shrunk toward the tenant mean",
      fit.ml_params.q, 2.0 * (fit.ml_log_likelihood - fit.common_rate_log_likelihood),
      2.0 * kBoundaryHalfChi2, fit.params.q, fit.params.p, fit.params.gamma);
  return fit;
}

double ConditionalExpectedSpend(const GammaGammaParams& params, double x, double zbar) {
  const double p = params.p, q = params.q, gamma = params.gamma;
  if (!(p > 0 && gamma > 0 && q > 1) || !(x >= 0)) return kNaN;
  if (x == 0) return p * gamma / (q - 1.0);
  return (gamma + x * zbar) * p / (p * x + q - 1.0);
}

}  // namespace tailor::behavior
