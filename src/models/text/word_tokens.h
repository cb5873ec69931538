// Words of a text as the content index and the lexicon-based (non-English)
// sentiment scorer see them: ICU word boundaries for the root locale (with
// ICU's dictionary segmentation for Chinese, Japanese, Thai, Lao, Khmer and
// Burmese), keeping only spans that contain a letter or digit, case-folded
// with ICU full case folding ("Straße" -> "strasse", "ÉTÉ" -> "été"), with
// the typographic apostrophe U+2019 written as "'" ("don’t" -> "don't").
//
//   std::vector<std::string> words;
//   tailor::text::FoldedWords("C’est TRÈS bien, 10/10!", &words);
//   // words == {"c'est", "très", "bien", "10", "10"}
//
// Invalid UTF-8 becomes U+FFFD and splits words. Thread-safe (the break
// iterator is per thread and created once).
#ifndef TAILOR_MODELS_TEXT_WORD_TOKENS_H_
#define TAILOR_MODELS_TEXT_WORD_TOKENS_H_

#include <string>
#include <string_view>
#include <vector>

namespace tailor::text {

// Clears *words and fills it with the words of `text`, in order.
void FoldedWords(std::string_view text, std::vector<std::string>* words);

// One word or phrase case-folded the same way (no segmentation): what a
// lexicon key must be turned into to match FoldedWords() output.
std::string FoldCase(std::string_view text);

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_WORD_TOKENS_H_
