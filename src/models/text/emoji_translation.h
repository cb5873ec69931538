// Replaces emoji by their names before VADER scoring, as the Python VADER
// reference does with its emoji lexicon: "love it 😍" -> "love it smiling
// face with heart-eyes". tools/sentiment_eval/vader_reference.js applies the
// same rule in JavaScript so both implementations score the same text.
//
//   std::string translated;
//   if (tailor::text::TranslateEmoji(text, lexicon, &translated)) text = translated;
//
// Rule, per code point: an emoji with a name in the lexicon becomes its name,
// preceded by a space unless the previous character was a space; emoji
// modifiers that only decorate the previous emoji (U+FE0E, U+FE0F, U+200D
// and the skin tones U+1F3FB..U+1F3FF) are dropped when they have no name
// of their own; everything else is copied. The result is trimmed of
// JavaScript whitespace at both ends.
#ifndef TAILOR_MODELS_TEXT_EMOJI_TRANSLATION_H_
#define TAILOR_MODELS_TEXT_EMOJI_TRANSLATION_H_

#include <string>
#include <string_view>

#include "models/text/sentiment_lexicon.h"

namespace tailor::text {

// Returns false and leaves *out unspecified when `text` has no emoji known
// to the lexicon (then the text should be scored unchanged). Pure ASCII text
// returns false without a lookup.
bool TranslateEmoji(std::string_view text, const SentimentLexicon& lexicon, std::string* out);

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_EMOJI_TRANSLATION_H_
