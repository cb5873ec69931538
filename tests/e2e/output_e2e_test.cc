// What clients parse: every JSON answer writes numbers as plain decimals and
// timestamps as RFC 3339 with at most 6 fraction digits (checked over the
// raw bytes of many endpoints of a demo tenant); the trending reason of an
// unfiltered list names no category; incoming times are kept to the
// microsecond; a user known only through events answers GET like
// the profile does; PUT answers carry created_at and keep it on replace.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "e2e_support.h"

namespace tailor::e2e {
namespace {

namespace json = boost::json;

// The number tokens of raw JSON text (outside strings).
std::vector<std::string> NumberTokens(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
      ++i;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      size_t j = i;
      while (j < text.size() &&
             std::string_view("+-.eE0123456789").find(text[j]) != std::string_view::npos)
        ++j;
      out.push_back(text.substr(i, j - i));
      i = j;
    } else {
      ++i;
    }
  }
  return out;
}

// Every string value that starts like a date.
void CollectTimestamps(const json::value& v, std::vector<std::string>& out) {
  static const std::regex kDateLike(R"(^\d{4}-\d{2}-\d{2}T.*)");
  if (v.is_string()) {
    std::string s(v.get_string());
    if (std::regex_match(s, kDateLike)) out.push_back(std::move(s));
  } else if (v.is_array()) {
    for (const json::value& e : v.get_array()) CollectTimestamps(e, out);
  } else if (v.is_object()) {
    for (const auto& kv : v.get_object()) CollectTimestamps(kv.value(), out);
  }
}

// Significant digits of a plain decimal number token ("0.000123" has 3,
// "3.0" has 1, "120.5" has 4).
int SignificantDigits(const std::string& n) {
  std::string digits;
  for (char c : n) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  if (n.find('.') != std::string::npos) {
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
  }
  const size_t first = digits.find_first_not_of('0');
  return first == std::string::npos ? 0 : static_cast<int>(digits.size() - first);
}

// Scores, probabilities, weights and fitted parameters carry no float noise
// (0.30000001192092896): each is rounded to at most 4 decimals or to at most
// 6 significant digits.
void CheckRounded(const std::string& what, const HttpResult& r) {
  for (const std::string& n : NumberTokens(r.body)) {
    const size_t dot = n.find('.');
    const size_t decimals = dot == std::string::npos ? 0 : n.size() - dot - 1;
    EXPECT_TRUE(decimals <= 4 || SignificantDigits(n) <= 6) << what << " writes the number " << n;
  }
}

struct Scan {
  int numbers_with_fraction = 0;
  int times_with_fraction = 0;
};

// Checks one answer's raw text; counts what it saw.
void CheckAnswer(const std::string& what, const HttpResult& r, Scan& scan) {
  ASSERT_EQ(r.status, 200) << what << ": " << r.body;
  ASSERT_FALSE(r.Json().is_null()) << what << ": " << r.body;
  static const std::regex kPlain(R"(^-?(0|[1-9]\d*)(\.\d+)?$)");
  for (const std::string& n : NumberTokens(r.body)) {
    EXPECT_TRUE(std::regex_match(n, kPlain)) << what << " writes the number " << n;
    if (n.find('.') != std::string::npos) ++scan.numbers_with_fraction;
  }
  static const std::regex kRfc3339(
      R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$)");
  std::vector<std::string> times;
  CollectTimestamps(r.Json(), times);
  for (const std::string& t : times) {
    EXPECT_TRUE(std::regex_match(t, kRfc3339)) << what << " writes the time " << t;
    if (t.find('.') != std::string::npos) ++scan.times_with_fraction;
  }
}

