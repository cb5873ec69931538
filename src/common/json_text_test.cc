#include "common/json_text.h"

#include <boost/json.hpp>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "gtest/gtest.h"

namespace tailor {
namespace {

namespace json = boost::json;

std::string Number(double x) {
  std::string out;
  AppendJsonNumber(x, out);
  return out;
}

TEST(JsonTextTest, DoublesArePlainDecimalsWithoutExponent) {
  EXPECT_EQ(Number(77.06), "77.06");
  EXPECT_EQ(Number(7.706189727783203E1), "77.06189727783203");
  EXPECT_EQ(Number(0.0), "0.0");
  EXPECT_EQ(Number(-0.0), "0.0");
  EXPECT_EQ(Number(3.0), "3.0");
  EXPECT_EQ(Number(-12.0), "-12.0");
  EXPECT_EQ(Number(1e-7), "0.0000001");
  EXPECT_EQ(Number(1500.0), "1500.0");
  EXPECT_EQ(Number(1e21), "1000000000000000000000.0");
  EXPECT_EQ(Number(-0.25), "-0.25");
}

TEST(JsonTextTest, ShortestTextReadsBackAsTheSameDouble) {
  for (double x : {0.1, 1.0 / 3.0, 2.0 / 3.0 * 1e-5, 123456.789, 5e-324,
                   std::numeric_limits<double>::max(), static_cast<double>(0.3f)}) {
    const std::string text = Number(x);
    EXPECT_EQ(text.find_first_of("eE"), std::string::npos) << text;
    // Read back by a correctly rounding reader (Boost.JSON 1.81's default
    // parser is not one at the extremes: it reads DBL_MAX's 309 digits as inf).
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), x) << text;
  }
  EXPECT_EQ(Number(static_cast<double>(0.3f)), "0.30000001192092896");
}

TEST(JsonTextTest, NonFiniteNumbersAreNull) {
  EXPECT_EQ(Number(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(Number(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(Number(-std::numeric_limits<double>::infinity()), "null");
}

TEST(JsonTextTest, WritesWholeDocumentsCompactly) {
  json::value v = {{"score", 0.1234}, {"zero", 0.0}, {"n", 3}, {"u", 7u},
                   {"ok", true},      {"none", nullptr},
                   {"list", json::array{1.5, -2.0, "a\"b\n"}}, {"nested", {{"x", 1e-3}}}};
  EXPECT_EQ(JsonText(v),
            R"({"score":0.1234,"zero":0.0,"n":3,"u":7,"ok":true,"none":null,)"
            R"("list":[1.5,-2.0,"a\"b\n"],"nested":{"x":0.001}})");
  // Read back, every value keeps its kind (a double stays a double).
  EXPECT_EQ(json::parse(JsonText(v)), v);
  EXPECT_EQ(JsonText(json::object{}), "{}");
  EXPECT_EQ(JsonText(json::array{}), "[]");
  EXPECT_EQ(JsonText(json::value("k\u00e9y")), "\"k\u00e9y\"");
}

TEST(JsonTextTest, KeysAreEscaped) {
  json::object o;
  o["a\"b"] = 1;
  EXPECT_EQ(JsonText(o), R"({"a\"b":1})");
  EXPECT_EQ(json::parse(JsonText(o)), json::value(o));
}

}  // namespace
}  // namespace tailor
