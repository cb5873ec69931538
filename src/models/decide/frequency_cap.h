// Frequency caps: at most N marketing messages per channel in a rolling
// window (several windows per channel, all must hold). Transactional
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

// A send counts against a rule when it is on the rule's channel and in
// (now - window, now]. Suppress when any rule already has max_sends; then
// next_allowed is the earliest instant at which every rule has room again
// (given no further sends). Sends in the future are ignored.
CapDecision CheckFrequencyCap(Channel channel, MessageCategory category,
                              const std::vector<SentMessage>& history, absl::Time now,
                              const CapPolicy& policy);

}  // namespace tailor::decide

#endif  // TAILOR_MODELS_DECIDE_FREQUENCY_CAP_H_
