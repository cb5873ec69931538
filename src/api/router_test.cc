#include "api/router.h"

#include <gtest/gtest.h>

namespace tailor::api {
namespace {

void Noop(RequestContext&, Respond) {}

TEST(RouterTest, MatchesPatternsAndDecodesParams) {
  Router r;
  r.Add("POST", "/v1/items/batch", Access::kWrite, Noop);
  r.Add("GET", "/v1/items/{item_id}", Access::kRead, Noop);
  r.Add("GET", "/v1/users/{user_id}/events", Access::kRead, Noop);
  RouteMatch m = r.Match("GET", "/v1/users/a%2Fb%20c/events");
  ASSERT_EQ(m.outcome, RouteMatch::kFound);
  EXPECT_EQ(m.params["user_id"], "a/b c");
  EXPECT_EQ(r.Match("POST", "/v1/items/batch").route->pattern, "/v1/items/batch");
  // A literal route with another method does not hide the parameter route.
  EXPECT_EQ(r.Match("GET", "/v1/items/batch").route->pattern, "/v1/items/{item_id}");
}

TEST(RouterTest, NotFoundAndMethodNotAllowed) {
  Router r;
  r.Add("GET", "/v1/items/{item_id}", Access::kRead, Noop);
  r.Add("PUT", "/v1/items/{item_id}", Access::kWrite, Noop);
  EXPECT_EQ(r.Match("GET", "/v1/nothing").outcome, RouteMatch::kNotFound);
  EXPECT_EQ(r.Match("GET", "/v1/items/").outcome, RouteMatch::kNotFound);
  EXPECT_EQ(r.Match("GET", "").outcome, RouteMatch::kNotFound);
  RouteMatch m = r.Match("PATCH", "/v1/items/x");
  EXPECT_EQ(m.outcome, RouteMatch::kMethodNotAllowed);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET", "PUT"}));
}

TEST(RouterTest, MalformedEscapeIsReported) {
  Router r;
  r.Add("GET", "/v1/items/{item_id}", Access::kRead, Noop);
  RouteMatch m = r.Match("GET", "/v1/items/%zz");
  EXPECT_NE(m.outcome, RouteMatch::kFound);
  EXPECT_EQ(m.bad_param, "item_id");
  std::string out;
  EXPECT_FALSE(PercentDecode("%4", &out));
  EXPECT_FALSE(PercentDecode("%", &out));
  EXPECT_TRUE(PercentDecode("%41%62", &out));
  EXPECT_EQ(out, "Ab");
}

TEST(RouterTest, ParsesQueryStrings) {
  std::map<std::string, std::string> q;
  ASSERT_TRUE(ParseQuery("limit=10&cursor=a%3Db&flag&x=1+2", &q));
  EXPECT_EQ(q["limit"], "10");
  EXPECT_EQ(q["cursor"], "a=b");
  EXPECT_EQ(q["flag"], "");
  EXPECT_EQ(q["x"], "1 2");
  EXPECT_FALSE(ParseQuery("a=%G0", &q));
}

}  // namespace
}  // namespace tailor::api
