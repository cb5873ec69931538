#include "models/decide/thompson_sampler.h"

#include <map>

#include "gtest/gtest.h"

namespace tailor::decide {
namespace {

TEST(ThompsonSamplerTest, ConvergesToTheBestArm) {
  // True rates: P(open), P(click | open). Best clicks per send: "b" (0.06).
  const std::map<std::string, std::pair<double, double>> truth = {
      {"a", {0.20, 0.10}}, {"b", {0.30, 0.20}}, {"c", {0.25, 0.10}}};
  const std::vector<Variant> variants = {{"a", "", ""}, {"b", "", ""}, {"c", "", ""}};
  ThompsonSampler bandit;
  Random rng(20261122);
  int best_late = 0;
  const int rounds = 4000;
  for (int i = 0; i < rounds; ++i) {
    auto choice = bandit.Choose("t", "all", variants, nullptr, rng);
    ASSERT_TRUE(choice.ok());
    const auto& [p_open, p_click] = truth.at(choice->variant_id);
    const bool opened = rng.Uniform() < p_open;
    const bool clicked = opened && rng.Uniform() < p_click;
    bandit.RecordOutcome({"t", "all", choice->variant_id}, {opened, clicked});
    if (i >= rounds - 1000 && choice->variant_id == "b") ++best_late;
  }
  EXPECT_GT(best_late, 800) << "the best arm should dominate the last 1000 rounds";
  VariantStats b = bandit.Stats({"t", "all", "b"});
  EXPECT_NEAR(b.open.Mean(), 0.30, 0.03);
  EXPECT_NEAR(b.click.Mean(), 0.20, 0.05);
}

TEST(ThompsonSamplerTest, ClickImpliesOpenAndKeysAreSeparate) {
  ThompsonSampler bandit;
  bandit.RecordOutcome({"t", "s", "v"}, {.opened = false, .clicked = true});
  bandit.RecordOutcome({"t", "s", "v"}, {.opened = false, .clicked = false});
  VariantStats s = bandit.Stats({"t", "s", "v"});
  EXPECT_DOUBLE_EQ(s.open.alpha, 2.0);
  EXPECT_DOUBLE_EQ(s.open.beta, 2.0);
  EXPECT_DOUBLE_EQ(s.click.alpha, 2.0);
  EXPECT_DOUBLE_EQ(s.click.beta, 1.0);
  VariantStats other = bandit.Stats({"t2", "s", "v"});
  EXPECT_DOUBLE_EQ(other.open.alpha, 1.0);
  EXPECT_DOUBLE_EQ(other.open.beta, 1.0);
}

TEST(ThompsonSamplerTest, PreferencesTiltTheSharedMeanForThisUser) {
  UserPreferences prefs;
  prefs.tone = {{"friendly", 1.0}, {"urgent", 0.0}};
  prefs.strength = 10;
  VariantStats shared{{1, 1}, {1, 1}};  // mean 0.5
  // friendly: affinity (1.0 + 0.5 neutral length) / 2 = 0.75 -> lift 1.5 -> mean 0.75.
  VariantStats f = ThompsonSampler::WithPreferences(shared, {"f", "friendly", ""}, prefs);
  // The shared concentration (2) is kept and 10 pseudo-observations added.
  EXPECT_DOUBLE_EQ(f.open.alpha, 12 * 0.75);
  EXPECT_DOUBLE_EQ(f.open.beta, 12 * 0.25);
  // urgent: affinity 0.25 -> lift 0.5 -> mean 0.25.
  VariantStats u = ThompsonSampler::WithPreferences(shared, {"u", "urgent", ""}, prefs);
  EXPECT_DOUBLE_EQ(u.open.alpha, 12 * 0.25);
  // With much shared evidence the lift still applies in full.
  VariantStats big{{100, 900}, {1, 1}};
  EXPECT_NEAR(ThompsonSampler::WithPreferences(big, {"f", "friendly", ""}, prefs).open.Mean(),
              0.15, 1e-12);
  // Neutral keeps the mean and only tightens.
  VariantStats n = ThompsonSampler::WithPreferences(shared, {"n", "", ""}, prefs);
  EXPECT_DOUBLE_EQ(n.open.Mean(), 0.5);

  ThompsonSampler bandit;
  Random rng(3);
  int friendly = 0;
  for (int i = 0; i < 500; ++i) {
    auto c = bandit.Choose("t", "s", {{"f", "friendly", ""}, {"u", "urgent", ""}}, &prefs, rng);
    ASSERT_TRUE(c.ok());
    friendly += c->variant_id == "f";
  }
  EXPECT_GT(friendly, 400);
  // The user's tilt does not leak into the shared posterior.
  EXPECT_DOUBLE_EQ(bandit.Stats({"t", "s", "f"}).open.alpha, 1.0);
}

TEST(ThompsonSamplerTest, SnapshotRoundTrip) {
  ThompsonOptions options;
  options.open_prior = {2, 8};
  ThompsonSampler bandit(options);
  bandit.RecordOutcome({"t", "s", "a"}, {.opened = true, .clicked = true});
  bandit.RecordOutcome({"t", "s", "b"}, {.opened = false, .clicked = false});
  auto restored = ThompsonSampler::FromSnapshot(bandit.Snapshot());
  ASSERT_TRUE(restored.ok()) << restored.status();
  for (const char* v : {"a", "b", "never"}) {
    VariantStats x = bandit.Stats({"t", "s", v}), y = restored->Stats({"t", "s", v});
    EXPECT_DOUBLE_EQ(x.open.alpha, y.open.alpha) << v;
    EXPECT_DOUBLE_EQ(x.open.beta, y.open.beta) << v;
    EXPECT_DOUBLE_EQ(x.click.alpha, y.click.alpha) << v;
    EXPECT_DOUBLE_EQ(x.click.beta, y.click.beta) << v;
    EXPECT_DOUBLE_EQ(x.conversion.beta, y.conversion.beta) << v;
  }
  // Same seed, same state -> same choice.
  Random r1(9), r2(9);
  std::vector<Variant> vs = {{"a", "", ""}, {"b", "", ""}};
  EXPECT_EQ(bandit.Choose("t", "s", vs, nullptr, r1)->variant_id,
            restored->Choose("t", "s", vs, nullptr, r2)->variant_id);

  EXPECT_FALSE(ThompsonSampler::FromSnapshot(boost::json::value(3)).ok());
  boost::json::value broken = bandit.Snapshot();
  broken.as_object()["arms"].as_array()[0].as_object()["open"] =
      boost::json::object{{"alpha", -1}, {"beta", 1}};
  EXPECT_FALSE(ThompsonSampler::FromSnapshot(broken).ok());
}

// Issue 11, defect 15: after 300 sends, "a" opened 171 of 171 times and
// never clicked, "b" opened 0 of 129. What wins depends on the objective.
TEST(ThompsonSamplerTest, TheObjectiveDecidesWhatSuccessIs) {
  ThompsonSampler bandit;
  for (int i = 0; i < 171; ++i) bandit.RecordOutcome({"t", "s", "a"}, {.opened = true});
  for (int i = 0; i < 129; ++i) bandit.RecordOutcome({"t", "s", "b"}, {});
  const std::vector<Variant> vs = {{"a", "", ""}, {"b", "", ""}};
  auto share_of_a = [&](Objective objective) {
    Random rng(11);
    int a = 0;
    for (int i = 0; i < 1000; ++i) a += bandit.Choose("t", "s", vs, nullptr, rng, objective)->variant_id == "a";
    return a / 1000.0;
  };
  EXPECT_GT(share_of_a(Objective::kOpens), 0.99);
  // Neither was ever clicked: neither is preferred much.
  EXPECT_GT(share_of_a(Objective::kClicks), 0.3);
  EXPECT_LT(share_of_a(Objective::kClicks), 0.9);
  // Clicks on "c" (opened less often than "a") make it the clicks winner only.
  for (int i = 0; i < 100; ++i) bandit.RecordOutcome({"t", "s", "c"}, {.opened = i < 40, .clicked = i < 20});
  const std::vector<Variant> ac = {{"a", "", ""}, {"c", "", ""}};
  Random rng(12);
  int c_clicks = 0, c_opens = 0;
  for (int i = 0; i < 1000; ++i) {
    c_clicks += bandit.Choose("t", "s", ac, nullptr, rng, Objective::kClicks)->variant_id == "c";
    c_opens += bandit.Choose("t", "s", ac, nullptr, rng, Objective::kOpens)->variant_id == "c";
  }
  EXPECT_GT(c_clicks, 990);
  EXPECT_LT(c_opens, 10);
}

TEST(ThompsonSamplerTest, ConversionsAreLearnedPerSendWithDelayedFeedback) {
  ThompsonSampler bandit;
  for (int i = 0; i < 50; ++i) {
    bandit.RecordSend({"t", "s", "a"});
    bandit.RecordSend({"t", "s", "b"});
    bandit.RecordOpen({"t", "s", "a"});  // "a" is opened, "b" converts
    if (i < 10) bandit.RecordConversion({"t", "s", "b"});
  }
  EXPECT_DOUBLE_EQ(bandit.Stats({"t", "s", "b"}).conversion.alpha, 11.0);
  EXPECT_DOUBLE_EQ(bandit.Stats({"t", "s", "b"}).conversion.beta, 41.0);
  Random rng(5);
  int b = 0;
  for (int i = 0; i < 500; ++i) {
    b += bandit.Choose("t", "s", {{"a", "", ""}, {"b", "", ""}}, nullptr, rng, Objective::kConversion)
             ->variant_id == "b";
  }
  EXPECT_GT(b, 495);
  EXPECT_EQ(ParseObjective("conversion").value(), Objective::kConversion);
  EXPECT_FALSE(ParseObjective("revenue").ok());
}

TEST(ThompsonSamplerTest, RejectsEmptyAndDuplicateVariants) {
  ThompsonSampler bandit;
  Random rng(1);
  EXPECT_EQ(bandit.Choose("t", "s", {}, nullptr, rng).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bandit.Choose("t", "s", {{"a", "", ""}, {"a", "", ""}}, nullptr, rng).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ThompsonSamplerTest, DelayedFeedbackEndsWhereWholeOutcomesDo) {
  ThompsonSampler delayed, whole;
  const VariantKey key{"t", "all", "a"};
  for (int i = 0; i < 10; ++i) {
    delayed.RecordSend(key);
    whole.RecordOutcome(key, {.opened = i < 4, .clicked = i < 1});
  }
  for (int i = 0; i < 4; ++i) delayed.RecordOpen(key);
  delayed.RecordClick(key);
  const VariantStats d = delayed.Stats(key), w = whole.Stats(key);
  EXPECT_DOUBLE_EQ(d.open.alpha, w.open.alpha);
  EXPECT_DOUBLE_EQ(d.open.beta, w.open.beta);
  EXPECT_DOUBLE_EQ(d.click.alpha, w.click.alpha);
  EXPECT_DOUBLE_EQ(d.click.beta, w.click.beta);
  // An open with no recorded send never eats into the prior.
  ThompsonSampler bare;
  bare.RecordOpen(key);
  EXPECT_DOUBLE_EQ(bare.Stats(key).open.beta, 1.0);
}

}  // namespace
}  // namespace tailor::decide
