// The decision policy: given what a decision knows about the request, the
// user and the template (DecideInputs) and what it reads of the tenant's
// notification state (PolicyState), choose
//
//   1. channels   the eligible ones (channel_eligibility.h), scored against
//                 the tenant's channel priors; a stated preference wins
//   2. variant    a Thompson draw per channel in that order, tilted by the
//                 user's tone/length affinities; the first that renders
//   3. quality    the quality gate; below the threshold, or when nothing
//                 rendered, the tenant's safe default (marketing only)
//   4. send time  the best allowed hour of the window (marketing), or at once
//
// and write the decision's fields and its answer, reasons included.
//
//   PolicyState s{settings, history, cap_history, ...};
//   RunDecisionPolicy(inputs, s, decision);
//
// Thread-safety: PolicyState refers into Notifier::TenantNotify and draws
// from the tenant's random stream, so the policy runs with TenantNotify::mu
// held (notifier.cc). Running it on a copy without the lock would let two
// concurrent decisions for one user both pass the frequency caps before
// either reserves its send, and would reuse the random stream.
#ifndef TAILOR_NOTIFY_DECISION_POLICY_H_
#define TAILOR_NOTIFY_DECISION_POLICY_H_

#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "common/random.h"
#include "domain/user.h"
#include "insights/profile_store.h"
#include "models/decide/channel_chooser.h"
#include "models/decide/send_time.h"
#include "models/decide/thompson_sampler.h"
#include "notify/decide_request.h"
#include "notify/decision.h"
#include "notify/notify_settings.h"
#include "notify/tenant_notify.h"
#include "personalize/notification_template.h"
#include "personalize/template.h"

namespace tailor::notify {

// Everything the decision knows about the request before choosing.
struct DecideInputs {
  const DecideRequest* request = nullptr;
  const domain::User* user = nullptr;
  std::shared_ptr<const personalize::NotificationTemplate> templ;
  std::shared_ptr<const personalize::NotificationTemplate> fallback_templ;  // may be null
  std::optional<insights::NotifySignals> signals;
  boost::json::value context;  // what templates render from
  personalize::RenderOptions render;
  std::string time_zone;
  absl::Time now, start, end;  // [start, end) is the send window
};

// What the policy reads of the tenant's state; see the thread-safety note above.
struct PolicyState {
  const NotifySettings& settings;                       // as they were when the decision started
  const UserNotify& history;                            // the user's
  const std::vector<decide::SentMessage>& cap_history;  // history.CapHistory()
  const decide::ThompsonSampler& bandit;
  const std::map<std::pair<std::string, std::string>, VariantCounts>& variant_counts;
  const std::map<decide::Channel, decide::TenantChannelPrior>& channel_priors;
  const decide::HourOfWeekHistogram& tenant_hours;
  Random& rng;
};

// Decides `d`, whose id, user_id, segment, category and dry_run are set:
// fills sent, template_id, variant_id, channel, send_at and the answer. Does
// not reserve the send against the caps; the caller does, under the same lock.
void RunDecisionPolicy(const DecideInputs& in, const PolicyState& state, Decision& d);

// Affinity in [0, 1] (0.5 neutral) of each tag value (tone or length) from
// one user's sends and engagements by tag: half the lift of the tag's rate,
// shrunk toward the user's overall rate, over that overall rate. Empty
// without sends.
std::map<std::string, double> Affinities(
    const std::map<std::string, decide::EngagementCounts>& by_tag);

}  // namespace tailor::notify

#endif  // TAILOR_NOTIFY_DECISION_POLICY_H_
