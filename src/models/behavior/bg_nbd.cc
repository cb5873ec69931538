#include "models/behavior/bg_nbd.h"

#include <cmath>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "models/behavior/mle_optimizer.h"
#include "models/behavior/special_functions.h"

namespace tailor::behavior {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool Positive(const BgNbdParams& p) {
  return p.r > 0 && p.alpha > 0 && p.a > 0 && p.b > 0 && std::isfinite(p.r) &&
         std::isfinite(p.alpha) && std::isfinite(p.a) && std::isfinite(p.b);
}

// log of a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x): the odds that the
// customer dropped out after the last purchase, given the data (x > 0).
double LogDropoutOdds(const BgNbdParams& p, double x, double t_x, double age) {
  return std::log(p.a) - std::log(p.b + x - 1.0) +
         (p.r + x) * (std::log(p.alpha + age) - std::log(p.alpha + t_x));
}

// E[purchases in (T, T+t] | alive at T] for a customer whose posterior is
// Gamma(r + x, alpha + T) x Beta(a, b + x): the "new customer" formula with
// updated parameters,
//   C / (a - 1) * [1 - (1-z)^A 2F1(A, B; C; z)],  A = r+x, B = b+x,
//   C = a+b+x-1, z = t / (alpha+T+t),
// written with C * 2F1 = C + S (LogHyp2F1Tail) so it is finite for C > -1.
double ExpectedIfAlive(double r, double alpha, double a, double b, double x, double age, double t) {
  const double big_a = r + x;
  const double big_b = b + x;
  const double big_c = a + b + x - 1.0;
  const double log1mz = std::log(alpha + age) - std::log(alpha + age + t);
  const double z = t / (alpha + age + t);
  const double log_s = LogHyp2F1Tail(big_a, big_b, big_c, z);
  if (std::isnan(log_s)) return kNaN;
  // C (1 - (1-z)^A) - (1-z)^A S
  const double numerator = -big_c * std::expm1(big_a * log1mz) - std::exp(big_a * log1mz + log_s);
  return numerator / (a - 1.0);
}

double ExpectedIfAliveAnyA(const BgNbdParams& p, double x, double age, double t) {
  if (!(t > 0.0)) return 0.0;
  constexpr double kStep = 1e-6;
  if (std::abs(p.a - 1.0) < kStep) {
    // Removable singularity at a = 1: average the two sides.
    return 0.5 * (ExpectedIfAlive(p.r, p.alpha, 1.0 - kStep, p.b, x, age, t) +
                  ExpectedIfAlive(p.r, p.alpha, 1.0 + kStep, p.b, x, age, t));
  }
  return ExpectedIfAlive(p.r, p.alpha, p.a, p.b, x, age, t);
}

}  // namespace

absl::Status ValidateRfm(const CustomerRfm& c) {
  if (!(c.frequency >= 0) || c.frequency != std::floor(c.frequency) ||
      !std::isfinite(c.frequency)) {
    return absl::InvalidArgumentError(
        absl::StrCat("customer ", c.id, ": frequency must be a non-negative whole number"));
  }
  if (!(c.age >= 0) || !std::isfinite(c.age)) {
    return absl::InvalidArgumentError(absl::StrCat("customer ", c.id, ": T must be >= 0"));
  }
  if (!(c.recency >= 0) || c.recency > c.age) {
    return absl::InvalidArgumentError(
        absl::StrCat("customer ", c.id, ": recency must be in [0, T]"));
  }
  if (c.frequency == 0 && c.recency != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("customer ", c.id, ": recency must be 0 when frequency is 0"));
  }
  return absl::OkStatus();
}

