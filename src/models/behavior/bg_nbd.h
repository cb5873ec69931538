// BG/NBD ("beta-geometric / negative binomial") model of repeat purchasing
// (Fader, Hardie & Lee 2005, "Counting your customers the easy way").
// While alive a customer buys as a Poisson process with rate
// lambda ~ Gamma(r, alpha); after each purchase they drop out with
// probability p ~ Beta(a, b). Fitted by maximum likelihood on (x, t_x, T)
// with log-space parameters, log-space numerics and analytic gradients.
//
//   auto fit = tailor::behavior::FitBgNbd(customers);   // CustomerRfm, weeks
//   if (fit.ok()) {
//     double alive = ProbabilityAlive(fit->params, 2, 30.43, 38.86);
//     double next_year = ConditionalExpectedPurchases(fit->params, 52, 2, 30.43, 38.86);
//   }
#ifndef TAILOR_MODELS_BEHAVIOR_BG_NBD_H_
#define TAILOR_MODELS_BEHAVIOR_BG_NBD_H_

#include <array>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "models/behavior/rfm.h"

namespace tailor::behavior {

struct BgNbdParams {
  double r = 1.0;      // Gamma shape of the purchase rate
  double alpha = 1.0;  // Gamma rate (inverse scale), in the data's time unit
  double a = 1.0;      // Beta parameters of the drop-out probability
  double b = 1.0;
};

// Total log-likelihood of the customers. With `grad_log_params` non-null it
// also receives d LL / d (ln r, ln alpha, ln a, ln b). Uses frequency,
// recency and age of each customer; requires all parameters > 0 and valid
// summaries (see ValidateRfm), else returns NaN.
double BgNbdLogLikelihood(const BgNbdParams& params, std::span<const CustomerRfm> customers,
                          std::array<double, 4>* grad_log_params = nullptr);

struct BgNbdFit {
  BgNbdParams params;
  double log_likelihood = 0.0;
  int customers = 0;
  int evaluations = 0;    // likelihood evaluations by the optimiser
  std::string algorithm;  // NLopt algorithms used, see mle_optimizer.h
};

// Maximum-likelihood fit. InvalidArgument when there are no customers or a
// summary is invalid; Internal if the optimiser finds no finite likelihood.
absl::StatusOr<BgNbdFit> FitBgNbd(std::span<const CustomerRfm> customers);

// InvalidArgument unless 0 <= recency <= age, frequency is a non-negative
// whole number, and recency == 0 when frequency == 0.
absl::Status ValidateRfm(const CustomerRfm& customer);

// E[X(t)]: expected purchases of a newly acquired customer in (0, t]
// (first purchase at 0 not counted). The parameter a == 1 is a removable
// singularity, handled by symmetric evaluation at a = 1 +/- 1e-6.
double ExpectedPurchases(const BgNbdParams& params, double t);

// E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] of a customer with
// calibration summary (x, t_x, T). Needs the Gauss 2F1 series; NaN if
// t / (alpha + T + t) is so close to 1 that it does not converge.
double ConditionalExpectedPurchases(const BgNbdParams& params, double t, double x, double t_x,
                                    double age);

// P(alive at T | x, t_x, T). As the model lets a customer drop out only
// right after a purchase, it is exactly 1 for x == 0.
double ProbabilityAlive(const BgNbdParams& params, double x, double t_x, double age);

}  // namespace tailor::behavior

#endif  // TAILOR_MODELS_BEHAVIOR_BG_NBD_H_
