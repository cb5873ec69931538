#include "personalize/channel_limits.h"

#include <string>

#include "gtest/gtest.h"

namespace tailor::personalize {
namespace {

using decide::Channel;

SmsCount Count(const std::string& s) {
  absl::StatusOr<SmsCount> c = CountSms(s);
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *c : SmsCount{};
}

TEST(SmsTest, Gsm7TablesIncludingExtension) {
  EXPECT_EQ(Gsm7Units(U'a'), 1);
  EXPECT_EQ(Gsm7Units(U'@'), 1);
  EXPECT_EQ(Gsm7Units(U'é'), 1);
  EXPECT_EQ(Gsm7Units(U'Δ'), 1);
  EXPECT_EQ(Gsm7Units(U'€'), 2);
  EXPECT_EQ(Gsm7Units(U'{'), 2);
  EXPECT_EQ(Gsm7Units(U'^'), 2);
  EXPECT_EQ(Gsm7Units(U'á'), 0);  // only é, è, ... are in the basic table
  EXPECT_EQ(Gsm7Units(U'`'), 0);
}

TEST(SmsTest, SingleSegmentBoundaries) {
  EXPECT_EQ(Count("").segments, 0);
  SmsCount c = Count(std::string(160, 'a'));
  EXPECT_EQ(c.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(c.units, 160);
  EXPECT_EQ(c.segments, 1);
  c = Count(std::string(161, 'a'));
  EXPECT_EQ(c.segments, 2);
  EXPECT_EQ(c.units_per_segment, 153);
  EXPECT_EQ(Count(std::string(306, 'a')).segments, 2);
  EXPECT_EQ(Count(std::string(307, 'a')).segments, 3);
}

TEST(SmsTest, ExtensionCharsCountTwoAndAreNotSplit) {
  // 158 letters + one euro sign = 160 septets: still one segment.
  SmsCount c = Count(std::string(158, 'a') + "€");
  EXPECT_EQ(c.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(c.units, 160);
  EXPECT_EQ(c.segments, 1);
  EXPECT_EQ(Count(std::string(159, 'a') + "€").segments, 2);
  // 152 letters then '{' (2 septets) would straddle the 153 boundary: the
  // escape pair moves whole to segment 2, so 152 + 2 + 152 = 306 units need 3.
  c = Count(std::string(152, 'a') + "{" + std::string(152, 'a'));
  EXPECT_EQ(c.units, 306);
  EXPECT_EQ(c.segments, 3);
}

TEST(SmsTest, Ucs2CountsUtf16UnitsSoEmojiCountTwo) {
  SmsCount c = Count("Hello 👋");
  EXPECT_EQ(c.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(c.units, 8);  // 6 + surrogate pair
  EXPECT_EQ(c.segments, 1);
  // One non-GSM char switches the whole message to UCS-2: 70 per segment.
  EXPECT_EQ(Count(std::string(69, 'a') + "á").segments, 1);
  c = Count(std::string(70, 'a') + "á");
  EXPECT_EQ(c.units, 71);
  EXPECT_EQ(c.segments, 2);
  EXPECT_EQ(c.units_per_segment, 67);
  // 35 emoji = 70 units: one segment; 36 = 72 units -> two of 67 (surrogates not split).
  std::string emoji;
  for (int i = 0; i < 35; ++i) emoji += "😀";
  EXPECT_EQ(Count(emoji).segments, 1);
  emoji += "😀";
  c = Count(emoji);
  EXPECT_EQ(c.units, 72);
  EXPECT_EQ(c.segments, 2);
  // Surrogate pairs are never split: 100 emoji = 200 units, but a 67-unit
  // part holds only 33 of them, so 4 parts where ceil(200 / 67) would say 3.
  std::string mixed = "a";
  for (int i = 0; i < 34; ++i) mixed += "😀";
  EXPECT_EQ(Count(mixed).units, 69);
  EXPECT_EQ(Count(mixed).segments, 1);
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "😀";
  EXPECT_EQ(Count(hundred).units, 200);
  EXPECT_EQ(Count(hundred).segments, 4);
  EXPECT_EQ(CountSms("\xFF").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ValidateTest, PushLimitsNamePartAndRule) {
  MessageParts ok{.title = "Your order shipped", .body = "Arrives Tuesday."};
  EXPECT_TRUE(ValidateMessage(Channel::kPush, ok).empty());

  MessageParts bad{.title = std::string(66, 'T'), .body = std::string(241, 'b')};
  auto v = ValidateMessage(Channel::kPush, bad);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].part, "title");
  EXPECT_EQ(v[0].rule, "max_length");
  EXPECT_EQ(v[0].actual, 66);
  EXPECT_EQ(v[0].limit, 65);
  EXPECT_EQ(v[1].part, "body");
  EXPECT_EQ(v[1].actual, 241);
  EXPECT_FALSE(Sendable(v));

  // Limits count characters, not bytes: 65 flags (8 bytes each) fit.
  std::string flags;
  for (int i = 0; i < 65; ++i) flags += "🇩🇪";
  EXPECT_TRUE(ValidateMessage(Channel::kPush, {.title = flags, .body = "x"}).empty());

  auto empty = ValidateMessage(Channel::kPush, {.title = "", .body = ""});
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty[0].rule, "required");
}

TEST(ValidateTest, EmailSubjectGuidance) {
  auto v = ValidateMessage(Channel::kEmail, {.title = std::string(61, 's'), .body = "<p>x</p>"});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "recommended_length");
  EXPECT_EQ(v[0].severity, Severity::kWarning);
  EXPECT_TRUE(Sendable(v));
  v = ValidateMessage(Channel::kEmail, {.title = std::string(256, 's'), .body = "x"});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "max_length");
  EXPECT_FALSE(Sendable(v));
  v = ValidateMessage(Channel::kEmail, {.title = "", .body = "x"});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].part, "subject");
}

TEST(ValidateTest, SmsSegmentsWarnThenFail) {
  EXPECT_TRUE(ValidateMessage(Channel::kSms, {.title = "", .body = "Code 1234"}).empty());
  auto v = ValidateMessage(Channel::kSms, {.title = "", .body = std::string(200, 'a')});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "multi_segment");
  EXPECT_EQ(v[0].severity, Severity::kWarning);
  v = ValidateMessage(Channel::kSms, {.title = "", .body = std::string(300, 'a') + "ü" + std::string(200, 'x') + "á"});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "max_segments");
  EXPECT_GT(v[0].actual, 3);
  v = ValidateMessage(Channel::kSms, {.title = "", .body = "bad \xC3"});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "utf8");
}

}  // namespace
}  // namespace tailor::personalize
