#include "personalize/notification_template.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/field_errors.h"

namespace tailor::personalize {
namespace {

namespace json = boost::json;
using decide::Channel;

std::vector<std::string> ErrorFields(const absl::Status& s) {
  std::vector<std::string> out;
  for (const FieldError& e : FieldErrorsOf(s)) out.push_back(e.field);
  return out;
}

TEST(NotificationTemplateTest, ParsesVariantsAndRendersEachChannel) {
  absl::StatusOr<NotificationTemplate> t = ParseNotificationTemplate(json::parse(R"({
    "locale": "de-DE",
    "variants": [
      {"id": "a", "tone": "Friendly", "length": "short",
       "email": {"subject": "Hallo {{user.first_name}}", "body": "<b>{{user.first_name}}</b>"},
       "sms": {"text": "Preis: {{price | currency:\"EUR\"}}"}},
      {"id": "b", "push": {"title": "Hi", "body": "{{user.first_name | default:\"du\"}}"}}]})"),
                                                                     "welcome");
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->variants.size(), 2u);
  EXPECT_EQ(t->variants[0].tone, "friendly");
  EXPECT_TRUE(t->variants[0].Has(Channel::kEmail));
  EXPECT_FALSE(t->variants[0].Has(Channel::kPush));
  const json::value ctx = json::parse(R"({"user": {"first_name": "<Ada>"}, "price": 12.5})");
  RenderOptions options;
  options.locale = "de-DE";
  absl::StatusOr<RenderedMessage> email = RenderVariant(t->variants[0], Channel::kEmail, ctx, options);
  ASSERT_TRUE(email.ok()) << email.status();
  EXPECT_EQ(email->parts.title, "Hallo <Ada>");          // subjects are not HTML
  EXPECT_EQ(email->parts.body, "<b>&lt;Ada&gt;</b>");    // bodies are escaped
  absl::StatusOr<RenderedMessage> sms = RenderVariant(t->variants[0], Channel::kSms, ctx, options);
  ASSERT_TRUE(sms.ok()) << sms.status();
  EXPECT_NE(sms->parts.body.find("12,50"), std::string::npos) << sms->parts.body;
  ASSERT_TRUE(sms->sms.has_value());
  EXPECT_EQ(sms->sms->segments, 1);
  absl::StatusOr<RenderedMessage> push =
      RenderVariant(t->variants[1], Channel::kPush, json::parse(R"({"user": {}})"), options);
  ASSERT_TRUE(push.ok()) << push.status();
  EXPECT_EQ(push->parts.body, "du");
  EXPECT_EQ(push->stats.defaulted_variables, 1);
  EXPECT_TRUE(absl::IsInvalidArgument(
      RenderVariant(t->variants[1], Channel::kSms, ctx, options).status()));
}

TEST(NotificationTemplateTest, MissingVariableAndBrokenLimitFailTheVariantOnly) {
  absl::StatusOr<NotificationTemplate> t = ParseNotificationTemplate(json::parse(R"({
    "variants": [{"id": "a", "push": {"title": "{{long}}", "body": "{{user.first_name}}"}}]})"),
                                                                     "t");
  ASSERT_TRUE(t.ok()) << t.status();
  const json::value ctx =
      json::parse(R"({"user": {}, "long": ")" + std::string(100, 'x') + R"("})");
  EXPECT_TRUE(absl::IsNotFound(RenderVariant(t->variants[0], Channel::kPush, ctx, {}).status()));
  const json::value named =
      json::parse(R"({"user": {"first_name": "Ada"}, "long": ")" + std::string(100, 'x') + R"("})");
  absl::Status over = RenderVariant(t->variants[0], Channel::kPush, named, {}).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(over)) << over;
}

TEST(NotificationTemplateTest, RejectsBadDocumentsNamingTheField) {
  auto fields = [](std::string_view doc) {
    return ErrorFields(ParseNotificationTemplate(json::parse(doc), "t").status());
  };
  EXPECT_EQ(fields(R"({"variants": []})"), std::vector<std::string>{"variants"});
  EXPECT_EQ(fields(R"({"variants": [{"id": "a", "sms": {"text": "{{#x}}open"}}]})"),
            std::vector<std::string>{"variants[0].sms.text"});
  EXPECT_EQ(fields(R"({"variants": [{"id": "a", "sms": {"text": "{{x | shout}}"}}]})"),
            std::vector<std::string>{"variants[0].sms.text"});
  EXPECT_EQ(fields(R"({"variants": [{"id": "a", "email": {"body": "x"}}]})"),
            std::vector<std::string>{"variants[0].email.subject"});
  EXPECT_EQ(fields(R"({"variants": [{"id": "a", "fax": {"text": "x"}}]})"),
            (std::vector<std::string>{"variants[0].fax", "variants[0]"}));
  EXPECT_EQ(fields(R"({"variants": [{"id": "a", "sms": {"text": "x"}},
                                    {"id": "a", "sms": {"text": "y"}}]})"),
            std::vector<std::string>{"variants[1].id"});
  EXPECT_EQ(fields(R"({"colour": 1, "variants": [{"id": "a", "sms": {"text": "x"}}]})"),
            std::vector<std::string>{"colour"});
  const std::string big = R"({"variants": [{"id": "a", "sms": {"text": ")" +
                          std::string(70 * 1024, 'x') + R"("}}]})";
  EXPECT_EQ(fields(big), std::vector<std::string>{"body"});
}

}  // namespace
}  // namespace tailor::personalize

namespace tailor::personalize {
namespace {

TEST(NotificationTemplateTest, ObjectiveDefaultsToClicksAndConversionNamesItsEvent) {
  const char* variants = R"("variants": [{"id": "a", "push": {"body": "x"}}])";
  auto parse = [&](const std::string& head) {
    return ParseNotificationTemplate(json::parse("{" + head + variants + "}"), "t");
  };
  EXPECT_EQ(parse("")->objective, decide::Objective::kClicks);
  EXPECT_EQ(parse(R"("objective": "opens", )")->objective, decide::Objective::kOpens);
  absl::StatusOr<NotificationTemplate> c =
      parse(R"("objective": "conversion", "conversion_event": "purchase", )");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->conversion_event, "purchase");
  EXPECT_EQ(ErrorFields(parse(R"("objective": "revenue", )").status()),
            std::vector<std::string>{"objective"});
  EXPECT_EQ(ErrorFields(parse(R"("objective": "conversion", )").status()),
            std::vector<std::string>{"conversion_event"});
  EXPECT_EQ(ErrorFields(parse(R"("conversion_event": "purchase", )").status()),
            std::vector<std::string>{"conversion_event"});
}

}  // namespace
}  // namespace tailor::personalize
