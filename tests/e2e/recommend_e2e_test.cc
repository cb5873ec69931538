// Recommendations end to end: MovieLens 100K imported with `tailor import`,
// a real server trains its models in the background, and every question goes
// over real HTTP.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <map>
#include <fstream>
#include <set>
#include <thread>

#include "e2e_support.h"

namespace tailor::e2e {
namespace {

namespace json = boost::json;

std::string MovieLensDir() { return std::string(TAILOR_SHARED_DATA) + "/ml-100k"; }

void Import(const std::string& data_dir) {
  int code = -1;
  std::string out = RunTailor({"import", "--data-dir", data_dir, "--tenant", "movies", "--format",
                               "ml-100k", "--quiet", MovieLensDir()},
                              &code);
  ASSERT_EQ(code, 0) << out;
}

// Waits until every model in `names` is served and the content index exists.
json::object WaitForModels(uint16_t port, const std::string& key, const std::set<std::string>& names) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  json::object last;
  while (std::chrono::steady_clock::now() < deadline) {
    HttpResult r = Http(port, "GET", "/v1/models", "", key);
    if (r.status == 200) {
      last = r.Json().as_object();
      std::set<std::string> have;
      for (const json::value& m : last.at("models").as_array()) {
        have.insert(std::string(m.at("name").as_string()));
      }
      bool all = true;
      for (const std::string& n : names) all = all && have.contains(n);
      if (all && last.at("content_index").as_bool()) return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "models not trained in time: " << json::serialize(last);
  return last;
}

std::vector<std::string> Ids(const HttpResult& r) {
  std::vector<std::string> out;
  for (const json::value& i : r.Json().at("items").as_array()) {
    out.emplace_back(i.at("item_id").as_string());
  }
  return out;
}

std::set<std::string> UserItems(uint16_t port, const std::string& key, const std::string& user) {
  std::set<std::string> out;
  std::string cursor;
  do {
    HttpResult r = Http(port, "GET",
                        "/v1/users/" + user + "/events?limit=1000" +
                            (cursor.empty() ? "" : "&cursor=" + cursor),
                        "", key);
    EXPECT_EQ(r.status, 200);
    for (const json::value& e : r.Json().at("events").as_array()) {
      out.insert(std::string(e.at("item_id").as_string()));
    }
    const json::value& next = r.Json().at("next_cursor");
    cursor = next.is_string() ? std::string(next.as_string()) : "";
  } while (!cursor.empty());
  return out;
}

const std::vector<std::string> kServeFlags = {"--train-models", "popularity,itemknn,ease"};

class RecommendE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::ifstream(MovieLensDir() + "/u.data")) GTEST_SKIP() << "ml-100k not found";
    Import(dir_.path());
    key_ = CreateKey(dir_.path(), "movies", "read");
    admin_ = CreateKey(dir_.path(), "movies", "admin");
  }
  TempDir dir_;
  std::string key_;
  std::string admin_;
};

