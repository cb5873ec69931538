// Webhooks end to end: a real local HTTP receiver registered over the API
// gets decision.created, quality.threshold_failed and profile.updated,
// signed with HMAC-SHA256 and retried after a failed delivery.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/hmac.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "e2e_support.h"
#include "webhook_receiver.h"

namespace tailor::e2e {
namespace {

namespace json = boost::json;

std::string Hmac(const std::string& secret, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(kHex[mac[i] >> 4]);
    out.push_back(kHex[mac[i] & 15]);
  }
  return out;
}

TEST(WebhooksE2eTest, SignedDeliveriesRetriedAfterAFailure) {
  TempDir dir;
  const std::string key = CreateKey(dir.path(), "shop", "write");
  const std::string admin = CreateKey(dir.path(), "shop", "admin");
  // The receiver is on this machine: loopback must be allowed explicitly.
  ServerProcess server(dir.path(),
                       {"--train-models", "popularity", "--webhook-allow", "127.0.0.0/8"});
  const uint16_t port = server.port();
  Receiver receiver(/*failures=*/1);

  HttpResult bad = Http(port, "PUT", "/v1/webhooks/h1",
                        R"({"url": "ftp://x", "events": ["decision.made"]})", admin);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.ErrorFields(), (std::vector<std::string>{"url", "events[0]"}));
  EXPECT_EQ(Http(port, "PUT", "/v1/webhooks/h1", "{}", key).status, 403);
  const std::string secret = "whsec_test_0123456789abcdef";
  HttpResult put = Http(
      port, "PUT", "/v1/webhooks/h1",
      R"({"url": "http://127.0.0.1:)" + std::to_string(receiver.port()) +
          R"(/hooks", "events": ["decision.created", "quality.threshold_failed", "profile.updated"],
                            "secret": ")" +
          secret + R"("})",
      admin);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.Json().at("secret").as_string(), secret);
  HttpResult got = Http(port, "GET", "/v1/webhooks/h1", "", admin);
  // Masked to its last 4 characters.
  EXPECT_EQ(got.Json().at("secret").as_string(), "****cdef");

  ASSERT_EQ(Http(port, "PUT", "/v1/templates/t",
                 R"({"variants": [{"id": "a", "push": {"body": "hi"}}]})", key)
                .status,
            200);
  ASSERT_EQ(Http(port, "PUT", "/v1/templates/safe",
                 R"({"variants": [{"id": "s", "push": {"body": "safe"}}]})", key)
                .status,
            200);
  ASSERT_EQ(Http(port, "PUT", "/v1/users/u1",
                 R"({"push_tokens": ["x"], "consent": {"push": {"marketing": true}}})", key)
                .status,
            200);
  ASSERT_EQ(Http(port, "PUT", "/v1/notifications/settings", R"({"quality_threshold": 0.99,
      "fallback": {"template_id": "safe", "variant_id": "s", "channel": "push"}})",
                 admin)
                .status,
            200);
  HttpResult decision = Http(port, "POST", "/v1/notifications/decide",
                             R"({"user_id": "u1", "template_id": "t"})", key);
  ASSERT_EQ(decision.status, 200) << decision.body;
  const std::string decision_id(decision.Json().at("decision_id").as_string());
  ASSERT_EQ(
      Http(port, "POST", "/v1/events", R"({"user_id": "u1", "type": "app_open"})", key).status,
      200);

  // The first attempt fails (500); the retry comes about a second later.
  std::set<std::string> types;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::vector<Received> got_all;
  while (std::chrono::steady_clock::now() < deadline) {
    got_all = receiver.received();
    types.clear();
    for (const Received& r : got_all)
      types.insert(std::string(json::parse(r.body).at("type").as_string()));
    if (types.size() == 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(types, (std::set<std::string>{"decision.created", "quality.threshold_failed",
                                          "profile.updated"}));
  EXPECT_EQ(receiver.attempts(), static_cast<int>(got_all.size()) + 1);
  for (const Received& r : got_all) {
    const std::string sig = r.headers.at("tailor-signature");
    const size_t comma = sig.find(',');
    ASSERT_EQ(sig.rfind("t=", 0), 0u) << sig;
    const std::string t = sig.substr(2, comma - 2);
    EXPECT_EQ(sig.substr(comma + 1), "v1=" + Hmac(secret, t + "." + r.body));
    EXPECT_EQ(r.headers.at("content-type"), "application/json");
    const json::value body = json::parse(r.body);
    if (body.at("type") == "decision.created") {
      EXPECT_EQ(body.at("data").at("decision_id").as_string(), decision_id);
      EXPECT_TRUE(body.at("data").at("fallback_used").as_bool());
    }
  }
  // The receiver records a delivery before the sender settles it: the
  // counters follow within moments.
  HttpResult stats;
  for (int i = 0; i < 100; ++i) {
    stats = Http(port, "GET", "/v1/webhooks/h1", "", admin);
    if (stats.Json().at("stats").at("delivered").to_number<int>() ==
        static_cast<int>(got_all.size())) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(stats.Json().at("stats").at("delivered").to_number<int>(),
            static_cast<int>(got_all.size()));
  EXPECT_EQ(stats.Json().at("stats").at("retries").to_number<int>(), 1);
  EXPECT_EQ(Http(port, "DELETE", "/v1/webhooks/h1", "", admin).status, 204);
  EXPECT_EQ(Http(port, "DELETE", "/v1/webhooks/h1", "", admin).status, 404);
}

// SSRF: without --webhook-allow, a webhook cannot reach the server's own
// machine, whether the URL names an address (refused when stored) or a host
// name that resolves to one (refused at delivery, with no connection and one
// fixed error). Only loopback URLs are used: nothing here may send traffic
// anywhere else, even if the protection failed. Other ranges are covered by
// the classifier's unit tests (src/api/webhook_url_test.cc).
TEST(WebhooksE2eTest, LoopbackTargetsAreRefusedUnlessAllowed) {
  TempDir dir;
  const std::string key = CreateKey(dir.path(), "shop", "write");
  const std::string admin = CreateKey(dir.path(), "shop", "admin");
  ServerProcess server(dir.path());
  const uint16_t port = server.port();
  Receiver receiver(/*failures=*/0);
  const std::string at = std::to_string(receiver.port());
  for (const std::string url :
       {"http://127.0.0.1:" + at + "/h", "http://127.9.9.9:" + at + "/h",
        "http://[::1]:" + at + "/h", "http://[::ffff:127.0.0.1]:" + at + "/h"}) {
    HttpResult put = Http(port, "PUT", "/v1/webhooks/h",
                          R"({"url": ")" + url + R"(", "events": ["profile.updated"]})", admin);
    EXPECT_EQ(put.status, 400) << url << ": " << put.body;
    EXPECT_EQ(put.ErrorFields(), (std::vector<std::string>{"url"})) << put.body;
  }
  // A name is stored; its delivery is refused after resolving.
  HttpResult put =
      Http(port, "PUT", "/v1/webhooks/h",
           R"({"url": "http://localhost:)" + at + R"(/h", "events": ["profile.updated"]})", admin);
  ASSERT_EQ(put.status, 200) << put.body;
  ASSERT_EQ(
      Http(port, "POST", "/v1/events", R"({"user_id": "u1", "type": "app_open"})", key).status,
      200);
  json::value stats;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    stats = Http(port, "GET", "/v1/webhooks/h", "", admin).Json().at("stats");
    if (!stats.at("last_error").is_null()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(stats.at("last_error").is_null()) << stats;
  EXPECT_EQ(stats.at("last_error").as_string(),
            "blocked: the host does not resolve, or resolves to a non-public address");
  EXPECT_EQ(receiver.attempts(), 0);
}

// One tenant's slow receiver must not hold up another tenant's deliveries:
// each tenant holds at most 2 of the node's delivery threads.
TEST(WebhooksE2eTest, ASlowReceiverDelaysOnlyItsOwnTenant) {
  TempDir dir;
  const std::string slow_admin = CreateKey(dir.path(), "slow", "admin");
  const std::string fast_admin = CreateKey(dir.path(), "fast", "admin");
  ServerProcess server(dir.path(), {"--webhook-allow", "127.0.0.0/8"});
  const uint16_t port = server.port();
  Receiver slow(/*failures=*/0, /*delay_ms=*/3000);
  Receiver fast(/*failures=*/0);
  auto hook = [&](const std::string& key, const Receiver& r) {
    return Http(port, "PUT", "/v1/webhooks/h",
                R"({"url": "http://127.0.0.1:)" + std::to_string(r.port()) +
                    R"(/h", "events": ["profile.updated"]})",
                key)
        .status;
  };
  ASSERT_EQ(hook(slow_admin, slow), 200);
  ASSERT_EQ(hook(fast_admin, fast), 200);
  // Six deliveries for the slow tenant: 18 s of work for its receiver.
  for (int i = 0; i < 6; ++i) {
    ASSERT_EQ(
        Http(port, "POST", "/v1/events",
             R"({"user_id": "s)" + std::to_string(i) + R"(", "type": "app_open"})", slow_admin)
            .status,
        200);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto sent = std::chrono::steady_clock::now();
  ASSERT_EQ(Http(port, "POST", "/v1/events", R"({"user_id": "f1", "type": "app_open"})", fast_admin)
                .status,
            200);
  while (fast.received().empty() &&
         std::chrono::steady_clock::now() - sent < std::chrono::seconds(15)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(fast.received().size(), 1u);
  // Behind the slow tenant's queue it would take 18 s; alone, well under 3.
  EXPECT_LT(std::chrono::steady_clock::now() - sent, std::chrono::milliseconds(2500));
}

// http://[::1]:port/ is an IPv6 host and a port (it was read as a host
// named "[::1]:port").
TEST(WebhooksE2eTest, Ipv6LiteralUrlsAreParsed) {
  TempDir dir;
  const std::string admin = CreateKey(dir.path(), "shop", "admin");
  ServerProcess server(dir.path(), {"--webhook-allow", "::1/128"});
  HttpResult put =
      Http(server.port(), "PUT", "/v1/webhooks/v6",
           R"({"url": "http://[::1]:8099/in", "events": ["decision.created"]})", admin);
  EXPECT_EQ(put.status, 200) << put.body;
  HttpResult bad = Http(server.port(), "PUT", "/v1/webhooks/v6",
                        R"({"url": "http://::1:8099/in", "events": ["decision.created"]})", admin);
  EXPECT_EQ(bad.status, 400) << bad.body;
}

}  // namespace
}  // namespace tailor::e2e
