// Every kind of bad input gets a 4xx application/problem+json answer naming
// the offending field, and the server keeps serving.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace tailor::e2e {
namespace {

class BadInputE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    admin_ = new std::string(CreateKey(dir_->path(), "default", "admin"));
    reader_ = new std::string(CreateKey(dir_->path(), "default", "read"));
    server_ = new ServerProcess(dir_->path(), {"--body-limit", "1048576"});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
    delete admin_;
    delete reader_;
  }
  void TearDown() override {
    // Whatever the test sent, the server is still up and serving.
    ASSERT_TRUE(server_->Alive());
    EXPECT_EQ(Http(server_->port(), "GET", "/healthz").status, 200);
  }
  static void ExpectProblem(const HttpResult& r, int status, const std::string& field) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_TRUE(r.IsProblem()) << r.body;
    std::vector<std::string> fields = r.ErrorFields();
    EXPECT_NE(std::find(fields.begin(), fields.end(), field), fields.end())
        << "expected field " << field << " in " << r.body;
  }
  static HttpResult Post(const std::string& target, const std::string& body) {
    return Http(server_->port(), "POST", target, body, *admin_);
  }
  static HttpResult Put(const std::string& target, const std::string& body) {
    return Http(server_->port(), "PUT", target, body, *admin_);
  }
  static TempDir* dir_;
  static std::string* admin_;
  static std::string* reader_;
  static ServerProcess* server_;
};
TempDir* BadInputE2eTest::dir_;
std::string* BadInputE2eTest::admin_;
std::string* BadInputE2eTest::reader_;
ServerProcess* BadInputE2eTest::server_;

TEST_F(BadInputE2eTest, MalformedJson) {
  ExpectProblem(Post("/v1/events", "{\"user_id\": \"u\", "), 400, "body");
  ExpectProblem(Put("/v1/users/u", "[1,2"), 400, "body");
  ExpectProblem(Put("/v1/users/u", std::string(200, '[') + std::string(200, ']')), 400, "body");
  ExpectProblem(Http(server_->port(), "PUT", "/v1/users/u", "", *admin_), 400, "body");
}

TEST_F(BadInputE2eTest, WrongTypesAndMissingFields) {
  ExpectProblem(Post("/v1/events", R"({"user_id":42,"type":"view","item_id":"i"})"), 400,
                "user_id");
  ExpectProblem(Post("/v1/events", R"({"user_id":"u","item_id":"i"})"), 400, "type");
  ExpectProblem(Post("/v1/events", R"({"user_id":"u","item_id":"i","type":"rate"})"), 400, "value");
  ExpectProblem(Post("/v1/events", R"({"user_id":"u","type":"view"})"), 400, "item_id");
  ExpectProblem(Post("/v1/events", R"({"user_id":"u","type":"view","item_id":"i","value":"high"})"),
                400, "value");
  ExpectProblem(Put("/v1/users/u", R"({"attributes":"not an object"})"), 400, "attributes");
  ExpectProblem(Put("/v1/users/u", R"({"push_tokens":[1]})"), 400, "push_tokens[0]");
  ExpectProblem(Put("/v1/items/i", R"({"available":"yes"})"), 400, "available");
  ExpectProblem(Put("/v1/users/u", R"({"favourite_colour":"blue"})"), 400, "favourite_colour");
  ExpectProblem(Post("/v1/events", "[]"), 400, "body");
}

TEST_F(BadInputE2eTest, BadIds) {
  std::string long_id(129, 'x');
  ExpectProblem(Put("/v1/users/" + long_id, "{}"), 400, "user_id");
  ExpectProblem(Put("/v1/users/bad%0Aid", "{}"), 400, "user_id");
  ExpectProblem(Put("/v1/items/bad%00id", "{}"), 400, "item_id");
  ExpectProblem(Put("/v1/users/bad%zzid", "{}"), 400, "user_id");
  ExpectProblem(Post("/v1/events", R"({"user_id":"a\u0007b","type":"x"})"), 400, "user_id");
  ExpectProblem(Post("/v1/events", "{\"user_id\":\"" + long_id + "\",\"type\":\"x\"}"), 400,
                "user_id");
}

TEST_F(BadInputE2eTest, BadTimeZonesAndTimestamps) {
  ExpectProblem(Put("/v1/users/u", R"({"timezone":"Mars/Olympus_Mons"})"), 400, "timezone");
  ExpectProblem(Put("/v1/users/u", R"({"timezone":"../../../etc/passwd"})"), 400, "timezone");
  ExpectProblem(Put("/v1/users/u", R"({"locale":"!!"})"), 400, "locale");
  ExpectProblem(
      Post("/v1/events", R"({"user_id":"u","type":"x","timestamp":"2999-01-01T00:00:00Z"})"), 400,
      "timestamp");
  ExpectProblem(
      Post("/v1/events", R"({"user_id":"u","type":"x","timestamp":"1960-01-01T00:00:00Z"})"), 400,
      "timestamp");
  ExpectProblem(Post("/v1/events", R"({"user_id":"u","type":"x","timestamp":"last tuesday"})"), 400,
                "timestamp");
  ExpectProblem(Post("/v1/events", R"({"user_id":"u","type":"x","timestamp":1700000000})"), 400,
                "timestamp");
}

