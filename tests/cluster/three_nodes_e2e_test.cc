// Three `tailor serve --redis` nodes on a PostgreSQL and a Redis of the
// test's own (so it can break them): ingest on every node while one node is
// killed with SIGKILL, PostgreSQL restarts and Redis goes away and comes back.
// Afterwards no acknowledged event is lost, the surviving nodes agree, a
// campaign submitted before the trouble ran once per user, and a key revoked
// on one node is refused by the other.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cluster_support.h"
#include "storage/postgres/connection.h"
#include "storage/postgres/test_server_for_test.h"

namespace tailor::e2e {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kUsers = 30;

// Every event id node `port` answers for the test's users.
std::set<std::string> StoredIds(uint16_t port, const std::string& key) {
  std::set<std::string> ids;
  for (int u = 0; u < kUsers; ++u) {
    HttpResult r = Http(port, "GET", absl::StrCat("/v1/users/u", u, "/events?limit=1000"), "", key);
    if (r.status != 200) continue;
    for (const json::value& e : r.Json().as_object().at("events").as_array()) {
      if (const json::value* id = e.as_object().if_contains("event_id")) {
        ids.insert(std::string(id->as_string()));
      }
    }
  }
  return ids;
}

std::string Trending(uint16_t port, const std::string& key) {
  HttpResult r = Http(port, "GET", "/v1/items/trending?n=50", "", key);
  return r.status == 200 ? json::serialize(r.Json().as_object().at("items")) : r.body;
}

TEST(ThreeNodesTest, NothingAcknowledgedIsLostThroughANodeKillAndDatabaseAndRedisRestarts) {
  OwnCluster cluster("three");
  const std::string& key = cluster.key;
  const std::string leaked = KeyFor(cluster.url, "shop", "read");
  TempDir dir_a, dir_b, dir_c;
  const std::vector<std::string>& flags = cluster.flags;
  ServerProcess a(dir_a.path(), flags);
  ServerProcess b(dir_b.path(), flags);
  auto c = std::make_unique<ServerProcess>(dir_c.path(), flags);
  const uint16_t ports[3] = {a.port(), b.port(), c->port()};

  // A campaign is queued before the trouble starts.
  ASSERT_EQ(Http(a.port(), "PUT", "/v1/templates/welcome",
                 R"({"variants": [{"id": "p", "push": {"title": "Hi", "body": "Hello"}}]})", key)
                .status,
            200);
  for (int u = 0; u < kUsers; ++u) {
    ASSERT_EQ(Http(a.port(), "PUT", absl::StrCat("/v1/users/u", u),
                   R"({"push_tokens": ["tok"], "consent": {"push": {"marketing": true}}})", key)
                  .status,
              200);
  }
  HttpResult campaign = Http(b.port(), "POST", "/v1/campaigns",
                             R"({"template_id": "welcome", "audience": {"all": true}})", key);
  ASSERT_EQ(campaign.status, 202) << campaign.body;
  const std::string campaign_id(campaign.Json().as_object().at("campaign_id").as_string());

  // Two writers post single events round-robin to the nodes still up.
  std::atomic<bool> stop{false};
  std::atomic<bool> c_dead{false};
  std::mutex mu;
  std::set<std::string> acked;
  std::map<int, int> refused;  // status -> count (not acknowledged: fine)
  auto writer = [&](int w) {
    for (int i = 0; !stop; ++i) {
      const int node = i % (c_dead ? 2 : 3);
      const std::string id = absl::StrCat("w", w, "-", i);
      json::object event{{"user_id", absl::StrCat("u", i % kUsers)},
                         {"item_id", absl::StrCat("i", i % 17)},
                         {"type", "view"},
                         {"event_id", id}};
      HttpResult r = Http(ports[node], "POST", "/v1/events", json::serialize(event), key);
      std::lock_guard lock(mu);
      if (r.status == 200) {
        acked.insert(id);
      } else {
        ++refused[r.status];
      }
    }
  };
  std::thread w1(writer, 1), w2(writer, 2);
  std::this_thread::sleep_for(milliseconds(500));
  c_dead = true;
  c->Signal(SIGKILL);
  c->Wait();
  std::this_thread::sleep_for(milliseconds(500));
  cluster.pg.Restart();
  std::this_thread::sleep_for(milliseconds(1000));
  cluster.redis.Stop();
  std::this_thread::sleep_for(milliseconds(700));
  cluster.redis.Start();
  std::this_thread::sleep_for(milliseconds(1000));
  stop = true;
  w1.join();
  w2.join();
  std::ostringstream refusals;
  for (auto [status, n] : refused) refusals << status << ":" << n << " ";
  std::printf("acknowledged %zu events; not acknowledged %s\n", acked.size(),
              refusals.str().c_str());
  ASSERT_GT(acked.size(), 50u);

  // Both surviving nodes take writes again.
  for (uint16_t port : {a.port(), b.port()}) {
    EXPECT_TRUE(Eventually(
        [&] {
          json::object e{{"user_id", "u0"},
                         {"item_id", "i0"},
                         {"type", "view"},
                         {"event_id", absl::StrCat("final-", port)}};
          return Http(port, "POST", "/v1/events", json::serialize(e), key).status == 200;
        },
        seconds(15)))
        << "node on " << port << " does not take writes after the restarts";
  }

  // 0 acknowledged events lost, and both nodes answer alike.
  const std::set<std::string> on_a = StoredIds(a.port(), key);
  size_t lost = 0;
  for (const std::string& id : acked) lost += on_a.count(id) == 0;
  EXPECT_EQ(lost, 0u) << "of " << acked.size() << " acknowledged events";
  EXPECT_TRUE(Eventually([&] { return StoredIds(b.port(), key) == on_a; }, seconds(2)));
  EXPECT_TRUE(
      Eventually([&] { return Trending(a.port(), key) == Trending(b.port(), key); }, seconds(2)));

  // The campaign finished, one decision per user.
  json::object done;
  EXPECT_TRUE(Eventually(
      [&] {
        HttpResult r = Http(b.port(), "GET", "/v1/campaigns/" + campaign_id, "", key);
        if (r.status != 200) return false;
        done = r.Json().as_object();
        return done.at("status") == "done";
      },
      seconds(90)))
      << json::serialize(done);
  HttpResult results = Http(a.port(), "GET", "/v1/campaigns/" + campaign_id + "/results", "", key);
  ASSERT_EQ(results.status, 200);
  std::multiset<std::string> users;
  std::istringstream lines(results.body);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) users.insert(std::string(json::parse(line).at("user_id").as_string()));
  }
  EXPECT_EQ(users.size(), static_cast<size_t>(kUsers));
  EXPECT_EQ(std::set<std::string>(users.begin(), users.end()).size(), static_cast<size_t>(kUsers));

  // A key revoked on A is refused by B within a second.
  ASSERT_EQ(Http(b.port(), "GET", "/v1/items/trending", "", leaked).status, 200);
  ASSERT_EQ(
      Http(a.port(), "POST", "/v1/keys/revoke", json::serialize(json::object{{"key", leaked}}), key)
          .status,
      200);
  EXPECT_TRUE(Eventually(
      [&] { return Http(b.port(), "GET", "/v1/items/trending", "", leaked).status == 401; },
      seconds(1)));
}

