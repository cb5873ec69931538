// Quality score of one notification decision in [0, 1]: how much the
// decision can be trusted, for dashboards, thresholds ("send only above
// 0.4") and experiments. Three components, each in [0, 1]:
//
//   data confidence    D = n / (n + n_half)        n: the user's events,
//                                                  n_half: events for D = 0.5
//   model confidence   M = 1 - sd / sd_uniform     sd: std. dev. of the chosen
//                                                  variant's Beta posterior,
//                                                  sd_uniform = sqrt(1/12), the
//                                                  sd of Beta(1, 1); clamped to [0, 1]
//   render completeness R = 1 - defaulted / total  variables filled by a default
//                                                  (1 when the template has none)
//
//   Q = D^wd * M^wm * R^wr   (weighted geometric mean, weights sum to 1;
//                            default wd = 0.3, wm = 0.3, wr = 0.4)
//
// A geometric mean so that one component at zero (say, every variable fell
// back to its default) drags the whole score to zero instead of averaging away.
//
//   QualityInputs in{DataConfidence(42, 20), ModelConfidence(post), RenderCompleteness(5, 1)};
//   double q = QualityScore(in);
#ifndef TAILOR_MODELS_DECIDE_QUALITY_SCORE_H_
#define TAILOR_MODELS_DECIDE_QUALITY_SCORE_H_

#include "models/decide/beta_posterior.h"

namespace tailor::decide {

double DataConfidence(double user_events, double half_saturation_events = 20.0);
double ModelConfidence(const BetaPosterior& posterior);
double RenderCompleteness(int variables, int defaulted_variables);

struct QualityInputs {
  double data_confidence = 0;
  double model_confidence = 0;
  double render_completeness = 0;
};

struct QualityWeights {
  double data = 0.3;
  double model = 0.3;
  double render = 0.4;
};

// Inputs are clamped to [0, 1]; weights are normalised to sum to 1 (all
// zero or negative weights give 0).
double QualityScore(const QualityInputs& inputs, const QualityWeights& weights = {});

}  // namespace tailor::decide

#endif  // TAILOR_MODELS_DECIDE_QUALITY_SCORE_H_
