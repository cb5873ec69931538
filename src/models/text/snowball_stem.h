// Snowball stemming (Debian libstemmer) by language code, for the content
// index and for matching inflected words against sentiment lexicons.
//
//   int german = tailor::text::SnowballIndex("de-AT");   // >= 0
//   std::string stem;
//   tailor::text::Stem(german, "schlechtes", &stem);      // "schlecht"
//
// Languages (all of libstemmer 2.2): en, de, fr, es, it, pt, nl, sv, no
// (nb, nn), da, fi, ru, hu, ro, tr, ar, hy, eu, ca, el, hi, id, ga, lt, ne,
// sr, ta, yi. Thread-safe (one stemmer per thread and language, made on first
// use).
#ifndef TAILOR_MODELS_TEXT_SNOWBALL_STEM_H_
#define TAILOR_MODELS_TEXT_SNOWBALL_STEM_H_

#include <string>
#include <string_view>

namespace tailor::text {

// Index of the Snowball algorithm for an ISO 639-1 tag (case-insensitive,
// region suffixes such as "de-AT" or "pt_BR" ignored), or -1.
int SnowballIndex(std::string_view language);
inline constexpr int kSnowballEnglish = 0;

// The stem of a case-folded UTF-8 `word`; the word itself for index < 0 or
// when libstemmer cannot stem.
void Stem(int index, std::string_view word, std::string* stem);

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_SNOWBALL_STEM_H_
