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
  EXPECT_TRUE(results[1].at("language_unsupported").as_bool());
  EXPECT_EQ(results[1].at("language").as_string(), "es");
  auto bad = Http(server.port(), "POST", "/v1/ai/sentiment", R"({"texts":["ok", 5]})", key);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.ErrorFields(), std::vector<std::string>{"texts[1]"});
  auto neither = Http(server.port(), "POST", "/v1/ai/sentiment", R"({})", key);
  EXPECT_EQ(neither.status, 400);
  EXPECT_EQ(neither.ErrorFields(), std::vector<std::string>{"text"});
}

}  // namespace
}  // namespace tailor::e2e
