#include "models/behavior/special_functions.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tailor::behavior {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

double Digamma(double x) {
  if (!(x > 0.0) || std::isinf(x)) return x == kInf ? kInf : kNaN;
  double result = 0.0;
  // Recurrence psi(x) = psi(x + 1) - 1/x until the asymptotic series is
  // accurate (x >= 10 gives ~1e-15 with the terms below).
  while (x < 10.0) {
    result -= 1.0 / x;
    x += 1.0;
  }
  const double inv = 1.0 / x;
  const double inv2 = inv * inv;
  const double series =
      inv2 * (1.0 / 12 -
              inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132)))));
  return result + std::log(x) - 0.5 * inv - series;
}

double LogSumExp(double a, double b) {
  if (a == -kInf) return b;
  if (b == -kInf) return a;
  const double hi = std::max(a, b);
  const double lo = std::min(a, b);
  return hi + std::log1p(std::exp(lo - hi));
}

double Log1pExp(double x) {
  if (x > 35.0) return x;  // exp(-35) is below double resolution of x
  return std::log1p(std::exp(x));
}

double LogHyp2F1Tail(double a, double b, double c, double z) {
  if (!(a > 0.0) || !(b > 0.0) || !(c > -1.0) || !(z >= 0.0) || !(z < 1.0)) return kNaN;
  if (z == 0.0) return -kInf;
  constexpr long kMaxTerms = 20'000'000;
  const double log_z = std::log(z);
  // Term n = 1 is a * b * z; (c + 1)_0 = 1.
  double log_term = std::log(a) + std::log(b) + log_z;
  double log_sum = log_term;
  for (long n = 1; n < kMaxTerms; ++n) {
    const double dn = static_cast<double>(n);
    const double log_ratio =
        std::log(a + dn) + std::log(b + dn) + log_z - std::log(c + dn) - std::log(dn + 1.0);
    log_term += log_ratio;
    log_sum = LogSumExp(log_sum, log_term);
    // Past the peak the ratio tends monotonically to z (from above or from
    // below), so every later ratio is at most max(ratio, z) and the tail is
    // bounded by the geometric series term * q / (1 - q).
    if (log_ratio < 0.0) {
      const double q = std::max(std::exp(log_ratio), z);
      const double log_tail = log_term + std::log(q) - std::log1p(-q);
      if (log_tail - log_sum < -38.0) return log_sum;  // e^-38 ~ 3e-17
    }
  }
  return kNaN;
}

double Hyp2F1(double a, double b, double c, double z) {
  if (!(c > 0.0)) return kNaN;
  const double log_tail = LogHyp2F1Tail(a, b, c, z);
  if (std::isnan(log_tail)) return kNaN;
  return 1.0 + std::exp(log_tail - std::log(c));
}

}  // namespace tailor::behavior
