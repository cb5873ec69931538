// VADER sentiment rules (Hutto & Gilbert 2014), scored exactly as the npm
// package vader-sentiment 1.1.3 does (its build/vaderSentiment.bundle.js),
// including its quirks, so that scores can be checked against it:
// negation (case-sensitive list, "n't", "least"), boosters and dampeners
// scaled by distance, ALL-CAPS emphasis when case is mixed, "never so/this",
// "kind of", idioms, contrastive "but", "!" and "?" emphasis, and rounding
// (toFixed: compound to 4 decimals, proportions to 3).
//
// One deliberate addition, on by default: "without doubt" / "without a
// doubt" before a sentiment word does not negate it (as in Python VADER
// 3.3); set VaderOptions::without_doubt = false for exact reference scores.
//
//   tailor::text::VaderScorer scorer(lexicon);
//   tailor::text::PolarityScores s = scorer.Score("The food is GREAT, but slow!");
//   // s.compound in [-1, 1]; s.positive + s.neutral + s.negative ~= 1
//
// Score() is const and thread-safe (scratch space is thread_local) and does
// not allocate for ASCII text once the thread's scratch has grown.
#ifndef TAILOR_MODELS_TEXT_VADER_SCORER_H_
#define TAILOR_MODELS_TEXT_VADER_SCORER_H_

#include <string_view>
#include <vector>

#include "models/text/sentiment_lexicon.h"

namespace tailor::text {

struct PolarityScores {
  double compound = 0;  // normalized sum of valences, in [-1, 1]
  double positive = 0;  // proportions of the text; all 0 for a text without tokens
  double neutral = 0;
  double negative = 0;
};

struct VaderOptions {
  bool without_doubt = true;  // see the file comment
};

// Rounds like JavaScript's Number.prototype.toFixed(digits) followed by
// parseFloat: nearest decimal of the exact binary value, ties away from zero.
double RoundLikeJsToFixed(double value, int digits);

// VADER's normalization: score / sqrt(score^2 + alpha), clamped to [-1, 1].
double NormalizeVader(double score, double alpha = 15.0);

// VADER's last step, shared with the lexicon scorer of other languages
// (afinn_scorer.h): one valence per token (0 for a token without one),
// "!" and "?" emphasis counted in `text`, compound = NormalizeVader(sum),
// and the positive / neutral / negative proportions. All 0 when
// `sentiments` is empty.
PolarityScores PolarityFromSentiments(const std::vector<double>& sentiments, std::string_view text);

class VaderScorer {
 public:
  // `lexicon` must outlive the scorer.
  explicit VaderScorer(const SentimentLexicon& lexicon, VaderOptions options = {})
      : lexicon_(lexicon), options_(options) {}

  // Scores `text` as given (no emoji translation, no language detection).
  PolarityScores Score(std::string_view text) const;

 private:
  const SentimentLexicon& lexicon_;
  VaderOptions options_;
};

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_VADER_SCORER_H_
