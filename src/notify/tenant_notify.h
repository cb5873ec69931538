// The in-memory notification state of one tenant, shared by the files that
// implement Notifier (notifier.cc: the facade; tenant_loader.cc: building it
// from the store; attribution.cc: outcomes; template_stats.cc: statistics).
// Internal to src/notify.
//
// Thread-safety: TenantNotify::mu guards everything but `templates`, which
// templates_mu guards; the *Locked methods require mu held.
#ifndef TAILOR_NOTIFY_TENANT_NOTIFY_H_
#define TAILOR_NOTIFY_TENANT_NOTIFY_H_

#include <array>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/random.h"
#include "models/decide/channel_chooser.h"
#include "models/decide/frequency_cap.h"
#include "models/decide/send_time.h"
#include "models/decide/thompson_sampler.h"
#include "notify/notifier.h"
#include "personalize/notification_template.h"

namespace tailor::serving {
struct TenantRuntime;
}

namespace tailor::notify {

using decide::Channel;
using decide::MessageCategory;

constexpr absl::Duration kCapHistory = absl::Hours(24 * 90);  // the longest cap window
inline int Index(Channel c) { return static_cast<int>(c); }

// What a stored, sent decision leaves in memory.
struct Memo {
  std::string user_id;
  std::string template_id;
  std::string variant_id;
  std::string segment;
  std::string tone;
  std::string length;
  Channel channel = Channel::kEmail;
  MessageCategory category = MessageCategory::kMarketing;
  absl::Time send_at;
  // The template's conversion event when its objective is "conversion".
  std::string conversion_event;
  bool opened = false;
  bool clicked = false;
  bool converted = false;
};

// The memo of a stored decision record (JSON text; `updated_at` stands in
// for a missing send time). Nullopt for a suppressed decision (it sent
// nothing) or an unreadable one.
std::optional<Memo> MemoOfStoredDecision(std::string_view doc, absl::Time updated_at);
// The tenant's settings from their stored record (JSON text); DataLoss when
// it is unreadable.
absl::StatusOr<NotifySettings> SettingsOfStoredRecord(std::string_view doc);

struct UserNotify {
  std::vector<decide::SentMessage> sent;  // for the caps, newest last
  // Decisions made but not yet stored, by id: they count against the caps
  // too, so concurrent decisions for one user cannot overbook. Dropped when
  // the decision is applied, or when its write failed.
  std::unordered_map<std::string, decide::SentMessage> reserved;

  // The version of this user's cap ledger record as far as this node knows
  // (loaded, followed through the change log, or written by this node), and
  // how many of this node's sends to the user are on their way to the store:
  // the next send expects ledger_version + ledger_inflight.
  int64_t ledger_version = 0;
  int64_t ledger_inflight = 0;

  // `sent` and `reserved` together, what the caps check.
  std::vector<decide::SentMessage> CapHistory() const {
    std::vector<decide::SentMessage> out = sent;
    for (const auto& [id, m] : reserved) out.push_back(m);
    return out;
  }
  std::array<decide::EngagementCounts, 4> counts{};  // by channel
  // By the tone / length tag of the variants sent (opens and clicks engage).
  std::map<std::string, decide::EngagementCounts> tones;
  std::map<std::string, decide::EngagementCounts> lengths;
};

struct VariantCounts {
  int64_t sends = 0;
  int64_t opens = 0;
  int64_t clicks = 0;
  int64_t conversions = 0;
};

// x rounded to 4 decimals; null when not finite.
boost::json::value Round4(double x);

// The JSON object of record (collection, id); NotFound says "<what> <id>
// does not exist".
absl::StatusOr<boost::json::object> ReadRecord(storage::Store& store, domain::TenantId tenant,
                                               std::string_view collection, std::string_view id,
                                               std::string_view what);

struct Notifier::TenantNotify {
  explicit TenantNotify(uint64_t seed) : rng(seed) {}

