// Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005, "RFM
// and CLV: using iso-value curves"; Colombo & Jiang 1999). A customer's
// purchase amounts are Gamma(p, nu) with nu ~ Gamma(q, gamma) across
// customers; spend is assumed independent of purchase frequency. Fitted by
// maximum likelihood on (x, zbar) of customers with x > 0 repeat purchases
// and zbar > 0, log-space parameters, analytic gradient.
//
// Identifiability. When the customers' mean spends vary no more than their
// own purchase-to-purchase variation explains, the likelihood keeps rising as
// q and gamma grow together (nu's spread across customers shrinks to 0): the
// maximum sits at the boundary "every customer has the same spend rate", and
// the conditional expectation gives every customer the population mean. The
// fit detects this with a likelihood-ratio test of the Gamma-Gamma model
// against that one-rate limit (boundary-corrected, 5 %). When heterogeneity is
// not significant the fit is flagged (`identified` false, `note` says why)
// and its parameters are the profile-likelihood bound instead: the smallest
// q (the largest spread of spend rates across customers) that the data do not
// reject, one-sided 95 %, with p and gamma re-fitted at that q. Each
// customer's estimate is then their own mean shrunk toward the tenant mean by
// as little as the data allow, instead of the same number for everyone.
//
//   auto fit = tailor::behavior::FitGammaGamma(customers);  // uses x > 0 only
//   if (!fit->identified) LOG(INFO) << fit->note;
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
  // The maximum-likelihood estimate when identified, else the bound above.
  GammaGammaParams params;
  double log_likelihood = 0.0;  // at `params`
  // False when spend heterogeneity across customers is not identified.
  bool identified = true;
  // The unconstrained maximum-likelihood estimate (equal to `params` when
  // identified) and the log-likelihood of the one-spend-rate limit.
  GammaGammaParams ml_params;
  double ml_log_likelihood = 0.0;
  double common_rate_log_likelihood = 0.0;
  // Why the fit is flagged, with the numbers; empty when identified.
  std::string note;
  int customers = 0;  // usable customers the fit used
  int evaluations = 0;
  std::string algorithm;
};

// InvalidArgument when no customer is usable.
absl::StatusOr<GammaGammaFit> FitGammaGamma(std::span<const CustomerRfm> customers);

// Maximum log-likelihood of the usable customers' mean spends when every
// customer has the same spend rate nu (the q -> infinity limit of the model:
// zbar ~ Gamma(p x, rate nu x)), over p and nu. NaN without usable customers.
double CommonRateLogLikelihood(std::span<const CustomerRfm> customers);

// E[M | p, q, gamma, x, zbar] = (gamma + x zbar) p / (p x + q - 1): the
// expected mean spend per purchase of a customer with x repeat purchases of
// mean zbar (x = 0 gives the population mean p gamma / (q - 1)). NaN when
// q <= 1 (the population mean does not exist).
double ConditionalExpectedSpend(const GammaGammaParams& params, double x, double zbar);

}  // namespace tailor::behavior

#endif  // TAILOR_MODELS_BEHAVIOR_GAMMA_GAMMA_H_
