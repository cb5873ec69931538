// Sentiment of a text in a language other than English, from that
// language's AFINN list (afinn_lexicons.h), on VADER's scale so that
// answers compare with English ones: each rated word or phrase counts
// rating * 4/5 (AFINN rates -5..5, VADER -4..4), and the sum goes through
// VADER's last step (PolarityFromSentiments: "!"/"?" emphasis, compound in
// [-1, 1], proportions).
//
//   tailor::text::AfinnScorer scorer(lexicons);
//   tailor::text::PolarityScores s = scorer.Score("Esto es malísimo", *lexicons.Find("es"));
//   // s.compound < 0
//
// Rules: words come from FoldedWords(); at each word the longest phrase of
// the list (or negator phrase) starting there wins, else the word itself,
// else the part after its last apostrophe ("l'horrible" -> "horrible"),
// else its Snowball stem (languages Snowball knows: "schlechtes" ->
// "schlecht"). A negator of the package ("nicht", "pas", "non", "niet"...)
// multiplies the valence of rated words among the next kNegationWindow
// words by VADER's -0.74. Emoji count with their Emoji Sentiment Ranking
// rating. Score() is const and thread-safe.
#ifndef TAILOR_MODELS_TEXT_AFINN_SCORER_H_
#define TAILOR_MODELS_TEXT_AFINN_SCORER_H_

#include <string>
#include <string_view>
#include <vector>

#include "models/text/afinn_lexicons.h"
#include "models/text/vader_scorer.h"

namespace tailor::text {

// Words after a negator whose valence it flips (VADER looks 3 words back).
inline constexpr int kNegationWindow = 3;
// AFINN rating -> VADER valence.
inline constexpr double kAfinnToVader = 4.0 / 5.0;

class AfinnScorer {
 public:
  // `lexicons` must outlive the scorer (emoji ratings come from it).
  explicit AfinnScorer(const AfinnLexicons& lexicons) : lexicons_(lexicons) {}

  PolarityScores Score(std::string_view text, const AfinnLanguage& language) const;

  // Same, for a text already split by FoldedWords() (saves a second pass).
  PolarityScores ScoreWords(std::string_view text, const std::vector<std::string>& words,
                            const AfinnLanguage& language) const;

 private:
  const AfinnLexicons& lexicons_;
};

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_AFINN_SCORER_H_
