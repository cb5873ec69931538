// cld2's verdict on the language of a text (Debian libcld2), with the rule
// for texts too short for it. Callers decide what an unreliable verdict
// means; nothing here assumes English.
//
//   tailor::text::LanguageGuess g = tailor::text::DetectLanguage("Das ist gut so, danke");
//   // g.code == "de", g.reliable == true
//   g = tailor::text::DetectLanguage("Muy bueno");
//   // g.code == "und", g.reliable == false (too short to ask cld2)
//
// A text with fewer than kMinLettersForDetection letters is not given to
// cld2 (its guesses on a few words were mostly noise): "und", unreliable.
// Otherwise `code` is cld2's language (CanonicalLanguage(), "und" when cld2
// cannot name one) and `reliable` is cld2's own flag. Thread-safe.
#ifndef TAILOR_MODELS_TEXT_LANGUAGE_DETECTOR_H_
#define TAILOR_MODELS_TEXT_LANGUAGE_DETECTOR_H_

#include <string>
#include <string_view>

#include "models/text/language_codes.h"

namespace tailor::text {

// Letters (Unicode alphabetic code points) a text needs before cld2 is asked.
inline constexpr int kMinLettersForDetection = 20;

struct LanguageGuess {
  std::string code = std::string(kUndetermined);  // canonical ("de", "he", "zh-Hant")
  bool reliable = false;                          // cld2's own reliability flag
};

// `text` should be UTF-8; invalid bytes end the part that is examined.
LanguageGuess DetectLanguage(std::string_view text);

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_LANGUAGE_DETECTOR_H_
