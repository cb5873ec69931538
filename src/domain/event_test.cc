#include "domain/event.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "common/field_errors.h"

namespace tailor::domain {
namespace {

namespace json = boost::json;
const absl::Time kNow = absl::FromUnixSeconds(1700000000);

std::vector<std::string> Fields(const absl::Status& s) {
  std::vector<std::string> out;
  for (const auto& e : FieldErrorsOf(s)) out.push_back(e.field);
  return out;
}

TEST(EventTest, ParsesFullEvent) {
  auto e = ParseEvent(json::parse(R"({"event_id":"e1","user_id":"u","item_id":"i","type":"rate",
      "value":4,"timestamp":"2023-01-02T03:04:05Z","context":{"channel":"email","k":1}})"),
                      kNow);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->type, "rate");
  EXPECT_EQ(*e->value, 4);
  EXPECT_EQ(e->timestamp, absl::FromUnixSeconds(1672628645));
  EXPECT_EQ(e->context.at("k").as_int64(), 1);
}

TEST(EventTest, DefaultsTimestampToNowAndAllowsCustomTypes) {
  auto e = ParseEvent(json::parse(R"({"user_id":"u","type":"watched_trailer"})"), kNow);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->timestamp, kNow);
}

TEST(EventTest, NamesEveryBadField) {
  auto e = ParseEvent(json::parse(R"({"user_id":5,"type":"Bad Type!","timestamp":"2999-01-01T00:00:00Z",
      "context":{"channel":"pigeon"},"bogus":1})"),
                      kNow);
  ASSERT_FALSE(e.ok());
  auto fields = Fields(e.status());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "user_id"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "type"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "timestamp"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "context.channel"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "bogus"), fields.end());
}

TEST(EventTest, ItemTypesNeedItemAndRateNeedsValue) {
  auto view = ParseEvent(json::parse(R"({"user_id":"u","type":"view"})"), kNow);
  EXPECT_EQ(Fields(view.status()), std::vector<std::string>{"item_id"});
  auto rate = ParseEvent(json::parse(R"({"user_id":"u","item_id":"i","type":"rate"})"), kNow);
  EXPECT_EQ(Fields(rate.status()), std::vector<std::string>{"value"});
  auto open = ParseEvent(json::parse(R"({"user_id":"u","type":"notification_opened"})"), kNow);
  EXPECT_TRUE(open.ok());
}

TEST(EventTest, ValuesAreBounded) {
  // Huge values would overflow sums (weights, purchase totals) downstream.
  for (const char* v : {"1e39", "-1e13", "1.5e308"}) {
    auto e = ParseEvent(json::parse(std::string(R"({"user_id":"u","item_id":"i","type":"rate","value":)") + v + "}"), kNow);
    EXPECT_EQ(Fields(e.status()), std::vector<std::string>{"value"}) << v;
  }
  EXPECT_TRUE(ParseEvent(json::parse(R"({"user_id":"u","type":"purchase","item_id":"i","value":1e12})"), kNow).ok());
}

TEST(EventTest, RejectsTimestampBeforeEpochAndNumbers) {
  EXPECT_FALSE(
      ParseEvent(json::parse(R"({"user_id":"u","type":"x","timestamp":"1969-12-31T00:00:00Z"})"), kNow)
          .ok());
  EXPECT_FALSE(ParseEvent(json::parse(R"({"user_id":"u","type":"x","timestamp":1700000000})"), kNow)
                   .ok());
}

TEST(EventTest, JsonRoundTrip) {
  auto e = ParseEvent(json::parse(R"({"event_id":"e","user_id":"u","item_id":"i","type":"click",
      "text":"nice","timestamp":"2023-01-02T03:04:05.5Z"})"),
                      kNow);
  ASSERT_TRUE(e.ok());
  auto back = ParseEvent(EventToJson(*e), kNow);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->timestamp, e->timestamp);
  EXPECT_EQ(back->text, "nice");
}

}  // namespace
}  // namespace tailor::domain
