#include "models/decide/channel_chooser.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/strings.h"

namespace tailor::decide {

absl::StatusOr<TenantChannelPrior> EstimateChannelPrior(const std::vector<EngagementCounts>& users,
                                                        double min_strength,
                                                        double max_strength) {
  double total_n = 0, total_e = 0, users_with_sends = 0, excess = 0;
  for (const EngagementCounts& u : users) {
    if (u.sends <= 0) continue;
    total_n += u.sends;
    total_e += std::clamp(u.engagements, 0.0, u.sends);
    users_with_sends += 1;
    excess += u.sends - 1;
  }
  if (users_with_sends == 0) return absl::InvalidArgumentError("no user has sends on the channel");
  const double m = total_e / total_n;
  if (m <= 0.0 || m >= 1.0) {
    return absl::InvalidArgumentError(
        StrCat("pooled rate is ", m, "; a Beta prior needs a rate strictly between 0 and 1"));
  }
  double s = 0;
  for (const EngagementCounts& u : users) {
    if (u.sends <= 0) continue;
    const double r = std::clamp(u.engagements, 0.0, u.sends) / u.sends;
    s += u.sends * (r - m) * (r - m);
  }
  TenantChannelPrior prior;
  prior.rate = m;
  const double rho = excess > 0 ? (s / (m * (1.0 - m)) - users_with_sends) / excess : 0.0;
  prior.strength = rho <= 0 ? max_strength : std::clamp(1.0 / rho - 1.0, min_strength, max_strength);
  return prior;
}

ChannelDecision ChooseChannel(const std::vector<ChannelOption>& options,
                              const std::map<Channel, TenantChannelPrior>& tenant,
                              std::optional<Channel> stated_preference, Random* explore_rng) {
  ChannelDecision d;
  const ChannelScore* best = nullptr;
  const ChannelScore* preferred = nullptr;
  bool preference_listed = false;
  for (const ChannelOption& o : options) {
    ChannelScore s;
    s.channel = o.channel;
    s.eligible = o.reachable && o.consented;
    auto it = tenant.find(o.channel);
    TenantChannelPrior prior = it != tenant.end() ? it->second : TenantChannelPrior{};
    s.prior_mean = prior.rate;
    s.posterior = BetaPosterior{prior.strength * prior.rate, prior.strength * (1.0 - prior.rate)};
    const double sends = std::max(0.0, o.user.sends);
    const double eng = std::clamp(o.user.engagements, 0.0, sends);
    s.posterior.Update(eng, sends - eng);
    s.posterior_mean = s.posterior.Mean();
    s.score = explore_rng != nullptr ? s.posterior.Sample(*explore_rng) : s.posterior_mean;
    if (!o.reachable) {
      s.reason = "not reachable";
    } else if (!o.consented) {
      s.reason = "no consent";
    } else {
      s.reason = fmt::format("engagement {:.3f} from {} sends (tenant {:.3f})", s.posterior_mean,
                             sends, prior.rate);
    }
    d.scores.push_back(std::move(s));
  }
  for (const ChannelScore& s : d.scores) {
    if (stated_preference && s.channel == *stated_preference) {
      preference_listed = true;
      if (s.eligible) preferred = &s;
    }
    if (s.eligible && (best == nullptr || s.score > best->score)) best = &s;
  }
  if (preferred != nullptr) {
    d.chosen = preferred->channel;
    d.reason = StrCat("user's stated preference ", ChannelName(preferred->channel));
    return d;
  }
  std::string prefix;
  if (stated_preference) {
    prefix = StrCat("stated preference ", ChannelName(*stated_preference),
                    preference_listed ? " is not reachable or consented; " : " is not offered; ");
  }
  if (best == nullptr) {
    d.reason = prefix + "no reachable, consented channel";
    return d;
  }
  d.chosen = best->channel;
  d.reason = prefix + fmt::format("highest {} engagement: {} at {:.3f}",
                                  explore_rng != nullptr ? "sampled" : "estimated",
                                  ChannelName(best->channel), best->score);
  return d;
}

}  // namespace tailor::decide
