// The data API over real HTTP against a real `tailor serve` process.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <signal.h>
#include <sstream>

#include "e2e_support.h"

namespace tailor::e2e {
namespace {

namespace json = boost::json;

class ApiE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = CreateKey(dir_.path(), "default", "admin");
    reader_ = CreateKey(dir_.path(), "default", "read");
    server_ = std::make_unique<ServerProcess>(dir_.path());
    ASSERT_NE(server_->port(), 0);
  }
  HttpResult Call(const std::string& method, const std::string& target,
                  const std::string& body = "") {
    return Http(server_->port(), method, target, body, admin_);
  }
  TempDir dir_;
  std::string admin_, reader_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ApiE2eTest, UserLifecycle) {
  auto put = Call("PUT", "/v1/users/alice%40example",
                  R"({"timezone":"Europe/Paris","locale":"fr-FR","email":"a@example.com",
                      "attributes":{"plan":"pro"},"consent":{"email":{"marketing":true}}})");
  ASSERT_EQ(put.status, 200) << put.body;
  auto get = Http(server_->port(), "GET", "/v1/users/alice%40example", "", reader_);
  ASSERT_EQ(get.status, 200) << get.body;
  json::value u = get.Json();
  EXPECT_EQ(u.at("user_id").as_string(), "alice@example");
  EXPECT_EQ(u.at("timezone").as_string(), "Europe/Paris");
  EXPECT_TRUE(u.at("consent").at("email").at("marketing").as_bool());
  EXPECT_TRUE(u.as_object().contains("created_at"));
  // PUT replaces.
  ASSERT_EQ(Call("PUT", "/v1/users/alice%40example", R"({"timezone":"Asia/Tokyo"})").status, 200);
  EXPECT_EQ(Call("GET", "/v1/users/alice%40example").Json().at("timezone").as_string(),
            "Asia/Tokyo");
  EXPECT_EQ(Call("DELETE", "/v1/users/alice%40example").status, 204);
  auto gone = Call("GET", "/v1/users/alice%40example");
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.ErrorFields(), std::vector<std::string>{"user_id"});
  EXPECT_EQ(Call("DELETE", "/v1/users/alice%40example").status, 404);
}

TEST_F(ApiE2eTest, ListsPageWithCursors) {
  for (int i = 0; i < 12; ++i) {
    ASSERT_EQ(Call("PUT", "/v1/users/u" + std::to_string(100 + i), "{}").status, 200);
  }
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = Call("GET", "/v1/users?limit=5" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(page.status, 200) << page.body;
    for (const auto& u : page.Json().at("users").as_array()) {
      seen.insert(std::string(u.at("user_id").as_string()));
    }
    const json::value& next = page.Json().at("next_cursor");
    cursor = next.is_null() ? "" : std::string(next.as_string());
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 12u);
}