TEST(OutputE2eTest, DemoTenantAnswersPlainNumbersAndShortRfc3339Times) {
  TempDir dir;
  int code = -1;
  RunTailor({"demo", "--data-dir", dir.path(), "--tenant", "shop", "--users", "40", "--items", "30",
             "--days", "20", "--seed", "7"},
            &code);
  ASSERT_EQ(code, 0);
  const std::string key = CreateKey(dir.path(), "shop", "admin");
  ServerProcess server(dir.path(), {"--train-models", "popularity"});
  const uint16_t port = server.port();
  auto get = [&](const std::string& target) { return Http(port, "GET", target, "", key); };

  Scan scan;
  HttpResult items = get("/v1/items?limit=100");
  CheckAnswer("items", items, scan);
  ASSERT_FALSE(items.Json().at("items").as_array().empty());
  const std::string item(items.Json().at("items").at(0).at("item_id").as_string());
  HttpResult users = get("/v1/users?limit=100");
  CheckAnswer("users", users, scan);
  ASSERT_FALSE(users.Json().at("users").as_array().empty());
  const std::string user(users.Json().at("users").at(0).at("user_id").as_string());

  // Models are trained in the background: wait until one serves.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (std::chrono::steady_clock::now() < deadline &&
         get("/v1/models").Json().at("models").as_array().empty()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  for (const std::string& target :
       {"/v1/users/" + user, "/v1/users/" + user + "/events?limit=100",
        "/v1/users/" + user + "/profile",
        "/v1/users/" + user + "/recommendations?n=10&explain=true", "/v1/items/" + item,
        "/v1/items/" + item + "/similar?n=5", std::string("/v1/items/trending?n=5"),
        std::string("/v1/insights/overview"), std::string("/v1/insights/users?limit=50"),
        std::string("/v1/insights/models"), std::string("/v1/models")}) {
    HttpResult answer = get(target);
    CheckAnswer(target, answer, scan);
    if (target.find("/events") == std::string::npos) CheckRounded(target, answer);
  }
  CheckAnswer(
      "rank",
      Http(port, "POST", "/v1/users/" + user + "/rank",
           json::serialize(json::object{{"items", json::array{item, "nope"}}, {"explain", true}}),
           key),
      scan);
  CheckAnswer("template",
              Http(port, "PUT", "/v1/templates/t",
                   R"({"variants": [{"id": "a", "push": {"body": "Hi"}}]})", key),
              scan);
  CheckAnswer("decide",
              Http(port, "POST", "/v1/notifications/decide",
                   json::serialize(json::object{{"user_id", user}, {"template_id", "t"}}), key),
              scan);
  // A campaign over the demo users: its progress and its JSON-lines results.
  HttpResult queued = Http(port, "POST", "/v1/campaigns",
                           R"({"template_id": "t", "audience": {"all": true}})", key);
  ASSERT_EQ(queued.status, 202) << queued.body;
  const std::string campaign =
      "/v1/campaigns/" + std::string(queued.Json().at("campaign_id").as_string());
  HttpResult progress;
  deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    progress = get(campaign);
  } while (std::chrono::steady_clock::now() < deadline && progress.status == 200 &&
           progress.Json().at("status") != "done");
  CheckAnswer("campaign", progress, scan);
  HttpResult results = get(campaign + "/results");
  ASSERT_EQ(results.status, 200);
  int lines = 0;
  for (size_t start = 0, end; (end = results.body.find('\n', start)) != std::string::npos;
       start = end + 1) {
    HttpResult line;
    line.status = 200;
    line.body = results.body.substr(start, end - start);
    CheckAnswer("campaign result", line, scan);
    ++lines;
  }
  EXPECT_GT(lines, 0);

  // A problem answer goes through the same writer.
  HttpResult bad = Http(port, "GET", "/v1/users/" + user + "/recommendations?n=0", "", key);
  EXPECT_EQ(bad.status, 400);
  for (const std::string& n : NumberTokens(bad.body))
    EXPECT_EQ(n.find_first_of("eE"), std::string::npos) << n;

  // An unfiltered trending list is about the whole catalogue: its reason
  // names no category (the demo's items all have one); a filtered one does.
  HttpResult trending = get("/v1/items/trending?n=10&explain=true");
  ASSERT_EQ(trending.status, 200) << trending.body;
  ASSERT_FALSE(trending.Json().at("items").as_array().empty()) << trending.body;
  for (const json::value& i : trending.Json().at("items").as_array()) {
    EXPECT_EQ(i.at("reasons").at(0).at("text").as_string(), "trending now") << trending.body;
  }
  const std::string category(
      get("/v1/items/" + std::string(trending.Json().at("items").at(0).at("item_id").as_string()))
          .Json()
          .at("categories")
          .at(0)
          .as_string());
  HttpResult in_category = get("/v1/items/trending?n=10&explain=true&category=" + category);
  ASSERT_EQ(in_category.status, 200) << in_category.body;
  ASSERT_FALSE(in_category.Json().at("items").as_array().empty()) << in_category.body;
  EXPECT_EQ(in_category.Json().at("items").at(0).at("reasons").at(0).at("text").as_string(),
            "trending in " + category);

  // Not vacuous: decimals (prices, scores, probabilities) and sub-second
  // times (write times) were among what was checked.
  EXPECT_GT(scan.numbers_with_fraction, 20);
  EXPECT_GT(scan.times_with_fraction, 10);
}

