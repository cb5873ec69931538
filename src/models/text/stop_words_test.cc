#include "models/text/stop_words.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace tailor::text {
namespace {

TEST(StopWordsTest, InstalledPackageCoversTheMainLanguages) {
  absl::StatusOr<StopWords> loaded = StopWords::LoadDefault();
  if (!loaded.ok()) GTEST_SKIP() << loaded.status().message();
  EXPECT_GE(loaded->Languages().size(), 50u);
  const StopWords::Set* de = loaded->ForLanguage("de-AT");
  ASSERT_NE(de, nullptr);
  for (const char* w : {"für", "und", "die", "der"}) EXPECT_TRUE(de->contains(w)) << w;
  EXPECT_FALSE(de->contains("gitarre"));
  const StopWords::Set* fr = loaded->ForLanguage("FR");
  ASSERT_NE(fr, nullptr);
  for (const char* w : {"des", "de", "et", "pour"}) EXPECT_TRUE(fr->contains(w)) << w;
  // stopwords-iso spells Hebrew "he"; the retired "iw" finds it too.
  EXPECT_EQ(loaded->ForLanguage("iw"), loaded->ForLanguage("he"));
  EXPECT_NE(loaded->ForLanguage("he"), nullptr);
  EXPECT_EQ(loaded->ForLanguage("tlh"), nullptr);
  // English comes from the Snowball list: function words only, not the topic
  // words stopwords-iso's English union also lists.
  const StopWords::Set* en = loaded->ForLanguage("en");
  ASSERT_NE(en, nullptr);
  for (const char* w : {"the", "and", "of", "which"}) EXPECT_TRUE(en->contains(w)) << w;
  for (const char* w : {"computer", "research", "system", "information"}) {
    EXPECT_FALSE(en->contains(w)) << w;
  }
  EXPECT_LT(en->size(), 300u);
  EXPECT_EQ(loaded->ForLanguage(""), nullptr);
}

TEST(StopWordsTest, WordsAreCaseFolded) {
  const StopWords s = StopWords::FromLists({{"de", {"Straße", "UND"}}});
  ASSERT_NE(s.ForLanguage("de"), nullptr);
  EXPECT_TRUE(s.ForLanguage("de")->contains("strasse"));
  EXPECT_TRUE(s.ForLanguage("de")->contains("und"));
  EXPECT_THAT(s.Languages(), ::testing::ElementsAre("de"));
}

TEST(StopWordsTest, BadFilesAreErrors) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("stop_words_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  EXPECT_EQ(StopWords::LoadFromFile(dir / "missing.json").status().code(),
            absl::StatusCode::kNotFound);
  std::ofstream(dir / "bad.json") << "[1, 2]";
  EXPECT_EQ(StopWords::LoadFromFile(dir / "bad.json").status().code(),
            absl::StatusCode::kInvalidArgument);
  std::ofstream(dir / "ok.json") << R"({"en": ["the", "and", "computer"], "fr": ["de"]})";
  absl::StatusOr<StopWords> ok = StopWords::LoadFromFile(dir / "ok.json");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_THAT(ok->Languages(), ::testing::ElementsAre("en", "fr"));
  // A Snowball-layout directory replaces the languages it has.
  EXPECT_EQ(ok->OverrideFromSnowballDir(dir).code(), absl::StatusCode::kNotFound);
  std::ofstream(dir / "english") << "the\nAnd\n\n";
  std::ofstream(dir / "klingon") << "qapla\n";
  ASSERT_TRUE(ok->OverrideFromSnowballDir(dir).ok());
  EXPECT_THAT(ok->Languages(), ::testing::ElementsAre("en", "fr"));
  EXPECT_TRUE(ok->ForLanguage("en")->contains("and"));
  EXPECT_FALSE(ok->ForLanguage("en")->contains("computer"));
  EXPECT_TRUE(ok->ForLanguage("fr")->contains("de"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tailor::text