TEST_F(ApiE2eTest, ItemsSingleAndBatch) {
  ASSERT_EQ(Call("PUT", "/v1/items/sku-1",
                 R"({"title":"Trail shoes","categories":["running"],"tags":["shoes"],
                     "published_at":"2024-03-01T00:00:00Z","available":true})")
                .status,
            200);
  json::array batch;
  for (int i = 0; i < 50; ++i) {
    batch.push_back(json::object{{"item_id", "b" + std::to_string(i)}, {"title", "Item"}});
  }
  auto r = Call("POST", "/v1/items/batch", json::serialize(json::object{{"items", batch}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json().at("upserted").as_int64(), 50);
  EXPECT_EQ(Call("GET", "/v1/items/b7").Json().at("title").as_string(), "Item");
  EXPECT_EQ(Call("GET", "/v1/items?limit=1000").Json().at("items").as_array().size(), 51u);
  // A batch with one bad item stores nothing and names it.
  auto bad = Call("POST", "/v1/items/batch",
                  R"({"items":[{"item_id":"ok"},{"item_id":"x","published_at":"yesterday"}]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.ErrorFields(), std::vector<std::string>{"items[1].published_at"});
  EXPECT_EQ(Call("GET", "/v1/items/ok").status, 404);
  EXPECT_EQ(Call("DELETE", "/v1/items/sku-1").status, 204);
}

TEST_F(ApiE2eTest, EventsAreIdempotentAndListedNewestFirst) {
  auto one = Call("POST", "/v1/events",
                  R"({"event_id":"e0","user_id":"u1","item_id":"i1","type":"view",
                      "timestamp":"2024-05-01T10:00:00Z"})");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.Json().at("accepted").as_int64(), 1);
  auto batch = Call("POST", "/v1/events", R"({"events":[
      {"event_id":"e0","user_id":"u1","item_id":"i1","type":"view","timestamp":"2024-05-01T10:00:00Z"},
      {"event_id":"e1","user_id":"u1","item_id":"i2","type":"rate","value":4.5,"timestamp":"2024-05-01T11:00:00Z"},
      {"user_id":"u1","type":"notification_opened","context":{"channel":"push","decision_id":"d1"},
       "timestamp":"2024-05-01T12:00:00Z"},
      {"user_id":"u1","type":"feedback","text":"Loved it","timestamp":"2024-05-01T09:00:00Z"}]})");
  ASSERT_EQ(batch.status, 200) << batch.body;
  EXPECT_EQ(batch.Json().at("accepted").as_int64(), 3);
  EXPECT_EQ(batch.Json().at("duplicates").as_int64(), 1);
  auto events = Call("GET", "/v1/users/u1/events?limit=10");
  ASSERT_EQ(events.status, 200);
  const json::array& list = events.Json().at("events").as_array();
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0].at("type").as_string(), "notification_opened");
  EXPECT_EQ(list[0].at("context").at("decision_id").as_string(), "d1");
  EXPECT_EQ(list[1].at("value").as_double(), 4.5);
  EXPECT_EQ(list[3].at("text").as_string(), "Loved it");
}

TEST_F(ApiE2eTest, OperationalEndpoints) {
  EXPECT_EQ(Http(server_->port(), "GET", "/healthz").status, 200);
  EXPECT_EQ(Http(server_->port(), "GET", "/readyz").status, 200);
  auto spec = Http(server_->port(), "GET", "/openapi.json");
  ASSERT_EQ(spec.status, 200);
  EXPECT_EQ(spec.Json().at("openapi").as_string(), "3.1.0");
  EXPECT_TRUE(spec.Json().at("paths").as_object().contains("/v1/events"));
  auto docs = Http(server_->port(), "GET", "/docs");
  EXPECT_EQ(docs.status, 200);
  EXPECT_NE(docs.body.find("/v1/users/{user_id}"), std::string::npos);
  Call("POST", "/v1/events", R"({"user_id":"u","item_id":"i","type":"view"})");
  auto metrics = Http(server_->port(), "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("tailor_events_ingested_total 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("tailor_store_commit_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics.body.find(
                "tailor_http_requests_total{route=\"/v1/events\",method=\"POST\",status=\"200\"} 1"),
            std::string::npos)
      << metrics.body.substr(0, 2000);
}

TEST_F(ApiE2eTest, GracefulDrainOnSigterm) {
  ASSERT_EQ(Call("PUT", "/v1/users/keep", "{}").status, 200);
  server_->Signal(SIGTERM);
  EXPECT_EQ(server_->Wait(), 0);
  ServerProcess again(dir_.path());
  EXPECT_EQ(Http(again.port(), "GET", "/v1/users/keep", "", admin_).status, 200);
}

TEST(CliE2eTest, KeysCreatePrintsOnlyTheKeyAndFirstStartPrintsAdminKey) {
  TempDir dir;
  ServerProcess server(dir.path());
  ASSERT_NE(server.port(), 0);
  server.Signal(SIGTERM);
  server.Wait();
  std::ifstream log(dir.path() + "/server.log");
  std::stringstream ss;
  ss << log.rdbuf();
  size_t pos = ss.str().find("tk_");
  ASSERT_NE(pos, std::string::npos) << ss.str();
  std::string key = ss.str().substr(pos, 43);
  ServerProcess again(dir.path());
  EXPECT_EQ(Http(again.port(), "GET", "/v1/users", "", key).status, 200);
  int code = -1;
  std::string out = RunTailor({"keys", "create", "--data-dir", dir.path(), "--tenant", "other",
                               "--role", "write"},
                              &code);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(out.size(), 44u) << out;  // the key and a newline, nothing else
  EXPECT_EQ(RunTailor({"version"}).rfind("tailor ", 0), 0u);
}

}  // namespace
}  // namespace tailor::e2e