  absl::Mutex mu;  // everything below but `templates`
  NotifySettings settings ABSL_GUARDED_BY(mu);
  decide::ThompsonSampler bandit ABSL_GUARDED_BY(mu);
  Random rng ABSL_GUARDED_BY(mu);
  std::unordered_map<std::string, Memo> decisions ABSL_GUARDED_BY(mu);
  std::unordered_map<std::string, UserNotify> users ABSL_GUARDED_BY(mu);
  std::map<std::pair<std::string, std::string>, VariantCounts> variant_counts ABSL_GUARDED_BY(mu);
  std::map<Channel, decide::TenantChannelPrior> channel_priors ABSL_GUARDED_BY(mu);
  decide::HourOfWeekHistogram tenant_hours ABSL_GUARDED_BY(mu);
  absl::Time priors_at ABSL_GUARDED_BY(mu) = absl::InfinitePast();

  absl::Mutex templates_mu;
  std::map<std::string, std::shared_ptr<const personalize::NotificationTemplate>, std::less<>>
      templates ABSL_GUARDED_BY(templates_mu);

  // The tenant's priors: channel rates from every user's counts, the hour
  // prior from every user's activity (`runtime` may be null: no hour prior);
  // recomputed at most every `every`. One caller claims the refresh and
  // computes it outside `mu` (it is linear in the tenant's users); the others
  // keep using the previous priors (tenant_loader.cc).
  void RefreshPriors(absl::Time now, absl::Duration every, serving::TenantRuntime* runtime)
      ABSL_LOCKS_EXCLUDED(mu);

  // Idempotent: a decision already applied (by this node at commit, then
  // again from the change feed) counts once.
  void ApplySendLocked(const std::string& id, Memo memo) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (decisions.contains(id)) return;
    bandit.RecordSend({memo.template_id, memo.segment, memo.variant_id});
    UserNotify& u = users[memo.user_id];
    u.counts[Index(memo.channel)].sends += 1;
    if (!memo.tone.empty()) u.tones[memo.tone].sends += 1;
    if (!memo.length.empty()) u.lengths[memo.length].sends += 1;
    u.reserved.erase(id);
    u.sent.push_back({memo.send_at, memo.channel, memo.category});
    const absl::Time horizon = memo.send_at - kCapHistory;
    std::erase_if(u.sent, [&](const decide::SentMessage& s) { return s.at < horizon; });
    ++variant_counts[{memo.template_id, memo.variant_id}].sends;
    decisions.insert_or_assign(id, std::move(memo));
  }
  void ApplyOpenLocked(Memo& m) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (m.opened) return;
    m.opened = true;
    bandit.RecordOpen({m.template_id, m.segment, m.variant_id});
    UserNotify& u = users[m.user_id];
    u.counts[Index(m.channel)].engagements += 1;
    if (!m.tone.empty()) u.tones[m.tone].engagements += 1;
    if (!m.length.empty()) u.lengths[m.length].engagements += 1;
    ++variant_counts[{m.template_id, m.variant_id}].opens;
  }
  void ApplyClickLocked(Memo& m) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (m.clicked) return;
    ApplyOpenLocked(m);  // a click implies an open
    m.clicked = true;
    bandit.RecordClick({m.template_id, m.segment, m.variant_id});
    ++variant_counts[{m.template_id, m.variant_id}].clicks;
  }
  void ApplyConversionLocked(Memo& m) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (m.converted) return;
    m.converted = true;
    bandit.RecordConversion({m.template_id, m.segment, m.variant_id});
    ++variant_counts[{m.template_id, m.variant_id}].conversions;
  }
  // kind: "opened", "clicked" or "converted" (attribution.cc).
  void ApplyAttributionLocked(Memo& m, std::string_view kind) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
};

}  // namespace tailor::notify

#endif  // TAILOR_NOTIFY_TENANT_NOTIFY_H_