TEST_F(RecommendE2eTest, RecommendationsSimilarTrendingAndRankOverHttp) {
  ServerProcess server(dir_.path(), kServeFlags);
  uint16_t port = server.port();
  json::object models = WaitForModels(port, key_, {"popularity", "itemknn", "ease"});
  for (const json::value& m : models.at("models").as_array()) {
    EXPECT_GT(m.at("metrics").at("hr@10").as_double(), 0.0) << json::serialize(m);
    EXPECT_EQ(m.at("num_items").as_int64(), 1682);
    EXPECT_EQ(m.at("version").as_int64(), 1);
  }

  // A rich history: the best model, nothing the user already rated.
  HttpResult r = Http(port, "GET", "/v1/users/1/recommendations?n=20&explain=true", "", key_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json().at("model").as_string(), "ease");
  EXPECT_GE(r.Json().at("model_version").as_int64(), 1);
  EXPECT_EQ(r.Json().at("decision_id").as_string().size(), 32u);
  std::set<std::string> rated = UserItems(port, key_, "1");
  ASSERT_EQ(rated.size(), 272u);
  std::vector<std::string> ids = Ids(r);
  ASSERT_EQ(ids.size(), 20u);
  for (const std::string& id : ids) EXPECT_FALSE(rated.contains(id)) << id;
  for (const json::value& item : r.Json().at("items").as_array()) {
    const json::object& reason = item.at("reasons").as_array().at(0).as_object();
    EXPECT_FALSE(reason.at("text").as_string().empty());
    if (reason.at("type").as_string() == "because_you") {
      EXPECT_TRUE(rated.contains(std::string(reason.at("item_id").as_string())));
    }
  }
  // Scores are in decreasing order.
  const json::array& items = r.Json().at("items").as_array();
  for (size_t k = 1; k < items.size(); ++k) {
    EXPECT_GE(items[k - 1].at("score").to_number<double>(), items[k].at("score").to_number<double>());
  }

  // Filters: category, exclude, include_seen, offset.
  HttpResult horror = Http(port, "GET", "/v1/users/1/recommendations?n=5&category=Horror", "", key_);
  ASSERT_EQ(horror.status, 200);
  ASSERT_EQ(Ids(horror).size(), 5u);
  for (const std::string& id : Ids(horror)) {
    HttpResult item = Http(port, "GET", "/v1/items/" + id, "", key_);
    bool is_horror = false;
    for (const json::value& c : item.Json().at("categories").as_array()) is_horror |= c == "Horror";
    EXPECT_TRUE(is_horror) << id;
  }
  HttpResult excluded = Http(port, "GET", "/v1/users/1/recommendations?n=19&exclude=" + ids[0] + "," + ids[1], "", key_);
  std::vector<std::string> ex = Ids(excluded);
  EXPECT_EQ(ex.front(), ids[2]);
  HttpResult offset = Http(port, "GET", "/v1/users/1/recommendations?n=5&offset=5", "", key_);
  EXPECT_EQ(Ids(offset), std::vector<std::string>(ids.begin() + 5, ids.begin() + 10));
  HttpResult seen = Http(port, "GET", "/v1/users/1/recommendations?n=50&include_seen=true", "", key_);
  int seen_count = 0;
  for (const std::string& id : Ids(seen)) seen_count += rated.contains(id);
  EXPECT_GT(seen_count, 0);
  HttpResult diverse = Http(port, "GET", "/v1/users/1/recommendations?n=10&diversity=0.7", "", key_);
  EXPECT_EQ(diverse.status, 200);
  EXPECT_NE(Ids(diverse), std::vector<std::string>(ids.begin(), ids.begin() + 10));

  // Bad parameters name the field.
  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"n=0", "n"}, {"n=abc", "n"}, {"offset=-1", "offset"}, {"diversity=2", "diversity"},
           {"explain=maybe", "explain"}, {"include_seen=yes", "include_seen"}}) {
    HttpResult bad = Http(port, "GET", "/v1/users/1/recommendations?" + query, "", key_);
    EXPECT_EQ(bad.status, 400) << query;
    EXPECT_TRUE(bad.IsProblem()) << query;
    EXPECT_EQ(bad.ErrorFields(), std::vector<std::string>{field}) << query << " " << bad.body;
  }

  // Similar items: Star Wars (50) brings its sequels.
  HttpResult similar = Http(port, "GET", "/v1/items/50/similar?n=10&explain=true", "", key_);
  ASSERT_EQ(similar.status, 200) << similar.body;
  EXPECT_EQ(similar.Json().at("model").as_string(), "itemknn");
  std::vector<std::string> sim = Ids(similar);
  ASSERT_EQ(sim.size(), 10u);
  EXPECT_TRUE(std::find(sim.begin(), sim.end(), "50") == sim.end());
  EXPECT_TRUE(std::find(sim.begin(), sim.end(), "172") != sim.end());  // Empire Strikes Back
  EXPECT_TRUE(std::find(sim.begin(), sim.end(), "181") != sim.end());  // Return of the Jedi
  EXPECT_EQ(similar.Json().at("items").at(0).at("reasons").at(0).at("type").as_string(), "co_engagement");
  EXPECT_EQ(Http(port, "GET", "/v1/items/nope/similar", "", key_).status, 404);

  // Trending: the window ends at the newest imported rating (1998).
  HttpResult trending = Http(port, "GET", "/v1/items/trending?n=5&window=30d&explain=true", "", key_);
  ASSERT_EQ(trending.status, 200) << trending.body;
  EXPECT_EQ(Ids(trending).size(), 5u);
  EXPECT_EQ(trending.Json().at("model").as_string(), "trending");
  HttpResult comedy = Http(port, "GET", "/v1/items/trending?n=3&category=Comedy&explain=true", "", key_);
  ASSERT_EQ(Ids(comedy).size(), 3u);
  EXPECT_EQ(comedy.Json().at("items").at(0).at("reasons").at(0).at("text").as_string(), "trending in Comedy");
  HttpResult bad_window = Http(port, "GET", "/v1/items/trending?window=3w", "", key_);
  EXPECT_EQ(bad_window.status, 400);
  EXPECT_EQ(bad_window.ErrorFields(), std::vector<std::string>{"window"});

  // Rank: the caller's candidates in the user's order, unknown ids last.
  HttpResult ranked = Http(port, "POST", "/v1/users/1/rank",
                           R"({"items": ["no-such-item", ")" + ids[3] + R"(", ")" + ids[15] + R"(", ")" + ids[0] + R"("]})", key_);
  ASSERT_EQ(ranked.status, 200) << ranked.body;
  std::vector<std::string> order = Ids(ranked);
  ASSERT_EQ(order.size(), 4u);
  EXPECT_EQ(order[0], ids[0]);
  EXPECT_EQ(order[1], ids[3]);
  EXPECT_EQ(order[2], ids[15]);
  EXPECT_EQ(order[3], "no-such-item");
  HttpResult bad_rank = Http(port, "POST", "/v1/users/1/rank", R"({"items": [1]})", key_);
  EXPECT_EQ(bad_rank.status, 400);
  EXPECT_EQ(bad_rank.ErrorFields(), std::vector<std::string>{"items[0]"});
}