TEST(ThreeNodesTest, AFrequencyCapHoldsWhenOneUserReachesSeveralNodesAtOnce) {
  OwnCluster cluster("caps");
  const std::string& key = cluster.key;
  TempDir dir_a, dir_b, dir_c;
  const std::vector<std::string>& flags = cluster.flags;
  ServerProcess a(dir_a.path(), flags), b(dir_b.path(), flags), c(dir_c.path(), flags);
  const uint16_t ports[3] = {a.port(), b.port(), c.port()};
  const std::string caps =
      R"({"quiet_hours": null, "frequency_caps": [{"channel": "push", "window_hours": 24, "max": 2}]})";
  ASSERT_EQ(Http(a.port(), "PUT", "/v1/notifications/settings", caps, key).status, 200);
  ASSERT_EQ(Http(a.port(), "PUT", "/v1/templates/welcome",
                 R"({"variants": [{"id": "p", "push": {"title": "Hi", "body": "Hello"}}]})", key)
                .status,
            200);
  ASSERT_EQ(Http(a.port(), "PUT", "/v1/users/popular",
                 R"({"push_tokens": ["tok"], "consent": {"push": {"marketing": true}}})", key)
                .status,
            200);
  const std::string settings = Http(a.port(), "GET", "/v1/notifications/settings", "", key).body;
  for (uint16_t port : ports) {
    ASSERT_TRUE(Eventually(
        [&] { return Http(port, "GET", "/v1/notifications/settings", "", key).body == settings; },
        seconds(2)));
  }
  // Twelve decisions for one user at once, four on each node, all for the
  // next hour (so none can be deferred past the cap's 24 h window).
  const absl::Time now = absl::Now();
  const std::string decide = absl::StrCat(
      R"({"user_id": "popular", "template_id": "welcome", "window": {"start": ")",
      absl::FormatTime(absl::RFC3339_sec, now, absl::UTCTimeZone()), R"(", "end": ")",
      absl::FormatTime(absl::RFC3339_sec, now + absl::Hours(1), absl::UTCTimeZone()), R"("}})");
  std::atomic<int> sends{0}, suppressed{0}, failed{0};
  std::mutex answers_mu;
  std::vector<std::string> answers;
  std::vector<std::thread> deciders;
  for (int i = 0; i < 12; ++i) {
    deciders.emplace_back([&, i] {
      HttpResult r = Http(ports[i % 3], "POST", "/v1/notifications/decide", decide, key);
      if (r.status != 200) {
        ++failed;
        return;
      }
      (r.Json().as_object().at("suppressed").is_null() ? sends : suppressed) += 1;
      std::lock_guard lock(answers_mu);
      answers.push_back(json::serialize(r.Json().as_object().at("send_at")));
    });
  }
  for (std::thread& t : deciders) t.join();
  EXPECT_EQ(failed, 0);
  std::string all;
  for (const std::string& x : answers) all += x + "\n";
  EXPECT_EQ(sends, 2) << "the cap is 2 a day; send times:\n" << all;
  EXPECT_EQ(suppressed, 10);
}

}  // namespace
}  // namespace tailor::e2e
