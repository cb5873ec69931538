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

}  // namespace
}  // namespace tailor::domain
