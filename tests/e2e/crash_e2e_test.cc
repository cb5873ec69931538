// Durability: kill -9 the server during concurrent ingest, restart it, and
// check that every event it acknowledged is stored.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "e2e_support.h"

namespace tailor::e2e {
namespace {

namespace json = boost::json;

TEST(CrashE2eTest, NoAcknowledgedEventIsLostOnKill9) {
  TempDir dir;
  std::string key = CreateKey(dir.path(), "default", "write");
  std::set<std::string> acked;
  std::mutex mu;
  std::atomic<bool> stop{false};
  std::atomic<int> attempts{0};
  {
    ServerProcess server(dir.path());
    ASSERT_NE(server.port(), 0);
    constexpr int kWriters = 8;
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        for (int i = 0; !stop && i < 100000; ++i) {
          // Alternate single events and small batches.
          json::array events;
          int n = i % 2 == 0 ? 1 : 5;
          std::vector<std::string> ids;
          for (int k = 0; k < n; ++k) {
            std::string id = "w" + std::to_string(w) + "-" + std::to_string(i) + "-" + std::to_string(k);
            ids.push_back(id);
            events.push_back(json::object{{"event_id", id},
                                          {"user_id", "writer-" + std::to_string(w)},
                                          {"item_id", "item"},
                                          {"type", "click"}});
          }
          attempts++;
          auto r = Http(server.port(), "POST", "/v1/events",
                        json::serialize(json::object{{"events", events}}), key);
          if (r.status != 200) {
            if (r.status == 0) break;  // the server is gone
            continue;
          }
          std::lock_guard<std::mutex> lock(mu);
          for (auto& id : ids) acked.insert(id);
        }
      });
    }
    // Let ingest run, then kill without warning.
    while (attempts < 400) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    server.Signal(SIGKILL);
    EXPECT_EQ(server.Wait(), 128 + SIGKILL);
    stop = true;
    for (auto& t : writers) t.join();
  }
  ASSERT_GT(acked.size(), 100u) << "too little was acknowledged before the kill to prove anything";

  ServerProcess restarted(dir.path());
  ASSERT_NE(restarted.port(), 0);
  std::set<std::string> stored;
  for (int w = 0; w < 8; ++w) {
    std::string cursor;
    do {
      auto page = Http(restarted.port(), "GET",
                       "/v1/users/writer-" + std::to_string(w) + "/events?limit=1000" +
                           (cursor.empty() ? "" : "&cursor=" + cursor),
                       "", key);
      ASSERT_EQ(page.status, 200) << page.body;
      for (const auto& e : page.Json().at("events").as_array()) {
        stored.insert(std::string(e.at("event_id").as_string()));
      }
      const json::value& next = page.Json().at("next_cursor");
      cursor = next.is_null() ? "" : std::string(next.as_string());
    } while (!cursor.empty());
  }
  size_t lost = 0;
  for (const auto& id : acked) lost += stored.count(id) == 0;
  EXPECT_EQ(lost, 0u) << "acknowledged " << acked.size() << ", stored " << stored.size();
  // Batches are atomic: every stored event belongs to a whole stored batch.
  EXPECT_GE(stored.size(), acked.size());
}

TEST(TenantIsolationE2eTest, KeysNeverSeeAnotherTenant) {
  TempDir dir;
  std::string a = CreateKey(dir.path(), "acme", "admin");
  std::string b = CreateKey(dir.path(), "globex", "admin");
  ServerProcess server(dir.path());
  uint16_t port = server.port();
  ASSERT_EQ(Http(port, "PUT", "/v1/users/same-id", R"({"attributes":{"tenant":"acme"}})", a).status, 200);
  ASSERT_EQ(Http(port, "PUT", "/v1/items/item-1", R"({"title":"Acme item"})", a).status, 200);
  ASSERT_EQ(Http(port, "POST", "/v1/events",
                 R"({"event_id":"e1","user_id":"same-id","item_id":"item-1","type":"view"})", a)
                .status,
            200);
  EXPECT_EQ(Http(port, "GET", "/v1/users/same-id", "", b).status, 404);
  EXPECT_EQ(Http(port, "GET", "/v1/items/item-1", "", b).status, 404);
  EXPECT_TRUE(Http(port, "GET", "/v1/users", "", b).Json().at("users").as_array().empty());
  EXPECT_TRUE(Http(port, "GET", "/v1/items", "", b).Json().at("items").as_array().empty());
  EXPECT_TRUE(
      Http(port, "GET", "/v1/users/same-id/events", "", b).Json().at("events").as_array().empty());
  EXPECT_EQ(Http(port, "DELETE", "/v1/users/same-id", "", b).status, 404);
  // The same event_id in B is B's own, not a duplicate of A's.
  auto r = Http(port, "POST", "/v1/events",
                R"({"event_id":"e1","user_id":"same-id","item_id":"item-1","type":"view"})", b);
  EXPECT_EQ(r.Json().at("accepted").as_int64(), 1);
  // B writing the same ids leaves A's data as it was.
  ASSERT_EQ(Http(port, "PUT", "/v1/users/same-id", R"({"attributes":{"tenant":"globex"}})", b).status, 200);
  EXPECT_EQ(Http(port, "GET", "/v1/users/same-id", "", a).Json().at("attributes").at("tenant").as_string(),
            "acme");
  EXPECT_EQ(Http(port, "GET", "/v1/users/same-id/events", "", a).Json().at("events").as_array().size(), 1u);
}

TEST(ImportE2eTest, MovieLens100kThroughTheCliIsServed) {
  std::string ml = std::string(TAILOR_SHARED_DATA) + "/ml-100k";
  if (!std::ifstream(ml + "/u.data")) GTEST_SKIP() << "ml-100k not found at " << ml;
  TempDir dir;
  int code = -1;
  std::string out = RunTailor({"import", "--data-dir", dir.path(), "--tenant", "movies",
                               "--format", "ml-100k", "--quiet", ml},
                              &code);
  ASSERT_EQ(code, 0) << out;
  EXPECT_NE(out.find("943 users, 1682 items, 100000 events"), std::string::npos) << out;
  std::string key = CreateKey(dir.path(), "movies", "read");
  ServerProcess server(dir.path());
  auto item = Http(server.port(), "GET", "/v1/items/50", "", key);
  ASSERT_EQ(item.status, 200);
  EXPECT_EQ(item.Json().at("title").as_string(), "Star Wars (1977)");
  auto user = Http(server.port(), "GET", "/v1/users/1", "", key);
  EXPECT_EQ(user.Json().at("attributes").at("occupation").as_string(), "technician");
  // User 1 rated 272 movies.
  auto events = Http(server.port(), "GET", "/v1/users/1/events?limit=1000", "", key);
  EXPECT_EQ(events.Json().at("events").as_array().size(), 272u);
}

}  // namespace
}  // namespace tailor::e2e
