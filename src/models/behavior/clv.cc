#include "models/behavior/clv.h"

#include <cmath>
#include <limits>

namespace tailor::behavior {

double CustomerLifetimeValue(const BgNbdParams& purchases, const GammaGammaParams& spend,
                             const CustomerRfm& customer, const ClvOptions& options) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (options.periods < 1 || !(options.horizon >= 0) || !(options.discount_rate > -1.0))
    return kNaN;
  const double per_purchase =
      ConditionalExpectedSpend(spend, customer.frequency, customer.monetary);
  double value = 0.0;
  double previous = 0.0;
  const double step = options.horizon / options.periods;
  for (int k = 1; k <= options.periods; ++k) {
    const double cumulative = ConditionalExpectedPurchases(purchases, step * k, customer.frequency,
                                                           customer.recency, customer.age);
    value += (cumulative - previous) * per_purchase / std::pow(1.0 + options.discount_rate, k);
    previous = cumulative;
  }
  return value;
}

}  // namespace tailor::behavior
