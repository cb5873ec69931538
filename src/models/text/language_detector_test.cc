#include "models/text/language_detector.h"

#include <gtest/gtest.h>

namespace tailor::text {
namespace {

TEST(LanguageDetectorTest, ShortTextsAreNotGuessed) {
  // Too short for cld2: no language, and in particular not English.
  for (const char* text :
       {"", "ok", "Gut!", "Muy bueno :)", "Esto es malísimo", "\xF0\x9F\x98\x80\xF0\x9F\x98\x80"}) {
    const LanguageGuess g = DetectLanguage(text);
    EXPECT_EQ(g.code, "und") << text;
    EXPECT_FALSE(g.reliable) << text;
  }
}

TEST(LanguageDetectorTest, DetectsLongerTexts) {
  const LanguageGuess en = DetectLanguage(
      "The strings sound bright and stay in tune for weeks, I would buy them again.");
  EXPECT_EQ(en.code, "en");
  EXPECT_TRUE(en.reliable);

  const LanguageGuess de = DetectLanguage(
      "Die Saiten klingen wirklich sehr gut und halten die Stimmung wochenlang, ich würde sie "
      "wieder kaufen.");
  EXPECT_EQ(de.code, "de");
  EXPECT_TRUE(de.reliable);

  const LanguageGuess es = DetectLanguage(
      "Las cuerdas suenan muy bien y mantienen la afinación durante semanas, las volvería a "
      "comprar sin dudarlo.");
  EXPECT_EQ(es.code, "es");
}

TEST(LanguageDetectorTest, CodesAreCanonical) {
  // cld2 names Hebrew "iw"; the answer uses today's ISO code.
  const LanguageGuess he = DetectLanguage(
      "המיתרים נשמעים טוב מאוד ושומרים על הכיוון במשך שבועות, הייתי קונה אותם שוב בלי לחשוב "
      "פעמיים.");
  EXPECT_EQ(he.code, "he");
}

TEST(LanguageDetectorTest, InvalidUtf8DoesNotCrash) {
  const LanguageGuess g =
      DetectLanguage("Die Saiten klingen wirklich sehr gut und \xFF\xFE halten die Stimmung");
  EXPECT_FALSE(g.code.empty());
}

}  // namespace
}  // namespace tailor::text
