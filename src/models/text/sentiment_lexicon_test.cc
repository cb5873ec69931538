#include "models/text/sentiment_lexicon.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace tailor::text {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("tailor_lexicon_test_" +
             std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  void Write(const fs::path& rel, const std::string& content) const {
    fs::create_directories((path_ / rel).parent_path());
    std::ofstream(path_ / rel, std::ios::binary) << content;
  }

 private:
  fs::path path_;
};

TEST(SentimentLexiconTest, LoadsTabSeparatedAndLastDuplicateWins) {
  TempDir dir;
  dir.Write("pkg/vader_lexicon.txt",
            "good\t1.9\t0.9\t[2, 2]\nlol\t2.9\t0.5\t[3]\r\n:)\t2.0\t1\t[2]\nlol\t1.8\t0.5\t[2]\n");
  auto lex = SentimentLexicon::LoadFromDirectory(dir.path() / "pkg");
  ASSERT_TRUE(lex.ok()) << lex.status();
  EXPECT_EQ(lex->size(), 3u);
  ASSERT_NE(lex->Valence("good"), nullptr);
  EXPECT_DOUBLE_EQ(*lex->Valence("good"), 1.9);
  EXPECT_DOUBLE_EQ(*lex->Valence("lol"), 1.8);
  EXPECT_DOUBLE_EQ(*lex->Valence(":)"), 2.0);
  EXPECT_EQ(lex->Valence("bad"), nullptr);
  EXPECT_EQ(lex->emoji_count(), 0u);
}

TEST(SentimentLexiconTest, ReadsEmojiFromSiblingUnicodeEmojiJson) {
  TempDir dir;
  dir.Write("vader-sentiment/vader_lexicon.txt", "good\t1.9\n");
  dir.Write("unicode-emoji-json/data-by-emoji.json",
            R"({"😀": {"name": "grinning face"}, "❤️": {"name": "red heart"},
                "👨‍👩‍👧": {"name": "family"}, "#️⃣": {"name": "keycap"}})");
  auto lex = SentimentLexicon::LoadFromDirectory(dir.path() / "vader-sentiment");
  ASSERT_TRUE(lex.ok()) << lex.status();
  EXPECT_EQ(lex->emoji_count(), 2u);  // ZWJ sequences and ASCII keycaps are not single code points
  EXPECT_EQ(lex->EmojiName(U'\U0001F600'), "grinning face");
  EXPECT_EQ(lex->EmojiName(U'\u2764'), "red heart");
  EXPECT_EQ(lex->EmojiName(U'#'), "");
}

TEST(SentimentLexiconTest, PrefersVaderEmojiFile) {
  TempDir dir;
  dir.Write("v/vader_lexicon.txt", "good\t1.9\n");
  dir.Write("v/emoji_utf8_lexicon.txt", "😀\tbeaming smile\n");
  dir.Write("unicode-emoji-json/data-by-emoji.json", R"({"😀": {"name": "grinning face"}})");
  auto lex = SentimentLexicon::LoadFromDirectory(dir.path() / "v");
  ASSERT_TRUE(lex.ok()) << lex.status();
  EXPECT_EQ(lex->EmojiName(U'\U0001F600'), "beaming smile");
}

TEST(SentimentLexiconTest, ErrorsAreStatuses) {
  TempDir dir;
  auto missing = SentimentLexicon::LoadFromDirectory(dir.path() / "nope");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);

  dir.Write("bad/vader_lexicon.txt", "good\tvery\n");
  auto bad = SentimentLexicon::LoadFromDirectory(dir.path() / "bad");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find(":1:"), std::string::npos) << bad.status();

  dir.Write("json/vader_lexicon.txt", "good\t1\n");
  dir.Write("unicode-emoji-json/data-by-emoji.json", "{not json");
  auto bad_json = SentimentLexicon::LoadFromDirectory(dir.path() / "json");
  EXPECT_EQ(bad_json.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SentimentLexiconTest, DefaultLookupHonoursEnvAndExplainsAbsence) {
  TempDir dir;
  dir.Write("env/vader_lexicon.txt", "envword\t3.0\n");
  const char* old = std::getenv(SentimentLexicon::kEnvVar);
  const std::string saved = old ? old : "";
  setenv(SentimentLexicon::kEnvVar, (dir.path() / "env").c_str(), 1);
  auto lex = SentimentLexicon::LoadDefault();
  ASSERT_TRUE(lex.ok()) << lex.status();
  EXPECT_NE(lex->Valence("envword"), nullptr);
  EXPECT_EQ(lex->source(), dir.path() / "env");

  // An env directory without the file falls through to the repository copy,
  // which exists only after `npm ci`; either way the outcome is explicit.
  setenv(SentimentLexicon::kEnvVar, (dir.path() / "empty").c_str(), 1);
  auto fallback = SentimentLexicon::LoadDefault();
  if (fallback.ok()) {
    EXPECT_GT(fallback->size(), 7000u);
  } else {
    EXPECT_EQ(fallback.status().code(), absl::StatusCode::kNotFound);
    EXPECT_NE(fallback.status().message().find("npm ci"), std::string::npos);
  }
  if (old) {
    setenv(SentimentLexicon::kEnvVar, saved.c_str(), 1);
  } else {
    unsetenv(SentimentLexicon::kEnvVar);
  }
}

TEST(SentimentLexiconTest, RealPackageLoads) {
  const fs::path dir = fs::path(TAILOR_SOURCE_DIR) / "node_modules" / "vader-sentiment";
  if (!fs::exists(dir / SentimentLexicon::kLexiconFile)) {
    GTEST_SKIP() << dir << " missing: run `npm ci` in the repository root";
  }
  auto lex = SentimentLexicon::LoadFromDirectory(dir);
  ASSERT_TRUE(lex.ok()) << lex.status();
  EXPECT_EQ(lex->size(), 7503u);  // 7517 lines, 14 tokens repeated (last wins, as in JS)
  EXPECT_DOUBLE_EQ(*lex->Valence("lol"), 1.8);
  EXPECT_DOUBLE_EQ(*lex->Valence("good"), 1.9);
}

}  // namespace
}  // namespace tailor::text