TEST_F(RecommendE2eTest, PostedEventsChangeTheNextRecommendations) {
  std::string writer = CreateKey(dir_.path(), "movies", "write");
  ServerProcess server(dir_.path(), kServeFlags);
  uint16_t port = server.port();
  WaitForModels(port, key_, {"popularity", "itemknn", "ease"});

  // A new user: the fallback is trending.
  HttpResult cold = Http(port, "GET", "/v1/users/newcomer/recommendations?n=10&explain=true", "", key_);
  ASSERT_EQ(cold.status, 200) << cold.body;
  EXPECT_EQ(cold.Json().at("model").as_string(), "trending");
  EXPECT_EQ(cold.Json().at("items").at(0).at("reasons").at(0).at("type").as_string(), "trending");

  // Two clicks: a short history goes to item-kNN; what was clicked drops out
  // and its neighbours rise, explained by the clicked movies.
  HttpResult posted = Http(port, "POST", "/v1/events",
                           R"({"events": [{"user_id": "newcomer", "item_id": "50", "type": "click"},
                                          {"user_id": "newcomer", "item_id": "172", "type": "click"}]})",
                           writer);
  ASSERT_EQ(posted.status, 200) << posted.body;
  HttpResult warm = Http(port, "GET", "/v1/users/newcomer/recommendations?n=10&explain=true", "", key_);
  ASSERT_EQ(warm.status, 200);
  EXPECT_EQ(warm.Json().at("model").as_string(), "itemknn");
  std::vector<std::string> warm_ids = Ids(warm);
  EXPECT_NE(warm_ids, Ids(cold));
  for (const std::string& id : warm_ids) {
    EXPECT_NE(id, "50");
    EXPECT_NE(id, "172");
  }
  EXPECT_TRUE(std::find(warm_ids.begin(), warm_ids.end(), "181") != warm_ids.end());  // Return of the Jedi
  for (const json::value& item : warm.Json().at("items").as_array()) {
    std::string because(item.at("reasons").at(0).at("item_id").as_string());
    EXPECT_TRUE(because == "50" || because == "172") << because;
  }

  // Three more: a rich history goes to the best model.
  Http(port, "POST", "/v1/events",
       R"({"events": [{"user_id": "newcomer", "item_id": "181", "type": "purchase"},
                      {"user_id": "newcomer", "item_id": "174", "type": "like"},
                      {"user_id": "newcomer", "item_id": "173", "type": "view"}]})",
       writer);
  HttpResult rich = Http(port, "GET", "/v1/users/newcomer/recommendations?n=10", "", key_);
  EXPECT_EQ(rich.Json().at("model").as_string(), "ease");
  std::vector<std::string> rich_ids = Ids(rich);
  EXPECT_TRUE(std::find(rich_ids.begin(), rich_ids.end(), "181") == rich_ids.end());

  // A dismissed item never comes back, even with include_seen.
  std::string top = rich_ids.at(0);
  Http(port, "POST", "/v1/events", R"({"user_id": "newcomer", "item_id": ")" + top + R"(", "type": "dismiss"})", writer);
  HttpResult after = Http(port, "GET", "/v1/users/newcomer/recommendations?n=50&include_seen=true", "", key_);
  for (const std::string& id : Ids(after)) EXPECT_NE(id, top);

  // An item made unavailable disappears from everyone's lists at once.
  std::string next = Ids(Http(port, "GET", "/v1/users/newcomer/recommendations?n=1", "", key_)).at(0);
  HttpResult put = Http(port, "PUT", "/v1/items/" + next, R"({"title": "Gone", "available": false})", writer);
  ASSERT_EQ(put.status, 200) << put.body;
  for (const std::string& id : Ids(Http(port, "GET", "/v1/users/newcomer/recommendations?n=50", "", key_))) {
    EXPECT_NE(id, next);
  }
}

