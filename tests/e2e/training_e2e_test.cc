// Training over real HTTP: on-demand training runs with background training
// off, and a new tenant's first model, fitted on one event, is not served
// and is replaced as soon as the data has grown.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "e2e_support.h"

namespace tailor::e2e {
namespace {

namespace json = boost::json;

// Two tastes of ten items each, with text for content similarity, and a
// few comedy items so that neither vocabulary is in half the catalogue.
std::string Catalogue() {
  json::array items;
  for (int i = 0; i < 10; ++i) {
    items.push_back(json::object{{"item_id", "a" + std::to_string(i)},
                                 {"title", "a" + std::to_string(i)},
                                 {"text", "explosions chase heist car"},
                                 {"categories", json::array{"action"}}});
    items.push_back(json::object{{"item_id", "d" + std::to_string(i)},
                                 {"title", "d" + std::to_string(i)},
                                 {"text", "family love tears letters"},
                                 {"categories", json::array{"drama"}}});
  }
  for (int i = 0; i < 4; ++i) {
    items.push_back(json::object{{"item_id", "c" + std::to_string(i)},
                                 {"title", "c" + std::to_string(i)},
                                 {"text", "jokes laughs"},
                                 {"categories", json::array{"comedy"}}});
  }
  return json::serialize(json::object{{"items", items}});
}

// `users` users from `first` on, each viewing `per_user` items of their taste.
std::string Views(int first, int users, int per_user) {
  json::array events;
  for (int u = first; u < first + users; ++u) {
    const char* group = u % 2 == 0 ? "a" : "d";
    for (int k = 0; k < per_user; ++k) {
      events.push_back(json::object{{"user_id", "u" + std::to_string(u)},
                                    {"item_id", group + std::to_string((u * 3 + k * 7) % 10)},
                                    {"type", "view"}});
    }
  }
  return json::serialize(json::object{{"events", events}});
}

class TrainingE2eTest : public ::testing::Test {
 protected:
  void Start(const std::vector<std::string>& flags) {
    admin_ = CreateKey(dir_.path(), "default", "admin");
    server_ = std::make_unique<ServerProcess>(dir_.path(), flags);
    HttpResult put = Call("POST", "/v1/items/batch", Catalogue());
    ASSERT_EQ(put.status, 200) << put.body;
  }
  HttpResult Call(const std::string& method, const std::string& target,
                  const std::string& body = "") {
    return Http(server_->port(), method, target, body, admin_);
  }
  // GET /v1/models until `done` holds for it or `limit` passes; the last answer.
  json::object PollModels(const std::function<bool(const json::object&)>& done,
                          std::chrono::seconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    json::object last;
    while (std::chrono::steady_clock::now() < deadline) {
      HttpResult r = Call("GET", "/v1/models");
      if (r.status == 200) {
        last = r.Json().as_object();
        if (done(last)) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return last;
  }
  static const json::object* Model(const json::object& models, const std::string& name) {
    for (const json::value& m : models.at("models").as_array()) {
      if (m.at("name").as_string() == name) return &m.as_object();
    }
    return nullptr;
  }

  TempDir dir_;
  std::string admin_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(TrainingE2eTest, OnDemandTrainingRunsWithBackgroundTrainingOff) {
  Start({"--no-background-training"});
  ASSERT_EQ(Call("POST", "/v1/events", Views(0, 30, 5)).status, 200);
  HttpResult queued = Call("POST", "/v1/models/itemknn/train");
  ASSERT_EQ(queued.status, 202) << queued.body;
  int64_t job = queued.Json().at("job_id").as_int64();
  auto state_of = [job](const json::object& models) {
    for (const json::value& j : models.at("jobs").as_array()) {
      if (j.at("job_id").as_int64() == job) return std::string(j.at("state").as_string());
    }
    return std::string();
  };
  json::object models = PollModels(
      [&](const json::object& m) {
        std::string state = state_of(m);
        return state == "succeeded" || state == "failed";
      },
      std::chrono::seconds(60));
  ASSERT_FALSE(models.empty());
  ASSERT_EQ(state_of(models), "succeeded") << json::serialize(models);
  const json::object* knn = Model(models, "itemknn");
  ASSERT_NE(knn, nullptr) << json::serialize(models);
  EXPECT_EQ(knn->at("version").as_int64(), 1);
  EXPECT_TRUE(knn->at("best").as_bool());
  // Nothing was trained without being asked.
  EXPECT_EQ(models.at("models").as_array().size(), 1u) << json::serialize(models);
  EXPECT_EQ(models.at("jobs").as_array().size(), 1u) << json::serialize(models);

  ASSERT_EQ(Call("POST", "/v1/events", R"({"user_id": "newbie", "item_id": "a1", "type": "view"})")
                .status,
            200);
  HttpResult r = Call("GET", "/v1/users/newbie/recommendations?n=3");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json().at("model"), "itemknn") << r.body;
}

TEST_F(TrainingE2eTest, ANewTenantsTinyFirstModelIsNotServedAndIsReplacedAsTheDataGrows) {
  Start({"--train-models", "popularity,itemknn"});
  ASSERT_EQ(Call("POST", "/v1/events", Views(0, 1, 1)).status, 200);  // 1 user x 1 item
  json::object models =
      PollModels([&](const json::object& m) { return Model(m, "itemknn") != nullptr; },
                 std::chrono::seconds(60));
  const json::object* tiny = Model(models, "itemknn");
  ASSERT_NE(tiny, nullptr) << json::serialize(models);
  EXPECT_EQ(tiny->at("version").as_int64(), 1);
  ASSERT_TRUE(tiny->contains("insufficient_data")) << json::serialize(*tiny);
  EXPECT_TRUE(tiny->at("insufficient_data").is_string()) << json::serialize(*tiny);
  EXPECT_FALSE(tiny->at("best").as_bool());

  // A visitor meanwhile gets the fallback chain, and is told so per item.
  ASSERT_EQ(Call("POST", "/v1/events", R"({"user_id": "newbie", "item_id": "a1", "type": "view"})")
                .status,
            200);
  HttpResult early = Call("GET", "/v1/users/newbie/recommendations?n=3");
  ASSERT_EQ(early.status, 200) << early.body;
  ASSERT_EQ(early.Json().at("items").as_array().size(), 3u) << early.body;
  for (const json::value& i : early.Json().at("items").as_array()) {
    EXPECT_NE(i.at("strategy"), "itemknn") << early.body;
  }

  // 200 events: far from 10,000, and minutes from 6 hours, but the data
  // grew a hundredfold.
  ASSERT_EQ(Call("POST", "/v1/events", Views(1, 40, 5)).status, 200);
  models = PollModels(
      [&](const json::object& m) {
        const json::object* knn = Model(m, "itemknn");
        return knn != nullptr && knn->at("version").as_int64() >= 2;
      },
      std::chrono::seconds(60));
  const json::object* grown = Model(models, "itemknn");
  ASSERT_NE(grown, nullptr);
  ASSERT_GE(grown->at("version").as_int64(), 2) << json::serialize(models);
  EXPECT_TRUE(grown->at("insufficient_data").is_null()) << json::serialize(*grown);
  EXPECT_TRUE(grown->at("best").as_bool());
  HttpResult later = Call("GET", "/v1/users/newbie/recommendations?n=3");
  ASSERT_EQ(later.status, 200) << later.body;
  EXPECT_EQ(later.Json().at("model"), "itemknn") << later.body;
}

}  // namespace
}  // namespace tailor::e2e
