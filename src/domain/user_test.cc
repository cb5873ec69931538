#include "domain/user.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/field_errors.h"
#include "domain/item.h"

namespace tailor::domain {
namespace {

namespace json = boost::json;

TEST(UserTest, ParsesAndRoundTrips) {
  auto u = ParseUser(json::parse(R"({"attributes":{"plan":"pro"},"timezone":"Asia/Tokyo",
      "locale":"ja-JP","email":"a@b.jp","phone":"+81312345678","push_tokens":["t1"],
      "consent":{"email":{"marketing":true},"sms":{"marketing":false}}})"),
                     "u1");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_TRUE(u->consent["email"]["marketing"]);
  auto back = ParseUser(UserToJson(*u), "u1");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->timezone, "Asia/Tokyo");
  EXPECT_EQ(back->push_tokens.size(), 1u);
}

TEST(UserTest, NamesBadFields) {
  auto u = ParseUser(json::parse(R"({"timezone":"Nowhere/City","email":"nope","phone":"123",
      "consent":{"fax":{"x":true},"email":{"marketing":"yes"}},"attributes":[]})"),
                     std::string(200, 'x'));
  ASSERT_FALSE(u.ok());
  std::vector<std::string> fields;
  for (const auto& e : FieldErrorsOf(u.status())) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"user_id", "attributes", "timezone", "email", "phone",
                                              "consent.fax", "consent.email.marketing"}));
}

TEST(ItemTest, ParsesBatchItemWithBodyId) {
  auto i = ParseItem(json::parse(R"({"item_id":"sku","title":"T","categories":["a"],
      "expires_at":"2030-01-01T00:00:00Z","available":false})"),
                     "");
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(i->id, "sku");
  EXPECT_FALSE(i->ShowableAt(absl::Now()));
  auto missing = ParseItem(json::parse(R"({"title":"T"})"), "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(FieldErrorsOf(missing.status())[0].field, "item_id");
}

std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& e : FieldErrorsOf(status)) fields.push_back(e.field);
  return fields;
}

// Control characters are refused where no one means them: titles,
// categories, tags, attribute names, push tokens. Free text keeps newlines.
TEST(ItemTest, ControlCharactersAreRefusedInOneLineFields) {
  json::object item{{"item_id", "sku"},
                    {"title", "Hello\x1b[31m"},
                    {"text", "line one\nline two\ttabbed"},
                    {"categories", json::array{"ok", "bad\ncat"}},
                    {"attributes", json::object{{"fine", "v\nv"}, {"x\ty", 1}}}};
  auto parsed = ParseItem(item, "");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(FieldsOf(parsed.status()),
            (std::vector<std::string>{"title", "categories[1]", "attributes.x\\ty"}));
  item["title"] = "Hello \xc2\x85 next line";  // U+0085, a C1 control
  item["categories"] = json::array{"ok"};
  item["attributes"] = json::object{{"nested", json::object{{"k\x7f", 1}}}};
  parsed = ParseItem(item, "");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(FieldsOf(parsed.status()),
            (std::vector<std::string>{"title", "attributes.nested.k\\x7f"}));
  item["title"] = "Caf\xc3\xa9";  // é is not a control
  item["attributes"] = json::object{{"nested", json::object{{"k", "any\ntext"}}}};
  parsed = ParseItem(item, "");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->text, "line one\nline two\ttabbed");
}

TEST(UserTest, ControlCharactersAreRefusedInPushTokensAndAttributeNames) {
  auto u = ParseUser(json::parse(R"({"push_tokens":["ok","to\u0000ken"],"attributes":{"a\rb":1}})"),
                     "u1");
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(FieldsOf(u.status()), (std::vector<std::string>{"attributes.a\\rb", "push_tokens[1]"}));
}

}  // namespace
}  // namespace tailor::domain
