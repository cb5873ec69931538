// Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005, "RFM
// and CLV: using iso-value curves"; Colombo & Jiang 1999). A customer's
// purchase amounts are Gamma(p, nu) with nu ~ Gamma(q, gamma) across
// customers; spend is assumed independent of purchase frequency. Fitted by
// maximum likelihood on (x, zbar) of customers with x > 0 repeat purchases
// and zbar > 0, log-space parameters, analytic gradient.
//
//   auto fit = tailor::behavior::FitGammaGamma(customers);  // uses x > 0 only
//   double spend = ConditionalExpectedSpend(fit->params, 2, 22.35);
#ifndef TAILOR_MODELS_BEHAVIOR_GAMMA_GAMMA_H_
#define TAILOR_MODELS_BEHAVIOR_GAMMA_GAMMA_H_

#include <array>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "models/behavior/rfm.h"

namespace tailor::behavior {

struct GammaGammaParams {
  double p = 1.0;
  double q = 1.0;
  double gamma = 1.0;
};

// True for customers the spend model uses: frequency > 0 and monetary > 0.
bool UsableForSpendModel(const CustomerRfm& customer);

// Log-likelihood of the mean spends of the usable customers (others are
// skipped); with `grad_log_params` also d LL / d (ln p, ln q, ln gamma).
// NaN if a parameter is not positive.
double GammaGammaLogLikelihood(const GammaGammaParams& params,
                               std::span<const CustomerRfm> customers,
                               std::array<double, 3>* grad_log_params = nullptr);

struct GammaGammaFit {
  GammaGammaParams params;
  double log_likelihood = 0.0;
  int customers = 0;  // usable customers the fit used
  int evaluations = 0;
  std::string algorithm;
};

// InvalidArgument when no customer is usable.
absl::StatusOr<GammaGammaFit> FitGammaGamma(std::span<const CustomerRfm> customers);

// E[M | p, q, gamma, x, zbar] = (gamma + x zbar) p / (p x + q - 1): the
// expected mean spend per purchase of a customer with x repeat purchases of
// mean zbar (x = 0 gives the population mean p gamma / (q - 1)). NaN when
// q <= 1 (the population mean does not exist).
double ConditionalExpectedSpend(const GammaGammaParams& params, double x, double zbar);

}  // namespace tailor::behavior

#endif  // TAILOR_MODELS_BEHAVIOR_GAMMA_GAMMA_H_