TEST_F(RecommendE2eTest, ModelsTrainOnDemandAndSurviveARestart) {
  int64_t version = 0;
  {
    ServerProcess server(dir_.path(), kServeFlags);
    uint16_t port = server.port();
    WaitForModels(port, key_, {"popularity", "itemknn", "ease"});
    HttpResult forbidden = Http(port, "POST", "/v1/models/itemknn/train", "", key_);
    EXPECT_EQ(forbidden.status, 403);
    HttpResult unknown = Http(port, "POST", "/v1/models/magic/train", "", admin_);
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.ErrorFields(), std::vector<std::string>{"name"});
    HttpResult bad = Http(port, "POST", "/v1/models/itemknn/train", R"({"params": 3})", admin_);
    EXPECT_EQ(bad.status, 400);
    HttpResult queued = Http(port, "POST", "/v1/models/itemknn/train", R"({"params": {"topk": 50}})", admin_);
    ASSERT_EQ(queued.status, 202) << queued.body;
    int64_t job = queued.Json().at("job_id").as_int64();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    std::string state;
    while (std::chrono::steady_clock::now() < deadline) {
      HttpResult list = Http(port, "GET", "/v1/models", "", key_);
      for (const json::value& j : list.Json().at("jobs").as_array()) {
        if (j.at("job_id").as_int64() == job) state = std::string(j.at("state").as_string());
      }
      if (state == "succeeded" || state == "failed") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_EQ(state, "succeeded");
    HttpResult list = Http(port, "GET", "/v1/models", "", key_);
    for (const json::value& m : list.Json().at("models").as_array()) {
      if (m.at("name") != "itemknn") continue;
      version = m.at("version").as_int64();
      EXPECT_EQ(m.at("params").at("topk").as_int64(), 50);
    }
    EXPECT_EQ(version, 2);
    server.Signal(SIGTERM);
    EXPECT_EQ(server.Wait(), 0);
  }
  // Restarted with training off: the persisted models serve at once.
  ServerProcess again(dir_.path(), {"--no-background-training"});
  HttpResult list = Http(again.port(), "GET", "/v1/models", "", key_);
  ASSERT_EQ(list.status, 200);
  std::map<std::string, int64_t> versions;
  for (const json::value& m : list.Json().at("models").as_array()) {
    versions[std::string(m.at("name").as_string())] = m.at("version").as_int64();
  }
  EXPECT_EQ(versions["itemknn"], 2);
  EXPECT_EQ(versions["ease"], 1);
  HttpResult r = Http(again.port(), "GET", "/v1/users/1/recommendations?n=5", "", key_);
  EXPECT_EQ(r.Json().at("model").as_string(), "ease");
}

}  // namespace
}  // namespace tailor::e2e
