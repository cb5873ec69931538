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

namespace {

// The counted send times of `rule`'s channel, sorted.
std::vector<absl::Time> Counted(const CapRule& rule, const std::vector<SentMessage>& history,
                                const CapPolicy& policy) {
  std::vector<absl::Time> out;
  for (const SentMessage& m : history) {
    if (m.channel != rule.channel) continue;
    if (m.category == MessageCategory::kTransactional && !policy.count_transactional) continue;
    out.push_back(m.at);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The most sends (the new one at `t` included) in any span shorter than the
// rule's window that contains `t`.
int WorstWindow(const CapRule& rule, const std::vector<absl::Time>& sends, absl::Time t) {
  // Every such span is covered by [s, s + window) for some s in (t - window, t];
  // the worst starts at t or at a counted send.
  int worst = 1 + static_cast<int>(std::count_if(sends.begin(), sends.end(), [&](absl::Time a) {
                return a >= t && a < t + rule.window;
              }));
  for (absl::Time s : sends) {
    if (s <= t - rule.window || s > t) continue;
    const int n = 1 + static_cast<int>(std::count_if(sends.begin(), sends.end(), [&](absl::Time a) {
                    return a >= s && a < s + rule.window;
                  }));
    worst = std::max(worst, n);
  }
  return worst;
}

}  // namespace

CapDecision CheckFrequencyCap(Channel channel, MessageCategory category,
                              const std::vector<SentMessage>& history, absl::Time now,
                              const CapPolicy& policy) {
  CapDecision d;
  d.next_allowed = now;
  if (category == MessageCategory::kTransactional) {
    d.reason = "transactional messages are never capped";
    return d;
  }
  std::vector<const CapRule*> rules;
  std::vector<std::vector<absl::Time>> sends;
  for (const CapRule& rule : policy.rules) {
    if (rule.channel != channel) continue;
    rules.push_back(&rule);
    sends.push_back(Counted(rule, history, policy));
  }
  // A rule can only start to hold again where a counted send leaves the
  // window, so the earliest allowed instant is `now` or some send + window.
  std::vector<absl::Time> candidates{now};
  for (size_t r = 0; r < rules.size(); ++r) {
    for (absl::Time s : sends[r]) {
      if (s + rules[r]->window > now) candidates.push_back(s + rules[r]->window);
    }
  }
  std::sort(candidates.begin(), candidates.end());
  auto violations = [&](absl::Time t) {
    std::vector<size_t> out;
    for (size_t r = 0; r < rules.size(); ++r) {
      if (rules[r]->max_sends <= 0 || WorstWindow(*rules[r], sends[r], t) > rules[r]->max_sends) {
        out.push_back(r);
      }
    }
    return out;
  };
  const std::vector<size_t> at_now = violations(now);
  if (at_now.empty()) {
    d.reason = "within frequency caps";
    return d;
  }
  d.allow = false;
  d.next_allowed = absl::InfiniteFuture();
  for (absl::Time t : candidates) {
    if (t > now && violations(t).empty()) {
      d.next_allowed = t;
      break;
    }
  }
  // Name the violated rule that takes longest to free on its own.
  absl::Time longest = absl::InfinitePast();
  for (size_t r : at_now) {
    absl::Time free_at = absl::InfiniteFuture();
    if (rules[r]->max_sends > 0) {
      for (absl::Time t : candidates) {
        if (t > now && WorstWindow(*rules[r], sends[r], t) <= rules[r]->max_sends) {
          free_at = t;
          break;
        }
      }
    }
    if (d.violated && free_at <= longest) continue;
    longest = free_at;
    d.violated = *rules[r];
    const int in_window = WorstWindow(*rules[r], sends[r], now) - 1;
    d.reason = StrCat(in_window, " marketing ", ChannelName(channel),
                      " sends past or scheduled within ", absl::FormatDuration(rules[r]->window),
                      " of this one (cap ", rules[r]->max_sends, ")");
  }
  return d;
}

}  // namespace tailor::decide
