#include "personalize/template.h"

#include <string>

#include "boost/json/parse.hpp"
#include "boost/json/serialize.hpp"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tailor::personalize {
namespace {

using ::testing::HasSubstr;

boost::json::value Ctx(const char* json) { return boost::json::parse(json); }

// Compiles and renders; fails the test on compile error.
absl::StatusOr<std::string> RenderWith(const std::string& src, const boost::json::value& ctx,
                                       const RenderOptions& options = {},
                                       Escaping escaping = Escaping::kNone) {
  auto t = CompiledTemplate::Compile(src, {.escaping = escaping});
  EXPECT_TRUE(t.ok()) << t.status();
  if (!t.ok()) return t.status();
  return t->Render(ctx, options);
}

std::string MustRender(const std::string& src, const boost::json::value& ctx,
                       const RenderOptions& options = {}, Escaping escaping = Escaping::kNone) {
  auto out = RenderWith(src, ctx, options, escaping);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? *out : std::string("<error>");
}

RenderOptions Locale(const char* locale, const char* tz) {
  RenderOptions o;
  o.locale = locale;
  o.time_zone = tz;
  return o;
}

absl::Status CompileError(const std::string& src, CompileOptions options = {}) {
  return CompiledTemplate::Compile(src, options).status();
}

TEST(TemplateTest, VariablesAndDottedPaths) {
  auto ctx = Ctx(R"({"user":{"first_name":"Ada","tags":["a","b"]},"n":3,"x":1.5,"ok":true})");
  EXPECT_EQ(MustRender("Hi {{user.first_name}}! {{ n }} {{x}} {{ok}} {{user.tags.1}}", ctx),
            "Hi Ada! 3 1.5 true b");
}

TEST(TemplateTest, HtmlEscapingForEmailRawForSms) {
  auto ctx = Ctx(R"({"t":"<b>Tom & \"Jerry\"</b>"})");
  EXPECT_EQ(MustRender("{{t}}", ctx, {}, Escaping::kHtml),
            "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;");
  EXPECT_EQ(MustRender("{{{t}}}|{{& t}}", ctx, {}, Escaping::kHtml),
            "<b>Tom & \"Jerry\"</b>|<b>Tom & \"Jerry\"</b>");
  EXPECT_EQ(MustRender("{{t}}", ctx, {}, Escaping::kNone), "<b>Tom & \"Jerry\"</b>");
  // Template text itself is never escaped.
  EXPECT_EQ(MustRender("<p>{{t | truncate:4}}</p>", ctx, {}, Escaping::kHtml), "<p>&lt;b&gt;…</p>");
}

TEST(TemplateTest, DefaultsApplyToMissingNullAndEmpty) {
  auto ctx = Ctx(R"({"user":{"first_name":null,"nick":"","city":"Oslo"}})");
  EXPECT_EQ(MustRender(R"({{user.first_name | default:"there"}}/{{user.nick | default:"x"}}/)"
                       R"({{user.city | default:"y"}}/{{user.age | default:"?" | upper}})",
                       ctx),
            "there/x/Oslo/?");
  EXPECT_EQ(MustRender(R"({{missing | default:"say \"hi\""}})", ctx), "say \"hi\"");
}

TEST(TemplateTest, MissingVariableWithoutDefaultIsNotFound) {
  auto out = RenderWith("Hello\n  {{user.first_name}}", Ctx(R"({"user":{}})"));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(out.status().message()), HasSubstr("user.first_name"));
  EXPECT_THAT(std::string(out.status().message()), HasSubstr("2:3"));
  auto null_out = RenderWith("{{a}}", Ctx(R"({"a":null})"));
  EXPECT_EQ(null_out.status().code(), absl::StatusCode::kNotFound);
  // An empty string is present: it renders as nothing.
  EXPECT_EQ(MustRender("[{{a}}]", Ctx(R"({"a":""})")), "[]");
}

