// Which of the requested channels a decision may use, and why not the others:
// the template has a variant for it, the user is reachable on it and has
// consented to the message's category (domain/contact_policy.h), and a
// marketing message is under the tenant's frequency caps (scheduled sends
// included). A cap that lifts inside the window defers the channel instead
// of excluding it.
//
//   Eligibility e = CheckChannels(facts, settings.caps);
//   decide::ChooseChannel(e.options, priors, stated, &rng);
//
// Pure functions of their arguments; no notifier state or lock.
#ifndef TAILOR_NOTIFY_CHANNEL_ELIGIBILITY_H_
#define TAILOR_NOTIFY_CHANNEL_ELIGIBILITY_H_

#include <array>
#include <boost/json/array.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "domain/user.h"
#include "insights/profile_store.h"
#include "models/decide/channel.h"
#include "models/decide/channel_chooser.h"
#include "models/decide/frequency_cap.h"
#include "personalize/notification_template.h"

namespace tailor::notify {

// "marketing" or "transactional".
std::string_view CategoryName(decide::MessageCategory c);

// What the checks of one decision read (all of it outlives the call).
struct ChannelFacts {
  const std::vector<decide::Channel>& requested;
  decide::MessageCategory category;
  const personalize::NotificationTemplate& templ;
  const domain::User& user;
  // The user's sends and engagements per channel (indexed by decide::Channel).
  const std::array<decide::EngagementCounts, 4>& counts;
  const std::optional<insights::NotifySignals>& signals;  // from the user's profile
  const std::vector<decide::SentMessage>& cap_history;    // sent and reserved
  absl::Time start;                                       // the send window
  absl::Time end;
};

// The checks of one requested channel, in the order they are reported.
struct ChannelCheck {
  decide::Channel channel = decide::Channel::kEmail;
  bool has_variant = false;
  bool reachable = false;
  bool consented = false;
  bool capped = false;  // over a cap for the whole window
  absl::Time earliest;  // the window start, or later when a cap defers it
  std::string note;     // why not eligible or deferred; empty when neither

  bool eligible() const { return has_variant && reachable && consented && !capped; }
};

struct Eligibility {
  std::vector<ChannelCheck> checks;            // one per requested channel, in order
  std::vector<decide::ChannelOption> options;  // the eligible ones, for ChooseChannel
};

// Checks every requested channel. Caps apply to marketing messages only.
Eligibility CheckChannels(const ChannelFacts& facts, const decide::CapPolicy& caps);

// Why nothing may be sent when no channel is eligible: the first of
// no_variant_for_channels, unreachable, no_consent, frequency_cap that holds
// for every requested channel.
struct NoChannelReason {
  std::string code;
  std::string detail;
};
NoChannelReason WhyNoChannel(const std::vector<ChannelCheck>& checks,
                             decide::MessageCategory category);

// The answer's "channel_scores": one row per check, with the chooser's scores
// for the eligible ones and the check's note.
boost::json::array ChannelScoresJson(const std::vector<ChannelCheck>& checks,
                                     const decide::ChannelDecision& chosen);

}  // namespace tailor::notify

#endif  // TAILOR_NOTIFY_CHANNEL_ELIGIBILITY_H_