double BgNbdLogLikelihood(const BgNbdParams& p, std::span<const CustomerRfm> customers,
                          std::array<double, 4>* grad) {
  if (!Positive(p)) return kNaN;
  const double r = p.r, alpha = p.alpha, a = p.a, b = p.b;
  const double log_alpha = std::log(alpha);
  const double lg_r = std::lgamma(r), lg_b = std::lgamma(b), lg_ab = std::lgamma(a + b);
  const double psi_r = Digamma(r), psi_b = Digamma(b), psi_ab = Digamma(a + b);
  double ll = 0.0;
  double g_r = 0.0, g_alpha = 0.0, g_a = 0.0, g_b = 0.0;  // d/d(param), not log
  for (const CustomerRfm& c : customers) {
    const double x = c.frequency, t_x = c.recency, age = c.age;
    if (!(x >= 0) || !(t_x >= 0) || !(age >= t_x)) return kNaN;
    // ln L = A1 + A2 + logsumexp(A3, A4), FHL (2005) eq. 6 rearranged:
    //   A1 = ln Gamma(r+x) - ln Gamma(r) + r ln alpha
    //   A2 = ln B(a, b+x) - ln B(a, b)
    //   A3 = -(r+x) ln(alpha+T)
    //   A4 = ln a - ln(b+x-1) - (r+x) ln(alpha+t_x)   (x > 0 only)
    const double a1 = std::lgamma(r + x) - lg_r + r * log_alpha;
    const double a2 = lg_ab + std::lgamma(b + x) - lg_b - std::lgamma(a + b + x);
    const double a3 = -(r + x) * std::log(alpha + age);
    double a4 = -std::numeric_limits<double>::infinity();
    if (x > 0) a4 = std::log(a) - std::log(b + x - 1.0) - (r + x) * std::log(alpha + t_x);
    const double lse = LogSumExp(a3, a4);
    ll += a1 + a2 + lse;
    if (grad != nullptr) {
      const double w3 = std::exp(a3 - lse);
      const double w4 = x > 0 ? std::exp(a4 - lse) : 0.0;
      const double psi_abx = Digamma(a + b + x);
      g_r += Digamma(r + x) - psi_r + log_alpha - w3 * std::log(alpha + age);
      g_alpha += r / alpha - w3 * (r + x) / (alpha + age);
      g_a += psi_ab - psi_abx;
      g_b += psi_ab + Digamma(b + x) - psi_b - psi_abx;
      if (x > 0) {
        g_r -= w4 * std::log(alpha + t_x);
        g_alpha -= w4 * (r + x) / (alpha + t_x);
        g_a += w4 / a;
        g_b -= w4 / (b + x - 1.0);
      }
    }
  }
  if (grad != nullptr) *grad = {g_r * r, g_alpha * alpha, g_a * a, g_b * b};
  return ll;
}

absl::StatusOr<BgNbdFit> FitBgNbd(std::span<const CustomerRfm> customers) {
  if (customers.empty()) return absl::InvalidArgumentError("FitBgNbd: no customers");
  for (const CustomerRfm& c : customers) {
    if (absl::Status s = ValidateRfm(c); !s.ok()) return s;
  }
  const double n = static_cast<double>(customers.size());
  // Mean negative log-likelihood keeps the gradient scale independent of n.
  Objective objective = [&](std::span<const double> v, std::span<double> grad) {
    BgNbdParams p{std::exp(v[0]), std::exp(v[1]), std::exp(v[2]), std::exp(v[3])};
    std::array<double, 4> g{};
    const double ll = BgNbdLogLikelihood(p, customers, grad.empty() ? nullptr : &g);
    for (size_t i = 0; i < grad.size(); ++i) grad[i] = -g[i] / n;
    return -ll / n;
  };
  // Start at r = a = b = 1 with alpha matched to the mean purchase rate,
  // so the first steps are not spent finding the time scale.
  double purchases = 0.0, exposure = 0.0;
  for (const CustomerRfm& c : customers) {
    purchases += c.frequency;
    exposure += c.age;
  }
  const double alpha0 = purchases > 0 && exposure > 0 ? exposure / purchases : 1.0;
  MinimizeOptions options;
  auto result = Minimize(objective, {0.0, std::log(alpha0), 0.0, 0.0}, options);
  if (!result.ok()) return result.status();
  BgNbdFit fit;
  fit.params = {std::exp(result->x[0]), std::exp(result->x[1]), std::exp(result->x[2]),
                std::exp(result->x[3])};
  fit.log_likelihood = BgNbdLogLikelihood(fit.params, customers);
  fit.customers = static_cast<int>(customers.size());
  fit.evaluations = result->evaluations;
  fit.algorithm = result->algorithm;
  return fit;
}

double ExpectedPurchases(const BgNbdParams& p, double t) {
  if (!Positive(p) || !(t >= 0)) return kNaN;
  return ExpectedIfAliveAnyA(p, 0.0, 0.0, t);
}

double ProbabilityAlive(const BgNbdParams& p, double x, double t_x, double age) {
  if (!Positive(p) || !(x >= 0) || !(t_x >= 0) || !(age >= t_x)) return kNaN;
  if (x == 0) return 1.0;
  return std::exp(-Log1pExp(LogDropoutOdds(p, x, t_x, age)));
}

double ConditionalExpectedPurchases(const BgNbdParams& p, double t, double x, double t_x,
                                    double age) {
  const double alive = ProbabilityAlive(p, x, t_x, age);
  if (std::isnan(alive) || !(t >= 0)) return kNaN;
  return alive * ExpectedIfAliveAnyA(p, x, age, t);
}

}  // namespace tailor::behavior
