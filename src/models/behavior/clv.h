// Customer lifetime value from the two buy-till-you-die models: expected
// repeat purchases over a horizon (BG/NBD, conditional on the customer's
// history) times expected spend per purchase (Gamma-Gamma), optionally
// discounted per period.
//
//   tailor::behavior::ClvOptions options{.horizon = 52.0, .periods = 12, .discount_rate = 0.01};
//   double value = tailor::behavior::CustomerLifetimeValue(bgnbd, gg, customer, options);
#ifndef TAILOR_MODELS_BEHAVIOR_CLV_H_
#define TAILOR_MODELS_BEHAVIOR_CLV_H_

#include "models/behavior/bg_nbd.h"
#include "models/behavior/gamma_gamma.h"
#include "models/behavior/rfm.h"

namespace tailor::behavior {

struct ClvOptions {
  double horizon = 52.0;       // in the time unit the models were fitted in
  int periods = 1;             // the horizon is split into this many equal periods
  double discount_rate = 0.0;  // per period; purchases of period k are divided by (1+d)^k
};

// sum_{k=1..periods} (E[Y(k h / periods)] - E[Y((k-1) h / periods)]) * E[M] / (1 + d)^k
// with E[Y] from ConditionalExpectedPurchases and E[M] from
// ConditionalExpectedSpend (x, monetary). With discount_rate 0 this is
// E[Y(horizon)] * E[M]. NaN for periods < 1, horizon < 0, discount_rate <= -1
// or invalid model parameters.
double CustomerLifetimeValue(const BgNbdParams& purchases, const GammaGammaParams& spend,
                             const CustomerRfm& customer, const ClvOptions& options);

}  // namespace tailor::behavior

#endif  // TAILOR_MODELS_BEHAVIOR_CLV_H_