TEST(OutputE2eTest, UserKnownOnlyThroughEventsAnswersGetLikeTheProfile) {
  TempDir dir;
  const std::string key = CreateKey(dir.path(), "shop", "write");
  ServerProcess server(dir.path(), {"--train-models", "popularity"});
  const uint16_t port = server.port();
  HttpResult posted =
      Http(port, "POST", "/v1/events",
           R"({"events": [{"user_id": "walk-in", "item_id": "a", "type": "view"}]})", key);
  ASSERT_EQ(posted.status, 200) << posted.body;

  HttpResult profile = Http(port, "GET", "/v1/users/walk-in/profile", "", key);
  EXPECT_EQ(profile.status, 200) << profile.body;
  HttpResult user = Http(port, "GET", "/v1/users/walk-in", "", key);
  ASSERT_EQ(user.status, 200) << user.body;
  EXPECT_EQ(user.Json().at("user_id").as_string(), "walk-in");
  EXPECT_TRUE(user.Json().at("attributes").as_object().empty());
  EXPECT_FALSE(user.Json().as_object().contains("created_at")) << "no record to date";

  // Unknown to both.
  EXPECT_EQ(Http(port, "GET", "/v1/users/stranger/profile", "", key).status, 404);
  HttpResult stranger = Http(port, "GET", "/v1/users/stranger", "", key);
  EXPECT_EQ(stranger.status, 404);
  EXPECT_EQ(stranger.ErrorFields(), std::vector<std::string>{"user_id"});
}

TEST(OutputE2eTest, PutAnswersCarryCreatedAtKeptAcrossReplace) {
  TempDir dir;
  const std::string key = CreateKey(dir.path(), "shop", "admin");
  ServerProcess server(dir.path(),
                       {"--train-models", "popularity", "--webhook-allow", "127.0.0.0/8"});
  const uint16_t port = server.port();
  const std::vector<std::pair<std::string, std::string>> puts = {
      {"/v1/users/ana", R"({"timezone": "Europe/Paris"})"},
      {"/v1/items/book", R"({"title": "A book"})"},
      {"/v1/templates/hello", R"({"variants": [{"id": "a", "push": {"body": "Hello"}}]})"},
      {"/v1/webhooks/hook", R"({"url": "http://127.0.0.1:9/x", "events": ["decision.created"]})"},
  };
  for (const auto& [target, body] : puts) {
    HttpResult first = Http(port, "PUT", target, body, key);
    ASSERT_EQ(first.status, 200) << target << ": " << first.body;
    ASSERT_TRUE(first.Json().as_object().contains("created_at")) << target << ": " << first.body;
    const std::string created(first.Json().at("created_at").as_string());
    EXPECT_EQ(created, first.Json().at("updated_at").as_string()) << target;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    HttpResult again = Http(port, "PUT", target, body, key);
    ASSERT_EQ(again.status, 200) << target << ": " << again.body;
    EXPECT_EQ(again.Json().at("created_at").as_string(), created) << target << ": " << again.body;
    EXPECT_NE(again.Json().at("updated_at").as_string(), created) << target;
    HttpResult read = Http(port, "GET", target, "", key);
    ASSERT_EQ(read.status, 200) << target << ": " << read.body;
    EXPECT_EQ(read.Json().at("created_at").as_string(), created) << target << ": " << read.body;
  }
}

// A timestamp written with more fraction digits than Tailor keeps is
// normalized when it arrives: answered to the microsecond, never 10+ digits.
TEST(OutputE2eTest, IncomingTimestampsAreKeptToTheMicrosecond) {
  TempDir dir;
  const std::string key = CreateKey(dir.path(), "shop", "write");
  ServerProcess server(dir.path(), {"--train-models", "popularity"});
  const uint16_t port = server.port();
  HttpResult put =
      Http(port, "PUT", "/v1/items/book",
           R"({"title": "A book", "published_at": "2024-05-01T14:00:00.12345678901+02:00"})", key);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.Json().at("published_at").as_string(), "2024-05-01T12:00:00.123456Z") << put.body;
  HttpResult read = Http(port, "GET", "/v1/items/book", "", key);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Json().at("published_at").as_string(), "2024-05-01T12:00:00.123456Z") << read.body;
  HttpResult posted = Http(port, "POST", "/v1/events",
                           R"({"events": [{"user_id": "ana", "item_id": "book", "type": "view",)"
                           R"( "timestamp": "2024-05-01T12:00:00.5000000001Z"}]})",
                           key);
  ASSERT_EQ(posted.status, 200) << posted.body;
  HttpResult events = Http(port, "GET", "/v1/users/ana/events", "", key);
  ASSERT_EQ(events.status, 200) << events.body;
  EXPECT_EQ(events.Json().at("events").at(0).at("timestamp").as_string(),
            "2024-05-01T12:00:00.500Z")
      << events.body;
}

}  // namespace
}  // namespace tailor::e2e
