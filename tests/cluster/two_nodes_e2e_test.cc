// Two `tailor serve` processes on one PostgreSQL database (started by ctest
// on loopback, fixture `postgres`): what one node acknowledges, the other
// answers with, through the store's change log.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "cluster_support.h"
#include "storage/postgres/test_server_for_test.h"
#include "webhook_receiver.h"

namespace tailor::e2e {
namespace {

namespace json = boost::json;

std::vector<std::string> TrendingIds(uint16_t port, const std::string& key) {
  HttpResult r = Http(port, "GET", "/v1/items/trending?n=50", "", key);
  std::vector<std::string> ids;
  if (r.status != 200 || !r.Json().is_object()) return ids;
  const json::value* items = r.Json().as_object().if_contains("items");
  if (items == nullptr || !items->is_array()) return ids;
  for (const json::value& it : items->as_array()) {
    ids.emplace_back(it.as_object().at("item_id").as_string());
  }
  return ids;
}

TEST(TwoNodesTest, AWriteOnOneNodeChangesTheOtherNodesAnswersWithinASecond) {
  const std::string url = storage::FreshPostgresDatabase("two_nodes");
  const std::string key = KeyFor(url);
  TempDir dir_a, dir_b;
  ServerProcess a(dir_a.path(), {"--store", url, "--no-background-training"});
  ServerProcess b(dir_b.path(), {"--store", url, "--no-background-training"});

  json::array items;
  for (int i = 0; i < 30; ++i) {
    items.push_back(
        json::object{{"item_id", absl::StrCat("item-", i)}, {"categories", json::array{"news"}}});
  }
  ASSERT_EQ(Http(a.port(), "POST", "/v1/items/batch",
                 json::serialize(json::object{{"items", items}}), key)
                .status,
            200);

  std::vector<double> lag_ms;
  for (int i = 0; i < 30; ++i) {
    const std::string item = absl::StrCat("item-", i);
    json::array events;
    for (int u = 0; u < 3 + i; ++u) {  // each round's item is the most clicked so far
      events.push_back(json::object{{"user_id", absl::StrCat("user-", u)},
                                    {"item_id", item},
                                    {"type", "click"},
                                    {"event_id", absl::StrCat("r", i, "u", u)}});
    }
    ASSERT_EQ(
        Http(a.port(), "POST", "/v1/events", json::serialize(json::object{{"events", events}}), key)
            .status,
        200);
    const auto acked = std::chrono::steady_clock::now();
    // The writing node answers with it at once (read-your-writes)...
    std::vector<std::string> on_a = TrendingIds(a.port(), key);
    EXPECT_NE(std::find(on_a.begin(), on_a.end(), item), on_a.end()) << item;
    // ...the other node as soon as its feed has read the change log.
    double lag = -1;
    for (int tries = 0; tries < 300; ++tries) {
      std::vector<std::string> on_b = TrendingIds(b.port(), key);
      if (std::find(on_b.begin(), on_b.end(), item) != on_b.end()) {
        lag = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - acked)
                  .count();
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_GE(lag, 0) << item << " never reached node B";
    lag_ms.push_back(lag);
  }
  std::sort(lag_ms.begin(), lag_ms.end());
  std::printf("node A -> node B: p50 %.1f ms, max %.1f ms over %zu writes\n",
              lag_ms[lag_ms.size() / 2], lag_ms.back(), lag_ms.size());
  EXPECT_LT(lag_ms.back(), 1000.0);

  // Both nodes now agree on the whole answer.
  EXPECT_EQ(TrendingIds(a.port(), key), TrendingIds(b.port(), key));
}

TEST(TwoNodesTest, NotificationSettingsChangedOnOneNodeApplyOnTheOther) {
  const std::string url = storage::FreshPostgresDatabase("settings");
  const std::string key = KeyFor(url);
  TempDir dir_a, dir_b;
  ServerProcess a(dir_a.path(), {"--store", url, "--no-background-training"});
  ServerProcess b(dir_b.path(), {"--store", url, "--no-background-training"});
  // Node B has the tenant's notification state loaded (with the defaults).
  HttpResult before = Http(b.port(), "GET", "/v1/notifications/settings", "", key);
  ASSERT_EQ(before.status, 200) << before.body;
  HttpResult put = Http(a.port(), "PUT", "/v1/notifications/settings",
                        R"({"quiet_hours": {"start": "21:30", "end": "07:15"}})", key);
  ASSERT_EQ(put.status, 200) << put.body;
  ASSERT_NE(put.Json(), before.Json());
  EXPECT_EQ(Http(a.port(), "GET", "/v1/notifications/settings", "", key).Json(), put.Json());
  bool applied = false;
  for (int tries = 0; tries < 100 && !applied; ++tries) {
    applied = Http(b.port(), "GET", "/v1/notifications/settings", "", key).Json() == put.Json();
    if (!applied) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(applied) << "node B still answers the old settings after 1 s";
}

TEST(TwoNodesTest, NoAcknowledgedEventIsLostWhenANodeIsKilledDuringIngest) {
  const std::string url = storage::FreshPostgresDatabase("kill_node");
  const std::string key = KeyFor(url);
  TempDir dir_a, dir_b;
  auto a = std::make_unique<ServerProcess>(
      dir_a.path(), std::vector<std::string>{"--store", url, "--no-background-training"});
  ServerProcess b(dir_b.path(), {"--store", url, "--no-background-training"});
  const uint16_t port_a = a->port();
  std::set<std::string> acked;
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      const std::string id = absl::StrCat("k", i);
      json::object event{{"user_id", absl::StrCat("u", i % 50)},
                         {"item_id", "x"},
                         {"type", "view"},
                         {"event_id", id}};
      HttpResult r = Http(port_a, "POST", "/v1/events",
                          json::serialize(json::object{{"events", json::array{event}}}), key);
      if (r.status == 0) return;  // node A is gone
      if (r.status == 200) acked.insert(id);
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  a->Signal(SIGKILL);
  stop = true;
  writer.join();
  a.reset();
  ASSERT_GT(acked.size(), 5u);
  // Node B still answers, and every event A acknowledged is in the store.
  std::set<std::string> stored;
  for (int u = 0; u < 50; ++u) {
    HttpResult r =
        Http(b.port(), "GET", absl::StrCat("/v1/users/u", u, "/events?limit=1000"), "", key);
    if (r.status != 200) continue;
    for (const json::value& e : r.Json().as_object().at("events").as_array()) {
      if (const json::value* id = e.as_object().if_contains("event_id")) {
        stored.insert(std::string(id->as_string()));
      }
    }
  }
  for (const std::string& id : acked) EXPECT_TRUE(stored.count(id)) << id << " was lost";
}

TEST(TwoNodesTest, AKeyRevokedOnOneNodeIsRefusedByTheOtherWithinASecond) {
  const std::string url = storage::FreshPostgresDatabase("revoke");
  const std::string admin = KeyFor(url);
  const std::string leaked = KeyFor(url);
  TempDir dir_a, dir_b;
  ServerProcess a(dir_a.path(), {"--store", url, "--no-background-training"});
  ServerProcess b(dir_b.path(), {"--store", url, "--no-background-training"});
  // Both nodes know (and cache) the key.
  ASSERT_EQ(Http(a.port(), "GET", "/v1/items/trending", "", leaked).status, 200);
  ASSERT_EQ(Http(b.port(), "GET", "/v1/items/trending", "", leaked).status, 200);

  HttpResult bad = Http(a.port(), "POST", "/v1/keys/revoke", R"({"key": 42})", admin);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("\"key\""), std::string::npos) << bad.body;
  EXPECT_EQ(Http(a.port(), "POST", "/v1/keys/revoke", R"({"key": "tk_unknown"})", admin).status,
            404);
  HttpResult r = Http(a.port(), "POST", "/v1/keys/revoke",
                      json::serialize(json::object{{"key", leaked}}), admin);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto revoked_at = std::chrono::steady_clock::now();
  // The node that answered refuses it at once...
  EXPECT_EQ(Http(a.port(), "GET", "/v1/items/trending", "", leaked).status, 401);
  // ...and the other within a second.
  int status = 200;
  while (status != 401 && std::chrono::steady_clock::now() - revoked_at < std::chrono::seconds(1)) {
    status = Http(b.port(), "GET", "/v1/items/trending", "", leaked).status;
    if (status != 401) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(status, 401) << "node B still accepts the revoked key after 1 s";
  EXPECT_EQ(Http(b.port(), "GET", "/v1/items/trending", "", admin).status, 200);
}

TEST(TwoNodesTest, EveryDecisionIsAnnouncedToTheWebhookWhenTheDecidingNodeDies) {
  const std::string url = storage::FreshPostgresDatabase("outbox");
  const std::string key = KeyFor(url);
  TempDir dir_a, dir_b;
  auto a = std::make_unique<ServerProcess>(
      dir_a.path(), std::vector<std::string>{"--store", url, "--no-background-training",
                                             "--webhook-allow", "127.0.0.0/8"});
  ServerProcess b(dir_b.path(),
                  {"--store", url, "--no-background-training", "--webhook-allow", "127.0.0.0/8"});
  // The receiver refuses the first 20 attempts: every delivery is still in
  // the outbox, waiting for its retry, when node A dies.
  Receiver receiver(/*failures=*/20);
  ASSERT_EQ(Http(a->port(), "PUT", "/v1/webhooks/h1",
                 absl::StrCat(R"({"url": "http://127.0.0.1:)", receiver.port(),
                              R"(/hooks", "events": ["decision.created"]})"),
                 key)
                .status,
            200);
  ASSERT_EQ(Http(a->port(), "PUT", "/v1/templates/t",
                 R"({"variants": [{"id": "a", "push": {"body": "hi"}}]})", key)
                .status,
            200);
  std::set<std::string> decided;
  for (int i = 0; i < 20; ++i) {
    const std::string user = absl::StrCat("u", i);
    const uint16_t port = i % 2 == 0 ? a->port() : b.port();
    ASSERT_EQ(Http(port, "PUT", "/v1/users/" + user,
                   R"({"push_tokens": ["x"], "consent": {"push": {"marketing": true}}})", key)
                  .status,
              200);
    HttpResult d = Http(port, "POST", "/v1/notifications/decide",
                        R"({"user_id": ")" + user + R"(", "template_id": "t"})", key);
    ASSERT_EQ(d.status, 200) << d.body;
    decided.insert(std::string(d.Json().at("decision_id").as_string()));
  }
  // Node A dies with its share of the deliveries possibly claimed or queued:
  // node B delivers them once A's claims lapse.
  a->Signal(SIGKILL);
  a->Wait();
  std::set<std::string> announced;
  std::multiset<std::string> envelopes;
  ASSERT_TRUE(Eventually(
      [&] {
        announced.clear();
        envelopes.clear();
        for (const Received& r : receiver.received()) {
          const json::value body = json::parse(r.body);
          announced.insert(std::string(body.at("data").at("decision_id").as_string()));
          envelopes.insert(std::string(body.at("id").as_string()));
        }
        return announced == decided;
      },
      std::chrono::seconds(45)))
      << announced.size() << " of " << decided.size() << " decisions announced";
  size_t repeats =
      envelopes.size() - std::set<std::string>(envelopes.begin(), envelopes.end()).size();
  std::printf("%zu deliveries, %zu repeated (claimed by the killed node)\n", envelopes.size(),
              repeats);
}

}  // namespace
}  // namespace tailor::e2e