TEST(TemplateTest, ObjectsAreNotText) {
  auto out = RenderWith("{{user}}", Ctx(R"({"user":{"a":1}})"));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TemplateTest, SectionsOverListsTruthyAndInverted) {
  auto ctx = Ctx(R"({"items":[{"title":"A"},{"title":"B"}],"vip":true,"empty":[],
                    "user":{"name":"Ada"},"nums":[1,2,3],"zero":0})");
  EXPECT_EQ(MustRender("{{#items}}<{{title}}>{{/items}}", ctx), "<A><B>");
  EXPECT_EQ(MustRender("{{#vip}}VIP {{/vip}}{{#zero}}zero{{/zero}}{{#nope}}x{{/nope}}", ctx),
            "VIP ");
  EXPECT_EQ(
      MustRender("{{^empty}}none{{/empty}}{{^items}}hidden{{/items}}{{^nope}}!{{/nope}}", ctx),
      "none!");
  EXPECT_EQ(MustRender("{{#user}}{{name}}{{/user}}", ctx), "Ada");
  EXPECT_EQ(MustRender("{{#nums}}{{.}},{{/nums}}", ctx), "1,2,3,");
  // Names resolve outwards through the scopes.
  EXPECT_EQ(MustRender("{{#items}}{{title}}-{{user.name}} {{/items}}", ctx), "A-Ada B-Ada ");
}

TEST(TemplateTest, StandaloneSectionLinesLeaveNoBlankLines) {
  auto ctx = Ctx(R"({"items":[{"t":"a"},{"t":"b"}]})");
  EXPECT_EQ(MustRender("List:\n  {{#items}}\n- {{t}}\n  {{/items}}\nEnd", ctx),
            "List:\n- a\n- b\nEnd");
  EXPECT_EQ(MustRender("{{! note }}\nHi", ctx), "Hi");
}

TEST(TemplateTest, ProviderSectionGetsNameAndArgs) {
  RenderOptions options;
  std::string seen;
  options.section_provider =
      [&](std::string_view name,
          const boost::json::object& args) -> absl::StatusOr<boost::json::array> {
    seen = std::string(name) + ":" + boost::json::serialize(args);
    boost::json::array out;
    for (int64_t i = 0; i < args.at("n").as_int64(); ++i) {
      out.push_back(boost::json::object{{"title", "item" + std::to_string(i)}});
    }
    return out;
  };
  EXPECT_EQ(MustRender(R"({{#recommendations n=3 slot="home"}}{{title}};{{/recommendations}})",
                       Ctx("{}"), options),
            "item0;item1;item2;");
  EXPECT_EQ(seen, R"(recommendations:{"n":3,"slot":"home"})");
  EXPECT_EQ(MustRender("{{^recommendations n=0}}nothing{{/recommendations}}", Ctx("{}"), options),
            "nothing");
  auto no_provider = RenderWith("{{#recommendations n=3}}x{{/recommendations}}", Ctx("{}"));
  EXPECT_EQ(no_provider.status().code(), absl::StatusCode::kFailedPrecondition);
  options.section_provider = [](std::string_view,
                                const boost::json::object&) -> absl::StatusOr<boost::json::array> {
    return absl::UnavailableError("recsys down");
  };
  EXPECT_EQ(RenderWith("{{#recs n=1}}x{{/recs}}", Ctx("{}"), options).status().code(),
            absl::StatusCode::kUnavailable);
}

// Nested provider sections used to call the provider once per enclosing
// element (n^depth model queries from a 2 KB template). Each distinct
// (name, arguments) is now asked once per render, and a render may ask for
// a bounded number of distinct ones.
TEST(TemplateTest, ProviderSectionsAreAskedOncePerDistinctArguments) {
  RenderOptions options;
  options.max_steps = 10'000'000;
  int calls = 0;
  options.section_provider =
      [&](std::string_view, const boost::json::object& args) -> absl::StatusOr<boost::json::array> {
    ++calls;
    boost::json::array out;
    for (int64_t i = 0; i < args.at("n").as_int64(); ++i) out.push_back(i);
    return out;
  };
  std::string nested;
  for (int d = 0; d < 4; ++d) nested += "{{#recommendations n=20}}";
  nested += "x";
  for (int d = 0; d < 4; ++d) nested += "{{/recommendations}}";
  options.max_output_bytes = 1 << 20;
  auto out = RenderWith(nested, Ctx("{}"), options);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->size(), 160000u);  // 20^4 elements rendered
  EXPECT_EQ(calls, 1);              // from one provider call

  calls = 0;
  std::string distinct;
  for (int n = 1; n <= 9; ++n) {
    distinct += "{{#recommendations n=" + std::to_string(n) + "}}{{/recommendations}}";
  }
  auto refused = RenderWith(distinct, Ctx("{}"), options);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted) << refused.status();
  EXPECT_EQ(calls, 8);
}

