#include "serving/event_weights.h"

#include <gtest/gtest.h>

namespace tailor::serving {
namespace {

namespace json = boost::json;

TEST(EventWeightsTest, DefaultsRankPurchasesAboveViewsAndDislikesNegative) {
  EventWeights w;
  EXPECT_GT(w.Weight("purchase", std::nullopt), w.Weight("click", std::nullopt));
  EXPECT_GT(w.Weight("click", std::nullopt), w.Weight("view", std::nullopt));
  EXPECT_LT(w.Weight("dislike", std::nullopt), 0.0f);
  EXPECT_LT(w.Weight("dismiss", std::nullopt), 0.0f);
  EXPECT_EQ(w.Weight("notification_sent", std::nullopt), 0.0f);
  EXPECT_EQ(w.Weight("my_custom", std::nullopt), 0.0f);
}

TEST(EventWeightsTest, RatingsAboveThresholdArePositiveBelowNegative) {
  EventWeights w;
  EXPECT_FLOAT_EQ(w.Weight("rate", 5.0), 3.0f);
  EXPECT_FLOAT_EQ(w.Weight("rate", 3.0), 1.0f);
  EXPECT_FLOAT_EQ(w.Weight("rate", 2.0), -1.0f);
  EXPECT_FLOAT_EQ(w.Weight("rate", std::nullopt), 1.0f);
  EXPECT_FLOAT_EQ(w.Weight("rate", 1e12), 100.0f);  // bounded like configured weights
}

TEST(EventWeightsTest, FromJsonOverridesAndRejectsBadFields) {
  absl::StatusOr<EventWeights> w = EventWeights::FromJson(
      json::parse(R"({"weights": {"view": 0.5, "my_custom": 7}, "rating_threshold": 4})").as_object());
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_FLOAT_EQ(w->Weight("view", std::nullopt), 0.5f);
  EXPECT_FLOAT_EQ(w->Weight("my_custom", std::nullopt), 7.0f);
  EXPECT_FLOAT_EQ(w->Weight("rate", 3.0), -1.0f);
  EXPECT_FLOAT_EQ(w->Weight("purchase", std::nullopt), 5.0f);  // untouched default

  absl::StatusOr<EventWeights> bad = EventWeights::FromJson(
      json::parse(R"({"weights": {"view": "x", "click": 1000}, "colour": 1})").as_object());
  ASSERT_FALSE(bad.ok());
  std::string message(bad.status().ToString());
  EXPECT_NE(message.find("weights.view"), std::string::npos) << message;
  EXPECT_NE(message.find("weights.click"), std::string::npos) << message;
  EXPECT_NE(message.find("colour"), std::string::npos) << message;
}

TEST(EventWeightsTest, ToJsonRoundTrips) {
  EventWeights w;
  absl::StatusOr<EventWeights> back = EventWeights::FromJson(w.ToJson());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(json::serialize(back->ToJson()), json::serialize(w.ToJson()));
}

}  // namespace
}  // namespace tailor::serving
