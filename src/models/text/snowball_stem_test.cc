#include "models/text/snowball_stem.h"

#include <gtest/gtest.h>

#include <string>

namespace tailor::text {
namespace {

std::string StemOf(std::string_view language, std::string_view word) {
  std::string stem;
  Stem(SnowballIndex(language), word, &stem);
  return stem;
}

TEST(SnowballStemTest, LanguageTagsPickTheAlgorithm) {
  EXPECT_EQ(SnowballIndex("en"), kSnowballEnglish);
  EXPECT_EQ(SnowballIndex("de-AT"), SnowballIndex("de"));
  EXPECT_EQ(SnowballIndex("PT_br"), SnowballIndex("pt"));
  EXPECT_GE(SnowballIndex("nb"), 0);  // Norwegian Bokmål, as cld2 may name it
  EXPECT_EQ(SnowballIndex("ja"), -1);
  EXPECT_EQ(SnowballIndex(""), -1);
  EXPECT_EQ(SnowballIndex("und"), -1);
}

TEST(SnowballStemTest, StemsInflectedWords) {
  EXPECT_EQ(StemOf("de", "schlechtes"), "schlecht");
  EXPECT_EQ(StemOf("es", "recetas"), StemOf("es", "receta"));
  EXPECT_EQ(StemOf("fr", "cuisines"), StemOf("fr", "cuisine"));
  // Languages of libstemmer beyond the first Western European set.
  EXPECT_EQ(StemOf("ca", "cadires"), StemOf("ca", "cadira"));
  EXPECT_EQ(StemOf("el", "βιβλία"), "βιβλ");
  EXPECT_EQ(StemOf("id", "makanan"), "makan");
}

TEST(SnowballStemTest, UnknownLanguagesKeepTheWord) {
  EXPECT_EQ(StemOf("ja", "本"), "本");
  EXPECT_EQ(StemOf("", "houses"), "houses");
}

}  // namespace
}  // namespace tailor::text
