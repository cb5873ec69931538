// Channel choice for one notification: each channel's engagement rate for
// this user is a Beta posterior whose prior is the tenant's rate on that
// channel, with an empirical-Bayes prior strength, so a user with few sends
// looks like the tenant and a user with many looks like themself:
//
//   posterior mean = (kappa * m + engagements) / (kappa + sends)
//
// where m is the tenant's rate and kappa its prior strength (pseudo-sends).
// Only reachable and consented channels are eligible; a user's stated
// preference wins whenever it is eligible.
//
//   TenantChannelPrior push = *EstimateChannelPrior(per_user_push_counts);
//   ChannelDecision d = ChooseChannel(
//       {{Channel::kPush, true, true, {12, 5}}, {Channel::kEmail, true, true, {40, 4}}},
//       {{Channel::kPush, push}, {Channel::kEmail, email}}, std::nullopt, nullptr);
//   // d.chosen, d.reason, d.scores[i].posterior_mean ...
#ifndef TAILOR_MODELS_DECIDE_CHANNEL_CHOOSER_H_
#define TAILOR_MODELS_DECIDE_CHANNEL_CHOOSER_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/random.h"
#include "models/decide/beta_posterior.h"
#include "models/decide/channel.h"

namespace tailor::decide {

struct EngagementCounts {
  double sends = 0;
  double engagements = 0;  // opens/clicks attributed to those sends; <= sends
};

// Beta(strength * rate, strength * (1 - rate)).
struct TenantChannelPrior {
  double rate = 0.5;
  double strength = 2.0;
};

// Method-of-moments fit of a Beta prior to per-user counts on one channel,
// correcting for binomial noise. With pooled rate m = sum(e) / sum(n) and
// S = sum_i n_i (e_i / n_i - m)^2, the intra-class correlation is
//   rho = (S / (m (1 - m)) - N) / sum_i (n_i - 1),  kappa = 1 / rho - 1,
// clamped to [min_strength, max_strength] (rho <= 0, i.e. no spread beyond
// noise, gives max_strength). Users with no sends are ignored.
// InvalidArgument when no user has sends or m is 0 or 1 (no spread to fit;
// the returned rate would be degenerate).
absl::StatusOr<TenantChannelPrior> EstimateChannelPrior(const std::vector<EngagementCounts>& users,
                                                        double min_strength = 2.0,
                                                        double max_strength = 1000.0);

struct ChannelOption {
  Channel channel = Channel::kEmail;
  bool reachable = false;  // has an address/token
  bool consented = false;  // opted in for this category
  EngagementCounts user;
};

struct ChannelScore {
  Channel channel = Channel::kEmail;
  bool eligible = false;
  double prior_mean = 0;
  double posterior_mean = 0;
  double score = 0;  // posterior mean, or a Thompson draw when exploring
  BetaPosterior posterior;
  std::string reason;
};

struct ChannelDecision {
  std::optional<Channel> chosen;  // empty: no eligible channel
  std::string reason;
  std::vector<ChannelScore> scores;  // in input order
};

// Scores every option against its tenant prior (a channel missing from
// `tenant` gets the uniform Beta(1, 1)). `explore_rng` non-null makes the
// choice a Thompson draw instead of the posterior mean.
ChannelDecision ChooseChannel(const std::vector<ChannelOption>& options,
                              const std::map<Channel, TenantChannelPrior>& tenant,
                              std::optional<Channel> stated_preference, Random* explore_rng);

}  // namespace tailor::decide

#endif  // TAILOR_MODELS_DECIDE_CHANNEL_CHOOSER_H_