TEST_F(BadInputE2eTest, BatchErrorsNameTheEvent) {
  auto r = Post("/v1/events", R"({"events":[{"user_id":"u","type":"x"},{"user_id":"u"}]})");
  ExpectProblem(r, 400, "events[1].type");
  std::string big = "{\"events\":[";
  for (int i = 0; i < 10001; ++i)
    big += std::string(i ? "," : "") + "{\"user_id\":\"u\",\"type\":\"x\"}";
  big += "]}";
  ExpectProblem(Post("/v1/events", big), 400, "events");
  ExpectProblem(Post("/v1/events", R"({"events":[]})"), 400, "events");
  ExpectProblem(Post("/v1/events", R"({"events":{"user_id":"u"}})"), 400, "events");
}

// Duplicate keys would let two readers see two different requests; control
// characters in one-line fields end up in logs, headers and dashboards.
TEST_F(BadInputE2eTest, DuplicateKeysAndControlCharacters) {
  HttpResult dup =
      Post("/v1/events", R"({"user_id":"u","type":"view","item_id":"i","type":"buy"})");
  ExpectProblem(dup, 400, "body");
  EXPECT_NE(dup.body.find("duplicate key"), std::string::npos) << dup.body;
  ExpectProblem(Put("/v1/items/i9", R"({"title":"a","attributes":{"k":1,"k":2}})"), 400, "body");
  ExpectProblem(Put("/v1/items/i9", R"({"title":"bad\u001btitle"})"), 400, "title");
  ExpectProblem(Put("/v1/items/i9", R"({"categories":["news","x\ny"]})"), 400, "categories[1]");
  ExpectProblem(Put("/v1/items/i9", R"({"attributes":{"a\u0000z":1}})"), 400, "attributes.a\\x00z");
  ExpectProblem(Put("/v1/users/u9", R"({"push_tokens":["tok\r\nX-Injected: 1"]})"), 400,
                "push_tokens[0]");
  // Free text keeps its newlines.
  EXPECT_EQ(Put("/v1/items/i9", R"({"title":"fine","text":"para one\n\npara two"})").status, 200);
}

TEST_F(BadInputE2eTest, OversizedBody) {
  std::string body =
      "{\"user_id\":\"u\",\"type\":\"x\",\"text\":\"" + std::string(2 << 20, 'a') + "\"}";
  ExpectProblem(Post("/v1/events", body), 413, "body");
}

TEST_F(BadInputE2eTest, RoutingAuthAndRoles) {
  ExpectProblem(Http(server_->port(), "GET", "/v1/nope", "", *admin_), 404, "path");
  ExpectProblem(Http(server_->port(), "PATCH", "/v1/users/u", "{}", *admin_), 405, "method");
  ExpectProblem(Http(server_->port(), "GET", "/v1/users/u"), 401, "Authorization");
  ExpectProblem(Http(server_->port(), "GET", "/v1/users/u", "", "tk_notakey"), 401,
                "Authorization");
  ExpectProblem(Http(server_->port(), "PUT", "/v1/users/u", "{}", *reader_), 403, "Authorization");
  ExpectProblem(Http(server_->port(), "PUT", "/v1/users/u", "a=b", *admin_, "text/plain"), 415,
                "Content-Type");
  ExpectProblem(Http(server_->port(), "GET", "/v1/users?limit=0", "", *admin_), 400, "limit");
  ExpectProblem(Http(server_->port(), "GET", "/v1/users?limit=abc", "", *admin_), 400, "limit");
  ExpectProblem(Http(server_->port(), "GET", "/v1/users?cursor=garbage", "", *admin_), 400,
                "cursor");
  ExpectProblem(Http(server_->port(), "GET", "/v1/users/u/events?cursor=%%%", "", *admin_), 400,
                "query");
}

TEST_F(BadInputE2eTest, MalformedHttp) {
  auto r = RawHttp(server_->port(), "THIS IS NOT HTTP\r\n\r\n");
  ExpectProblem(r, 400, "request");
  auto huge_header =
      RawHttp(server_->port(),
              "GET /healthz HTTP/1.1\r\nX-Big: " + std::string(64 << 10, 'a') + "\r\n\r\n");
  EXPECT_EQ(huge_header.status, 431);
  // Half a request, then the connection closes: nothing to answer, nothing breaks.
  RawHttp(server_->port(), "POST /v1/events HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"a\"");
}

}  // namespace
}  // namespace tailor::e2e
