// Training in a cluster: two `tailor serve` processes on one PostgreSQL
// (started by ctest on loopback, fixture `cluster`). Models are trained by
// one node, stored once and served by both; when the node that trains is
// killed, the other takes the tenant's trainer lease and trains within 30 s.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cluster_support.h"
#include "storage/postgres/test_server_for_test.h"

namespace tailor::e2e {
namespace {

namespace json = boost::json;

// 48 items; 60 users in 4 taste groups of 12 items, 6 views each, in one
// batch (one commit: every node sees the whole data at once, so one round
// trains it).
void PostTastes(uint16_t port, const std::string& key) {
  json::array items;
  for (int i = 0; i < 48; ++i) items.push_back(json::object{{"item_id", absl::StrCat("i", i)}});
  ASSERT_EQ(
      Http(port, "POST", "/v1/items/batch", json::serialize(json::object{{"items", items}}), key)
          .status,
      200);
  json::array events;
  for (int u = 0; u < 60; ++u) {
    for (int k = 0; k < 6; ++k) {
      events.push_back(
          json::object{{"user_id", absl::StrCat("u", u)},
                       {"item_id", absl::StrCat("i", (u % 4) * 12 + (u * 5 + k * 7) % 12)},
                       {"type", "view"},
                       {"event_id", absl::StrCat("e", u, "-", k)}});
    }
  }
  ASSERT_EQ(Http(port, "POST", "/v1/events", json::serialize(json::object{{"events", events}}), key)
                .status,
            200);
}

json::object Models(uint16_t port, const std::string& key) {
  HttpResult r = Http(port, "GET", "/v1/models", "", key);
  if (r.status != 200 || !r.Json().is_object()) return {};
  return r.Json().as_object();
}

// name -> served version.
std::map<std::string, int64_t> Served(const json::object& models) {
  std::map<std::string, int64_t> out;
  if (const json::value* m = models.if_contains("models"); m != nullptr && m->is_array()) {
    for (const json::value& v : m->as_array()) {
      out[std::string(v.at("name").as_string())] = v.at("version").to_number<int64_t>();
    }
  }
  return out;
}

// The newest job of `model` on that node, or null.
json::object Job(const json::object& models, const std::string& model) {
  if (const json::value* jobs = models.if_contains("jobs"); jobs != nullptr && jobs->is_array()) {
    for (const json::value& j : jobs->as_array()) {
      if (j.at("model").as_string() == model) return j.as_object();
    }
  }
  return {};
}

// A string field of `o`, empty when absent.
std::string Text(const json::object& o, const char* field) {
  const json::value* v = o.if_contains(field);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : "";
}

std::vector<std::string> RecommendedIds(uint16_t port, const std::string& key,
                                        const std::string& user) {
  HttpResult r =
      Http(port, "GET", absl::StrCat("/v1/users/", user, "/recommendations?n=10"), "", key);
  std::vector<std::string> ids;
  if (r.status != 200 || !r.Json().is_object()) return ids;
  for (const json::value& it : r.Json().at("items").as_array()) {
    ids.emplace_back(it.at("item_id").as_string());
  }
  return ids;
}

TEST(TrainerTest, ModelsAreTrainedOnceAndEveryNodeServesTheSameVersions) {
  const std::string url = storage::FreshPostgresDatabase("trainer_once");
  const std::string key = KeyFor(url);
  TempDir dir_a, dir_b;
  const std::vector<std::string> flags = {"--store", url, "--train-models", "popularity,itemknn"};
  ServerProcess a(dir_a.path(), flags), b(dir_b.path(), flags);
  PostTastes(a.port(), key);

  const std::map<std::string, int64_t> once = {{"itemknn", 1}, {"popularity", 1}};
  ASSERT_TRUE(
      Eventually([&] { return Served(Models(a.port(), key)) == once; }, std::chrono::seconds(60)));
  ASSERT_TRUE(
      Eventually([&] { return Served(Models(b.port(), key)) == once; }, std::chrono::seconds(5)));
  // Several scheduler passes later neither node has trained again: the
  // history (the store's) holds one version of each model, fitted by one
  // node; the other only loaded it.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  for (uint16_t port : {a.port(), b.port()}) {
    json::object models = Models(port, key);
    EXPECT_EQ(Served(models), once);
    EXPECT_EQ(models.at("history").as_array().size(), 2u) << json::serialize(models);
  }
  int trained_here = 0;
  for (uint16_t port : {a.port(), b.port()}) {
    json::object job = Job(Models(port, key), "itemknn");
    trained_here += Text(job, "state") == "succeeded";
  }
  EXPECT_EQ(trained_here, 1);
  for (int u = 0; u < 8; ++u) {
    const std::string user = absl::StrCat("u", u);
    std::vector<std::string> on_a = RecommendedIds(a.port(), key, user);
    EXPECT_FALSE(on_a.empty()) << user;
    EXPECT_EQ(on_a, RecommendedIds(b.port(), key, user)) << user;
  }
}

TEST(TrainerTest, WhenTheTrainingNodeIsKilledAnotherTrainsWithin30Seconds) {
  const std::string url = storage::FreshPostgresDatabase("trainer_takeover");
  const std::string key = KeyFor(url);
  TempDir dir_a, dir_b;
  ServerProcess a(dir_a.path(), {"--store", url, "--no-background-training"});
  ServerProcess b(dir_b.path(), {"--store", url, "--no-background-training"});
  PostTastes(a.port(), key);

  // A long fit on A holds the tenant's trainer lease...
  ASSERT_EQ(Http(a.port(), "POST", "/v1/models/ials/train",
                 R"({"params": {"factors": 512, "epochs": 10000, "num_threads": 1}})", key)
                .status,
            202);
  ASSERT_TRUE(
      Eventually([&] { return Text(Job(Models(a.port(), key), "ials"), "state") == "running"; },
                 std::chrono::seconds(10)));
  // ...so a training asked of B waits, and says for whom.
  ASSERT_EQ(Http(b.port(), "POST", "/v1/models/itemknn/train", "{}", key).status, 202);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  json::object waiting = Job(Models(b.port(), key), "itemknn");
  ASSERT_EQ(Text(waiting, "state"), "queued") << json::serialize(waiting);
  EXPECT_NE(Text(waiting, "waiting").find("is training this tenant"), std::string::npos);

  a.Signal(SIGKILL);
  a.Wait();
  const auto killed = std::chrono::steady_clock::now();
  ASSERT_TRUE(Eventually(
      [&] { return Text(Job(Models(b.port(), key), "itemknn"), "state") == "succeeded"; },
      std::chrono::seconds(40)));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count();
  EXPECT_LE(seconds, 30.0);
  RecordProperty("takeover_seconds", std::to_string(seconds));
  EXPECT_EQ(Served(Models(b.port(), key)), (std::map<std::string, int64_t>{{"itemknn", 1}}));
}

// Tenant configuration lives in the store: written on one node, read by the
// other; horizons reach the other's running state through the change feed,
// event weights every node that loads the tenant afterwards.
TEST(TrainerTest, TenantSettingsWrittenOnOneNodeReachTheOthers) {
  const std::string url = storage::FreshPostgresDatabase("tenant_settings");
  const std::string key = KeyFor(url);
  TempDir dir_a, dir_b, dir_c;
  ServerProcess a(dir_a.path(), {"--store", url, "--no-background-training"});
  ServerProcess b(dir_b.path(), {"--store", url, "--no-background-training"});
  auto value = [&](uint16_t port, const std::string& name) {
    HttpResult r = Http(port, "GET", "/v1/settings/" + name, "", key);
    return r.status == 200 ? json::serialize(r.Json().at("value")) : r.body;
  };
  HttpResult bad =
      Http(a.port(), "PUT", "/v1/settings/insights", R"({"churn_horizon_days": 0})", key);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("churn_horizon_days"), std::string::npos) << bad.body;
  EXPECT_EQ(Http(a.port(), "PUT", "/v1/settings/nope", "{}", key).status, 404);

  ASSERT_EQ(Http(a.port(), "PUT", "/v1/settings/insights",
                 R"({"churn_horizon_days": 60, "engage_horizon_days": 14})", key)
                .status,
            200);
  const std::string horizons = R"({"churn_horizon_days":6E1,"engage_horizon_days":1.4E1})";
  EXPECT_TRUE(
      Eventually([&] { return value(b.port(), "insights") == horizons; }, std::chrono::seconds(1)))
      << value(b.port(), "insights");

  ASSERT_EQ(
      Http(b.port(), "PUT", "/v1/settings/event_weights", R"({"weights": {"view": 0.5}})", key)
          .status,
      200);
  ServerProcess c(dir_c.path(), {"--store", url, "--no-background-training"});
  EXPECT_NE(value(c.port(), "event_weights").find(R"("view":5E-1)"), std::string::npos)
      << value(c.port(), "event_weights");
}

}  // namespace
}  // namespace tailor::e2e
