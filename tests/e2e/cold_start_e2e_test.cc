// Cold start over real HTTP: items written after the models were trained are
// answered by content similarity at once, every item says which strategy
// produced it, and rank uses what it knows about the user.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "e2e_support.h"

namespace tailor::e2e {
namespace {

namespace json = boost::json;

json::object Item(const std::string& id, const std::string& text, const std::string& category) {
  return {{"item_id", id}, {"title", id}, {"text", text}, {"categories", json::array{category}}};
}

// Two tastes, action and drama, with distinct vocabularies; a few comedy
// items keep each vocabulary under half the catalogue (TF-IDF prunes
// terms found in more than half the documents).
class ColdStartE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    admin_ = CreateKey(dir_->path(), "default", "admin");
    server_ = new ServerProcess(dir_->path(), {"--train-models", "popularity,itemknn"});
    json::array items;
    for (int i = 0; i < 10; ++i) {
      items.push_back(Item("a" + std::to_string(i), "explosions chase heist car", "action"));
      items.push_back(Item("d" + std::to_string(i), "family love tears letters", "drama"));
    }
    for (int i = 0; i < 4; ++i) items.push_back(Item("c" + std::to_string(i), "jokes laughs", "comedy"));
    HttpResult put = Call("POST", "/v1/items/batch", json::serialize(json::object{{"items", items}}));
    ASSERT_EQ(put.status, 200) << put.body;
    json::array events;
    for (int u = 0; u < 40; ++u) {
      const char* group = u % 2 == 0 ? "a" : "d";
      for (int k = 0; k < 7; ++k) {
        events.push_back(json::object{{"user_id", "u" + std::to_string(u)},
                                      {"item_id", group + std::to_string((u * 3 + k * 7) % 10)},
                                      {"type", "view"}});
      }
    }
    HttpResult posted = Call("POST", "/v1/events", json::serialize(json::object{{"events", events}}));
    ASSERT_EQ(posted.status, 200) << posted.body;
    // The scheduler trains a tenant that has no model on its first pass.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    bool ready = false;
    while (!ready && std::chrono::steady_clock::now() < deadline) {
      HttpResult models = Call("GET", "/v1/models");
      if (models.status == 200) {
        int have = 0;
        for (const json::value& m : models.Json().at("models").as_array()) have += m.at("name") == "itemknn";
        ready = have > 0 && models.Json().at("content_index").as_bool();
      }
      if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(ready) << "itemknn not trained in time";
    // Written after training: no model has seen it.
    ASSERT_EQ(Call("PUT", "/v1/items/fresh",
                   json::serialize(Item("fresh", "explosions chase heist car", "action")))
                  .status,
              200);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  static HttpResult Call(const std::string& method, const std::string& target,
                         const std::string& body = "") {
    return Http(server_->port(), method, target, body, admin_);
  }
  static void Event(const std::string& user, const std::string& item, const std::string& type) {
    json::object e{{"user_id", user}, {"item_id", item}, {"type", type}};
    ASSERT_EQ(Call("POST", "/v1/events", json::serialize(e)).status, 200);
  }

  static TempDir* dir_;
  static std::string admin_;
  static ServerProcess* server_;
};

TempDir* ColdStartE2eTest::dir_ = nullptr;
std::string ColdStartE2eTest::admin_;
ServerProcess* ColdStartE2eTest::server_ = nullptr;

// No item is presented as collaborative without a positive score.
void ExpectHonest(const json::array& items) {
  for (const json::value& i : items) {
    const json::string& type = i.at("reasons").at(0).at("type").as_string();
    if (type == "collaborative" || type == "because_you") {
      EXPECT_GT(i.at("score").to_number<double>(), 0.0) << json::serialize(i);
      EXPECT_EQ(i.at("strategy"), "itemknn") << json::serialize(i);
    }
  }
}

TEST_F(ColdStartE2eTest, ANewItemIsSimilarAsSoonAsItIsWritten) {
  HttpResult r = Call("GET", "/v1/items/fresh/similar?n=3&explain=true");
  ASSERT_EQ(r.status, 200) << r.body;
  const json::array& items = r.Json().at("items").as_array();
  ASSERT_EQ(items.size(), 3u) << r.body;
  EXPECT_EQ(r.Json().at("model"), "content");
  for (const json::value& i : items) {
    EXPECT_EQ(i.at("item_id").as_string()[0], 'a') << r.body;
    EXPECT_EQ(i.at("strategy"), "content");
    EXPECT_EQ(i.at("reasons").at(0).at("type"), "similar_content");
  }
}

TEST_F(ColdStartE2eTest, AHistoryOfOnlyANewItemGetsContentSimilarItems) {
  Event("newcomer", "fresh", "view");
  HttpResult r = Call("GET", "/v1/users/newcomer/recommendations?n=5&explain=true");
  ASSERT_EQ(r.status, 200) << r.body;
  const json::array& items = r.Json().at("items").as_array();
  ASSERT_EQ(items.size(), 5u) << r.body;
  EXPECT_EQ(r.Json().at("model"), "content");
  ExpectHonest(items);
  for (const json::value& i : items) {
    EXPECT_EQ(i.at("item_id").as_string()[0], 'a') << r.body;
    EXPECT_EQ(i.at("strategy"), "content") << r.body;
    EXPECT_GT(i.at("score").to_number<double>(), 0.0) << r.body;
    EXPECT_EQ(i.at("reasons").at(0).at("type"), "similar_content") << r.body;
    EXPECT_EQ(i.at("reasons").at(0).at("item_id"), "fresh") << r.body;
  }

  // A category the item says nothing about: engagement decides, and says so.
  HttpResult drama = Call("GET", "/v1/users/newcomer/recommendations?n=10&category=drama&explain=true");
  ASSERT_EQ(drama.status, 200) << drama.body;
  const json::array& ds = drama.Json().at("items").as_array();
  ASSERT_EQ(ds.size(), 10u) << drama.body;
  ExpectHonest(ds);
  for (const json::value& i : ds) {
    const json::string& strategy = i.at("strategy").as_string();
    EXPECT_TRUE(strategy == "trending" || strategy == "popularity") << drama.body;
    EXPECT_GT(i.at("score").to_number<double>(), 0.0) << drama.body;
  }
  // Unfiltered trending does not name a category.
  HttpResult trending = Call("GET", "/v1/items/trending?n=3&explain=true");
  ASSERT_EQ(trending.status, 200);
  for (const json::value& i : trending.Json().at("items").as_array()) {
    EXPECT_EQ(i.at("reasons").at(0).at("text"), "trending now") << trending.body;
  }
}

TEST_F(ColdStartE2eTest, RankPutsDislikedLastAndReportsUnknownIds) {
  Event("ranker", "a1", "view");
  Event("ranker", "a2", "view");
  Event("ranker", "a3", "dislike");
  HttpResult r = Call("POST", "/v1/users/ranker/rank",
                      R"({"items":["nope","a3","a1","a4"],"explain":true})");
  ASSERT_EQ(r.status, 200) << r.body;
  const json::array& items = r.Json().at("items").as_array();
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].at("item_id"), "a4") << r.body;
  EXPECT_EQ(items[0].at("strategy"), "itemknn") << r.body;
  EXPECT_EQ(items[1].at("item_id"), "a1") << r.body;
  EXPECT_GT(items[1].at("score").to_number<double>(), 0.0) << r.body;
  EXPECT_NE(items[1].at("strategy"), "none") << r.body;
  EXPECT_EQ(items[2].at("item_id"), "a3") << r.body;
  EXPECT_EQ(items[2].at("strategy"), "disliked") << r.body;
  EXPECT_EQ(items[2].at("known"), true);
  EXPECT_EQ(items[3].at("item_id"), "nope") << r.body;
  EXPECT_EQ(items[3].at("known"), false) << r.body;
  EXPECT_EQ(items[3].at("strategy"), "unknown") << r.body;
}

}  // namespace
}  // namespace tailor::e2e
