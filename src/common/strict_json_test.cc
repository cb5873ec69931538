#include "common/strict_json.h"

#include <boost/json.hpp>

#include "gtest/gtest.h"

namespace tailor {
namespace {

namespace json = boost::json;

TEST(StrictJson, ParsesWhatBoostJsonParses) {
  const std::string text =
      R"( {"a":1,"b":[true,null,-2,3.5,18446744073709551615],"c":{"d":"\u00e9x"},"e":""} )";
  absl::StatusOr<json::value> v = ParseStrictJson(text);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(*v, json::parse(text));
}

TEST(StrictJson, RefusesDuplicateKeysAtAnyDepth) {
  for (const std::string text :
       {R"({"type":"a","type":"b"})", R"({"x":{"k":1,"k":2}})", R"([{"a":1},{"k":1,"k":1}])",
        R"({"":1,"":2})", R"({"a":1,"\u0061":2})"}) {
    absl::StatusOr<json::value> v = ParseStrictJson(text);
    ASSERT_FALSE(v.ok()) << text;
    EXPECT_NE(v.status().message().find("duplicate key"), std::string::npos) << v.status();
  }
  absl::StatusOr<json::value> v = ParseStrictJson(R"({"type":"a","type":"b"})");
  EXPECT_EQ(v.status().message(), "duplicate key \"type\"");
}

TEST(StrictJson, SameKeyInSiblingAndNestedObjectsIsFine) {
  EXPECT_TRUE(ParseStrictJson(R"([{"k":1},{"k":2}])").ok());
  EXPECT_TRUE(ParseStrictJson(R"({"k":{"k":{"k":1}},"j":{"k":2}})").ok());
}

TEST(StrictJson, RefusesMalformedTextTrailingDataAndDeepNesting) {
  EXPECT_FALSE(ParseStrictJson("").ok());
  EXPECT_FALSE(ParseStrictJson("{\"a\":").ok());
  EXPECT_FALSE(ParseStrictJson("{} {}").ok());
  EXPECT_FALSE(ParseStrictJson("[1] x").ok());
  EXPECT_FALSE(ParseStrictJson(std::string(65, '[') + std::string(65, ']')).ok());
  EXPECT_TRUE(ParseStrictJson(std::string(64, '[') + std::string(64, ']')).ok());
  EXPECT_TRUE(ParseStrictJson("[1]\n").ok());
}

}  // namespace
}  // namespace tailor
