#include "models/decide/channel_chooser.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tailor::decide {
namespace {

using ::testing::HasSubstr;

TEST(ChannelChooserTest, ShrinkageMath) {
  std::map<Channel, TenantChannelPrior> tenant = {{Channel::kPush, {0.2, 10}},
                                                  {Channel::kEmail, {0.1, 10}}};
  ChannelDecision d = ChooseChannel({{Channel::kPush, true, true, {5, 4}},
                                     {Channel::kEmail, true, true, {0, 0}}},
                                    tenant, std::nullopt, nullptr);
  ASSERT_EQ(d.scores.size(), 2u);
  // (kappa * m + e) / (kappa + n) = (10 * 0.2 + 4) / (10 + 5).
  EXPECT_DOUBLE_EQ(d.scores[0].posterior_mean, 6.0 / 15.0);
  EXPECT_DOUBLE_EQ(d.scores[0].posterior.alpha, 6.0);
  EXPECT_DOUBLE_EQ(d.scores[0].posterior.beta, 9.0);
  EXPECT_DOUBLE_EQ(d.scores[1].posterior_mean, 0.1);  // no data: the tenant rate
  EXPECT_EQ(d.chosen, Channel::kPush);
}

TEST(ChannelChooserTest, FewSendsFollowTenantManyFollowUser) {
  std::map<Channel, TenantChannelPrior> tenant = {{Channel::kPush, {0.30, 20}},
                                                  {Channel::kEmail, {0.10, 20}}};
  // Email 1/1 looks great but is one send: the tenant's push rate wins.
  ChannelDecision few = ChooseChannel({{Channel::kPush, true, true, {0, 0}},
                                       {Channel::kEmail, true, true, {1, 1}}},
                                      tenant, std::nullopt, nullptr);
  EXPECT_EQ(few.chosen, Channel::kPush);
  // 200 email sends at 50%: the user's own behaviour wins.
  ChannelDecision many = ChooseChannel({{Channel::kPush, true, true, {0, 0}},
                                        {Channel::kEmail, true, true, {200, 100}}},
                                       tenant, std::nullopt, nullptr);
  EXPECT_EQ(many.chosen, Channel::kEmail);
}

TEST(ChannelChooserTest, EligibilityAndStatedPreference) {
  std::map<Channel, TenantChannelPrior> tenant = {{Channel::kPush, {0.5, 10}},
                                                  {Channel::kSms, {0.1, 10}},
                                                  {Channel::kEmail, {0.2, 10}}};
  std::vector<ChannelOption> opts = {{Channel::kPush, false, true, {}},
                                     {Channel::kSms, true, true, {}},
                                     {Channel::kEmail, true, false, {}}};
  ChannelDecision d = ChooseChannel(opts, tenant, std::nullopt, nullptr);
  EXPECT_EQ(d.chosen, Channel::kSms);  // push unreachable, email not consented
  EXPECT_EQ(d.scores[0].reason, "not reachable");
  EXPECT_EQ(d.scores[2].reason, "no consent");

  opts[0].reachable = true;
  d = ChooseChannel(opts, tenant, Channel::kSms, nullptr);
  EXPECT_EQ(d.chosen, Channel::kSms);  // preference beats the higher push rate
  EXPECT_THAT(d.reason, HasSubstr("stated preference sms"));

  d = ChooseChannel(opts, tenant, Channel::kEmail, nullptr);
  EXPECT_EQ(d.chosen, Channel::kPush);
  EXPECT_THAT(d.reason, HasSubstr("stated preference email is not reachable or consented"));

  for (auto& o : opts) o.consented = false;
  d = ChooseChannel(opts, tenant, std::nullopt, nullptr);
  EXPECT_FALSE(d.chosen.has_value());
}

TEST(ChannelChooserTest, EmpiricalBayesRecoversPriorStrength) {
  // Users' true rates ~ Beta(2, 18): mean 0.1, kappa 20; 60 sends each.
  Random rng(11);
  std::vector<EngagementCounts> users;
  for (int u = 0; u < 3000; ++u) {
    const double p = rng.Beta(2, 18);
    EngagementCounts c{60, 0};
    for (int s = 0; s < 60; ++s) c.engagements += rng.Uniform() < p;
    users.push_back(c);
  }
  users.push_back({0, 0});  // ignored
  auto prior = EstimateChannelPrior(users);
  ASSERT_TRUE(prior.ok()) << prior.status();
  EXPECT_NEAR(prior->rate, 0.1, 0.005);
  EXPECT_NEAR(prior->strength, 20, 4);

  // No spread beyond binomial noise: strength saturates at the maximum.
  std::vector<EngagementCounts> same;
  for (int u = 0; u < 2000; ++u) {
    EngagementCounts c{40, 0};
    for (int s = 0; s < 40; ++s) c.engagements += rng.Uniform() < 0.2;
    same.push_back(c);
  }
  auto flat = EstimateChannelPrior(same, 2, 1000);
  ASSERT_TRUE(flat.ok());
  EXPECT_GT(flat->strength, 200);

  EXPECT_FALSE(EstimateChannelPrior({}).ok());
  EXPECT_FALSE(EstimateChannelPrior({{10, 0}, {5, 0}}).ok());
}

TEST(ChannelChooserTest, ExplorationIsSeeded) {
  std::map<Channel, TenantChannelPrior> tenant = {{Channel::kPush, {0.3, 4}},
                                                  {Channel::kEmail, {0.28, 4}}};
  std::vector<ChannelOption> opts = {{Channel::kPush, true, true, {}},
                                     {Channel::kEmail, true, true, {}}};
  Random a(5), b(5);
  int email = 0;
  for (int i = 0; i < 200; ++i) {
    auto da = ChooseChannel(opts, tenant, std::nullopt, &a);
    auto db = ChooseChannel(opts, tenant, std::nullopt, &b);
    EXPECT_EQ(da.chosen, db.chosen);
    email += da.chosen == Channel::kEmail;
  }
  EXPECT_GT(email, 40);  // close rates: both get explored
  EXPECT_LT(email, 160);
}

}  // namespace
}  // namespace tailor::decide
