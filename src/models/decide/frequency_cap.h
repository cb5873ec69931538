// Frequency caps: at most N marketing messages per channel in any rolling
// window (several windows per channel, all must hold), scheduled sends
// included. Transactional
// messages (receipts, password resets) are never suppressed and, by
// default, do not use up the marketing budget.
//
//   CapPolicy policy = DefaultCapPolicy();  // push: 3 / 24h and 10 / 7d, ...
//   CapDecision d = CheckFrequencyCap(Channel::kPush, MessageCategory::kMarketing,
//                                     recent_sends, clock.Now(), policy);
//   if (!d.allow) defer until d.next_allowed;
#ifndef TAILOR_MODELS_DECIDE_FREQUENCY_CAP_H_
#define TAILOR_MODELS_DECIDE_FREQUENCY_CAP_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "models/decide/channel.h"

namespace tailor::decide {

enum class MessageCategory { kMarketing, kTransactional };

struct CapRule {
  Channel channel = Channel::kPush;
  absl::Duration window = absl::Hours(24);
  int max_sends = 3;
};

struct CapPolicy {
  std::vector<CapRule> rules;
  bool count_transactional = false;  // whether transactional sends use up the budget
};

// push 3/24h + 10/7d, email 2/24h + 7/7d, sms 1/24h + 3/7d, in_app 5/24h.
CapPolicy DefaultCapPolicy();

struct SentMessage {
  absl::Time at;
  Channel channel = Channel::kPush;
  MessageCategory category = MessageCategory::kMarketing;
};

struct CapDecision {
  bool allow = true;
  std::string reason;
  std::optional<CapRule> violated;  // the rule that suppressed (longest wait)
  absl::Time next_allowed;          // == now when allowed
};

// Whether a send at `now` keeps every rule: no span shorter than the rule's
// window may hold more than max_sends of the rule's channel, counting past
// AND scheduled (future) sends, so that every sliding window — not only the
// one ending at `now` — stays within the cap. Two sends are in one window
// when they are less than `window` apart. Only windows that would include
// the new send are checked: an already overbooked history defers the new
// send, it does not block it forever. When not allowed, next_allowed is the
// earliest instant after `now` at which a send keeps every rule (given the
// history; InfiniteFuture for a rule with max_sends <= 0); `violated` and
// `reason` name the rule with the longest wait.
CapDecision CheckFrequencyCap(Channel channel, MessageCategory category,
                              const std::vector<SentMessage>& history, absl::Time now,
                              const CapPolicy& policy);

}  // namespace tailor::decide

#endif  // TAILOR_MODELS_DECIDE_FREQUENCY_CAP_H_