TEST(TemplateTest, CaseFiltersAreLocaleAware) {
  auto ctx = Ctx(R"({"w":"Straße istanbul"})");
  EXPECT_EQ(MustRender("{{w | upper}}", ctx, Locale("de-DE", "UTC")), "STRASSE ISTANBUL");
  EXPECT_EQ(MustRender("{{w | upper}}", ctx, Locale("tr-TR", "UTC")), "STRASSE İSTANBUL");
  EXPECT_EQ(MustRender("{{w | lower}}", Ctx(R"({"w":"ÄBC"})")), "äbc");
}

TEST(TemplateTest, TruncateIsGraphemeSafe) {
  // "e" + combining acute, and a thumbs-up with skin tone are one character each.
  auto ctx = Ctx(R"({"s":"Cafe\u0301 \ud83d\udc4d\ud83c\udffd great","short":"Hi"})");
  EXPECT_EQ(MustRender("{{s | truncate:7}}", ctx), "Cafe\u0301 \U0001F44D\U0001F3FD…");
  EXPECT_EQ(MustRender("{{s | truncate:5}}", ctx), "Cafe\u0301…");
  EXPECT_EQ(MustRender("{{short | truncate:2}}", ctx), "Hi");
}

TEST(TemplateTest, NumbersAndCurrencyInTwoLocales) {
  auto ctx = Ctx(R"({"n":1234567.891,"i":1234,"price":1234.5,"s":"99.5"})");
  EXPECT_EQ(
      MustRender("{{n | number}}|{{i | number}}|{{n | number:1}}", ctx, Locale("en-US", "UTC")),
      "1,234,567.891|1,234|1,234,567.9");
  EXPECT_EQ(
      MustRender("{{n | number}}|{{i | number}}|{{n | number:1}}", ctx, Locale("de-DE", "UTC")),
      "1.234.567,891|1.234|1.234.567,9");
  EXPECT_EQ(MustRender(R"({{price | currency:"EUR"}}|{{s | currency:"usd"}})", ctx,
                       Locale("en-US", "UTC")),
            "€1,234.50|$99.50");
  EXPECT_EQ(MustRender(R"({{price | currency:"EUR"}}|{{s | currency:"USD"}})", ctx,
                       Locale("de-DE", "UTC")),
            "1.234,50\u00A0€|99,50\u00A0$");
  auto bad = RenderWith("{{x | number}}", Ctx(R"({"x":"abc"})"));
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TemplateTest, DatesInUserLocaleAndTimeZone) {
  // 2026-11-22T23:30:00Z is already the 23rd in Berlin and still the 22nd in New York.
  auto ctx = Ctx(R"({"at":"2026-11-22T23:30:00Z","epoch":1795390200,"birthday":"1990-03-01"})");
  EXPECT_EQ(MustRender(R"({{at | date:"medium"}}|{{at | date:"short"}}|{{birthday | date}})", ctx,
                       Locale("en-US", "America/New_York")),
            "Nov 22, 2026|11/22/26|Mar 1, 1990");
  EXPECT_EQ(MustRender(R"({{at | date:"medium"}}|{{at | date:"short"}}|{{birthday | date}})", ctx,
                       Locale("de-DE", "Europe/Berlin")),
            "23.11.2026|23.11.26|01.03.1990");
  EXPECT_EQ(MustRender(R"({{at | datetime:"short"}})", ctx, Locale("de-DE", "Europe/Berlin")),
            "23.11.26, 00:30");
  EXPECT_EQ(MustRender(R"({{at | datetime:"short"}})", ctx, Locale("en-US", "America/New_York")),
            "11/22/26, 6:30\u202FPM");
  // Epoch seconds are the same instant.
  EXPECT_EQ(MustRender(R"({{epoch | date:"long"}})", ctx, Locale("de-DE", "Europe/Berlin")),
            "23. November 2026");
  auto bad = RenderWith("{{x | date}}", Ctx(R"({"x":"yesterday"})"));
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TemplateTest, BadLocaleOrTimeZoneIsInvalidArgument) {
  auto t = CompiledTemplate::Compile("hi");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->Render(Ctx("{}"), "en-US", "Mars/Olympus").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(t->Render(Ctx("{}"), "", "UTC").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*t->Render(Ctx("{}"), "de-DE", "Europe/Berlin"), "hi");
}

TEST(TemplateTest, RenderStatsCountDefaults) {
  auto t = CompiledTemplate::Compile(R"({{a}} {{b | default:"x"}} {{c | default:"y"}})");
  ASSERT_TRUE(t.ok());
  RenderStats stats;
  ASSERT_TRUE(t->Render(Ctx(R"({"a":1,"c":2})"), RenderOptions{}, &stats).ok());
  EXPECT_EQ(stats.variables, 3);
  EXPECT_EQ(stats.defaulted_variables, 1);
}

