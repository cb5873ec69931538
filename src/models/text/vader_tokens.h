// Tokenization exactly as the reference VADER port (npm vader-sentiment
// 1.1.3, SentiText): split on JavaScript whitespace, drop tokens of one
// UTF-16 unit, and strip one leading OR trailing punctuation mark from a
// token when what remains is a plain word (so "good!!" -> "good", while
// emoticons such as ":)" and contractions such as "don't" survive).
//
//   std::vector<std::string_view> tokens;
//   tailor::text::SplitVaderTokens("GREAT product!! :)", &tokens);
//   // tokens == {"GREAT", "product", ":)"}
//   bool mixed = tailor::text::HasCapDifferential(tokens);  // true
#ifndef TAILOR_MODELS_TEXT_VADER_TOKENS_H_
#define TAILOR_MODELS_TEXT_VADER_TOKENS_H_

#include <string_view>
#include <vector>

namespace tailor::text {

// Clears *tokens and fills it with views into `text` (which must outlive
// them). Does not allocate once *tokens has enough capacity.
void SplitVaderTokens(std::string_view text, std::vector<std::string_view>* tokens);

// Python's str.isupper() as the reference ports it: at least one ASCII
// capital and no ASCII lowercase letter (":)WORD" is upper, ":)" is not).
bool IsAllCapsWord(std::string_view word);

// True when some but not all tokens are ALL CAPS: only then does VADER
// treat capitals as emphasis.
bool HasCapDifferential(const std::vector<std::string_view>& tokens);

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_VADER_TOKENS_H_
