// Language of a short text, for deciding whether a lexicon applies. Wraps
// cld2 (Debian libcld2) and adds the rule for texts too short for it.
//
//   tailor::text::LanguageGuess g = tailor::text::DetectLanguage("Das ist gut so, danke");
//   // g.code == "de", g.reliable == true, g.fallback == false
//
// Rule (cld2 is unreliable on a handful of words): a text with fewer than
// kMinLettersForDetection letters, or one cld2 does not call reliable, or
// one cld2 cannot name, is taken as English (fallback = true). Only a
// reliable, named verdict is reported as is. Thread-safe, no allocation.
#ifndef TAILOR_MODELS_TEXT_LANGUAGE_DETECTOR_H_
#define TAILOR_MODELS_TEXT_LANGUAGE_DETECTOR_H_

#include <string_view>

namespace tailor::text {

// Letters (Unicode alphabetic code points) a text needs before cld2 is
// asked; below it cld2's guesses on real reviews were mostly noise.
inline constexpr int kMinLettersForDetection = 20;

struct LanguageGuess {
  // ISO 639-1 code where one exists ("en", "de", "zh"...), else cld2's code;
  // points to static storage.
  std::string_view code = "en";
  bool reliable = false;  // cld2's own reliability flag
  bool fallback = true;   // true when `code` is the English fallback
};

// `text` should be UTF-8; invalid bytes end the part that is examined.
LanguageGuess DetectLanguage(std::string_view text);

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_LANGUAGE_DETECTOR_H_