TEST(TemplateTest, OutputAndWorkAreBounded) {
  boost::json::array big;
  for (int i = 0; i < 200; ++i) big.push_back(i);
  boost::json::value ctx = boost::json::object{{"xs", big}};
  RenderOptions options;
  options.max_output_bytes = 100;
  auto out = RenderWith("{{#xs}}{{.}},{{/xs}}", ctx, options);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
  // Nested lists with an empty body produce no output but still cost work.
  RenderOptions steps;
  steps.max_steps = 1000;
  auto nested = RenderWith("{{#xs}}{{#xs}}{{#xs}}{{/xs}}{{/xs}}{{/xs}}", ctx, steps);
  EXPECT_EQ(nested.status().code(), absl::StatusCode::kResourceExhausted);
}

// Every syntax error names its line:column.
TEST(TemplateCompileTest, SyntaxErrorsCarryPositions) {
  struct Case {
    const char* src;
    const char* expect;
  };
  const Case cases[] = {
      {"Hi\n{{#items}}x", "2:1: unclosed section 'items'"},
      {"{{#a}}{{#b}}{{/a}}{{/b}}", "1:13: mismatched closing tag {{/a}}: expected {{/b}}"},
      {"x {{/a}}", "1:3: closing tag {{/a}} has no open section"},
      {"{{name | shout}}", "1:10: unknown filter 'shout'"},
      {"{{name | truncate:abc}}", "1:10: filter 'truncate' needs an integer"},
      {"{{name | truncate}}", "1:10: filter 'truncate' needs an integer"},
      {"{{name | truncate:0}}", "1:10: filter 'truncate' needs an integer"},
      {R"({{p | currency:"EURO"}})", "1:7: filter 'currency' needs an ISO 4217 code"},
      {R"({{d | date:"someday"}})", "1:7: filter 'date' style must be"},
      {"{{n | number:x}}", "1:7: filter 'number' takes fraction digits"},
      {"{{n | upper:1}}", "1:7: filter 'upper' takes no argument"},
      {"{{n | default}}", "1:7: filter 'default' needs an argument"},
      {R"({{n | default:"open}})", "1:7: bad argument for filter 'default'"},
      {"{{n | }}", "1:6: empty filter"},
      {"ab\n  {{name", "2:3: unterminated tag"},
      {"{{ }}", "1:1: empty tag"},
      {"{{a..b}}", "1:3: bad variable path 'a..b'"},
      {"{{a b}}", "1:3: bad variable path 'a b'"},
      {"{{#recs n}}{{/recs}}", "1:9: bad section argument 'n'"},
      {"{{#recs n=three}}{{/recs}}", "1:9: bad value in section argument 'n=three'"},
      {"{{> partial}}", "1:1: partials"},
      {"{{=<% %>=}}", "1:1: changing delimiters"},
  };
  for (const Case& c : cases) {
    absl::Status st = CompileError(c.src);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << c.src;
    EXPECT_THAT(std::string(st.message()), HasSubstr(c.expect)) << c.src;
  }
}

TEST(TemplateCompileTest, DepthAndSizeLimits) {
  CompileOptions options;
  options.max_section_depth = 2;
  EXPECT_TRUE(CompiledTemplate::Compile("{{#a}}{{#b}}x{{/b}}{{/a}}", options).ok());
  absl::Status st = CompileError("{{#a}}{{#b}}{{#c}}x{{/c}}{{/b}}{{/a}}", options);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(st.message()),
              HasSubstr("1:13: sections nested deeper than the limit of 2"));

  options.max_template_bytes = 10;
  st = CompileError("01234567890", options);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(st.message()), HasSubstr("over the limit of 10"));

  EXPECT_EQ(CompileError("bad \xC3\x28 utf8").code(), absl::StatusCode::kInvalidArgument);
}

TEST(TemplateCompileTest, CompiledTemplateIsReusableAcrossUsers) {
  auto t = CompiledTemplate::Compile(R"(Hi {{user.first_name | default:"there"}})");
  ASSERT_TRUE(t.ok());
  CompiledTemplate copy = *t;
  EXPECT_EQ(*copy.Render(Ctx(R"({"user":{"first_name":"Ada"}})"), "en-US", "UTC"), "Hi Ada");
  EXPECT_EQ(*t->Render(Ctx(R"({"user":{}})"), "en-US", "UTC"), "Hi there");
}

}  // namespace
}  // namespace tailor::personalize
