#include "models/behavior/gamma_gamma.h"

#include <cmath>
#include <limits>

#include "absl/status/status.h"
#include "models/behavior/mle_optimizer.h"
#include "models/behavior/special_functions.h"

namespace tailor::behavior {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
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
  return fit;
}

double ConditionalExpectedSpend(const GammaGammaParams& params, double x, double zbar) {
  const double p = params.p, q = params.q, gamma = params.gamma;
  if (!(p > 0 && gamma > 0 && q > 1) || !(x >= 0)) return kNaN;
  if (x == 0) return p * gamma / (q - 1.0);
  return (gamma + x * zbar) * p / (p * x + q - 1.0);
}

}  // namespace tailor::behavior
