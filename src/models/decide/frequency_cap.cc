#include "models/decide/frequency_cap.h"

#include <algorithm>
#include <functional>

#include "common/strings.h"

namespace tailor::decide {

CapPolicy DefaultCapPolicy() {
  CapPolicy p;
  p.rules = {{Channel::kPush, absl::Hours(24), 3},  {Channel::kPush, absl::Hours(24 * 7), 10},
             {Channel::kEmail, absl::Hours(24), 2}, {Channel::kEmail, absl::Hours(24 * 7), 7},
             {Channel::kSms, absl::Hours(24), 1},   {Channel::kSms, absl::Hours(24 * 7), 3},
             {Channel::kInApp, absl::Hours(24), 5}};
  return p;
}

CapDecision CheckFrequencyCap(Channel channel, MessageCategory category,
                              const std::vector<SentMessage>& history, absl::Time now,
                              const CapPolicy& policy) {
  CapDecision d;
  d.next_allowed = now;
  if (category == MessageCategory::kTransactional) {
    d.reason = "transactional messages are never capped";
    return d;
  }
  for (const CapRule& rule : policy.rules) {
    if (rule.channel != channel) continue;
    std::vector<absl::Time> in_window;
    for (const SentMessage& m : history) {
      if (m.channel != channel || m.at > now || m.at <= now - rule.window) continue;
      if (m.category == MessageCategory::kTransactional && !policy.count_transactional) continue;
      in_window.push_back(m.at);
    }
    const int count = static_cast<int>(in_window.size());
    if (count < rule.max_sends) continue;
    // Room again once the oldest count - max_sends + 1 sends have left the
    // window; the last of them to leave is in_window[count - max_sends].
    std::sort(in_window.begin(), in_window.end());
    const absl::Time free_at =
        rule.max_sends <= 0 ? absl::InfiniteFuture()
                            : in_window[static_cast<size_t>(count - rule.max_sends)] + rule.window;
    d.allow = false;
    if (!d.violated || free_at > d.next_allowed) {
      d.violated = rule;
      d.next_allowed = free_at;
      d.reason = StrCat(count, " marketing ", ChannelName(channel), " sends in the last ",
                        absl::FormatDuration(rule.window), " (cap ", rule.max_sends, ")");
    }
  }
  if (d.allow) d.reason = "within frequency caps";
  return d;
}

}  // namespace tailor::decide
