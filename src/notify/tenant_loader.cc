// Building a tenant's in-memory notification state: from its stored records
// on first use (settings, decisions, attributions), and its priors from the
// state itself every prior_refresh.
#include <spdlog/spdlog.h>

#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/decide/beta_posterior.h"
#include "notify/notifier.h"
#include "notify/tenant_notify.h"
#include "serving/engine.h"

namespace tailor::notify {

absl::Status Notifier::Load(domain::TenantId tenant, TenantNotify& state) {
  // `state` is not yet published; mu is taken only to keep the *Locked contract.
  absl::MutexLock state_lock(&state.mu);
  absl::StatusOr<storage::Record> settings =
      store_.GetRecord(tenant, kSettingsCollection, kSettingsRecordId);
  if (settings.ok()) {
    absl::StatusOr<NotifySettings> parsed = SettingsOfStoredRecord(settings->doc);
    if (!parsed.ok()) return parsed.status();
    state.settings = *parsed;
  } else if (!absl::IsNotFound(settings.status())) {
    return settings.status();
  }
  int64_t loaded = 0;
  absl::Status scan =
      store_.ScanRecords(tenant, kDecisionsCollection,
                         [&](const storage::Record& r) ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.mu) {
                           std::optional<Memo> m = MemoOfStoredDecision(r.doc, r.updated_at);
                           if (!m) return true;  // suppressed decisions sent nothing
                           state.ApplySendLocked(r.id, std::move(*m));
                           ++loaded;
                           return true;
                         });
  if (!scan.ok()) return scan;
  scan = store_.ScanRecords(tenant, kAttributionsCollection,
                            [&](const storage::Record& r) ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.mu) {
                              const size_t slash = r.id.rfind('/');
                              if (slash == std::string::npos) return true;
                              auto it = state.decisions.find(r.id.substr(0, slash));
                              if (it == state.decisions.end()) return true;
                              state.ApplyAttributionLocked(
                                  it->second, std::string_view(r.id).substr(slash + 1));
                              return true;
                            });
  if (!scan.ok()) return scan;
  scan = store_.ScanRecords(tenant, kCapLedgerCollection,
                            [&](const storage::Record& r) ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.mu) {
                              state.users[r.id].ledger_version = r.version;
                              return true;
                            });
  if (loaded > 0) spdlog::info("notify: tenant {} rebuilt from {} decisions", tenant, loaded);
  return scan;
}

void Notifier::TenantNotify::RefreshPriors(absl::Time now, absl::Duration every,
                                           serving::TenantRuntime* runtime) {
  std::vector<std::vector<decide::EngagementCounts>> counts;
  {
    absl::MutexLock lock(&mu);
    if (now - priors_at >= every) {
      priors_at = now;
      counts.resize(decide::kAllChannels.size());
      for (const auto& [id, u] : users) {
        for (Channel c : decide::kAllChannels) {
          if (u.counts[Index(c)].sends > 0) counts[Index(c)].push_back(u.counts[Index(c)]);
        }
      }
    }
  }
  if (counts.empty()) return;
  std::map<Channel, decide::TenantChannelPrior> priors;
  for (Channel c : decide::kAllChannels) {
    double sends = 0, engaged = 0;
    for (const decide::EngagementCounts& e : counts[Index(c)]) {
      sends += e.sends;
      engaged += e.engagements;
    }
    absl::StatusOr<decide::TenantChannelPrior> prior =
        decide::EstimateChannelPrior(counts[Index(c)]);
    priors[c] =
        prior.ok() ? *prior : decide::TenantChannelPrior{(engaged + 1.0) / (sends + 2.0), 2.0};
  }
  decide::HourOfWeekHistogram hours;
  if (runtime != nullptr) {
    const std::array<double, 168> totals = runtime->profiles.LocalHourTotals(now);
    for (int h = 0; h < decide::kHoursPerWeek; ++h) hours.AddToHour(h, totals[h]);
  }
  absl::MutexLock lock(&mu);
  channel_priors = std::move(priors);
  tenant_hours = hours;
}

}  // namespace tailor::notify
