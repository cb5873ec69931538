// How the notifier follows the store's change log: decisions, attributions,
// settings and template changes committed by any node (this one included)
// reach this node's caps, bandits and caches. Applying is idempotent, so the
// immediate local apply at commit and the feed's later one count once.
#include <algorithm>
#include <boost/json.hpp>
#include <variant>

#include "common/strings.h"
#include "domain/validation.h"
#include "notify/notifier.h"
#include "notify/tenant_notify.h"
#include "spdlog/spdlog.h"

namespace tailor::notify {

namespace json = boost::json;

std::optional<Memo> MemoOfStoredDecision(std::string_view doc_text, absl::Time updated_at) {
  boost::system::error_code ec;
  json::value doc = json::parse(doc_text, ec);
  const json::object* d = doc.if_object();
  if (ec || d == nullptr || !d->contains("suppressed") || !d->at("suppressed").is_null()) {
    return std::nullopt;
  }
  Memo m;
  auto text = [&](const char* key) {
    const json::value* v = d->if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  m.user_id = text("user_id");
  m.template_id = text("template_id");
  m.variant_id = text("variant_id");
  m.segment = text("segment");
  m.tone = text("tone");
  m.length = text("length");
  m.conversion_event = text("conversion_event");
  absl::StatusOr<Channel> channel = decide::ParseChannel(text("channel"));
  if (!channel.ok()) return std::nullopt;
  m.channel = *channel;
  m.category = text("category") == "transactional" ? MessageCategory::kTransactional
                                                   : MessageCategory::kMarketing;
  const json::value* send_at = d->if_contains("send_at");
  absl::StatusOr<absl::Time> at =
      send_at && send_at->is_object() && send_at->get_object().contains("utc") &&
              send_at->get_object().at("utc").is_string()
          ? domain::ParseRfc3339(View(send_at->get_object().at("utc").get_string()))
          : absl::InvalidArgumentError("");
  m.send_at = at.ok() ? *at : updated_at;
  return m;
}

absl::StatusOr<NotifySettings> SettingsOfStoredRecord(std::string_view doc_text) {
  boost::system::error_code ec;
  json::value doc = json::parse(doc_text, ec);
  absl::StatusOr<NotifySettings> parsed =
      ec ? absl::DataLossError("settings are not JSON") : ParseNotifySettings(doc);
  if (!parsed.ok()) return absl::DataLossError("stored notification settings are invalid");
  return parsed;
}

void Notifier::ApplyChange(const storage::Change& change) {
  // A tenant this node has not loaded reads everything when it is first
  // used; only loaded states need to follow.
  TenantNotify* state = nullptr;
  {
    absl::MutexLock lock(&tenants_mu_);
    auto it = tenants_.find(change.tenant);
    if (it == tenants_.end()) return;
    state = it->second.get();
  }
  for (const storage::WriteBatch::Op& op : change.batch.ops()) {
    if (const auto* put = std::get_if<storage::WriteBatch::PutRecordOp>(&op)) {
      if (put->collection == kDecisionsCollection) {
        if (std::optional<Memo> m =
                MemoOfStoredDecision(put->doc, absl::FromUnixMicros(put->at_micros))) {
          absl::MutexLock lock(&state->mu);
          state->ApplySendLocked(put->id, std::move(*m));
        }
      } else if (put->collection == kAttributionsCollection) {
        const size_t slash = put->id.rfind('/');
        if (slash == std::string::npos) continue;
        absl::MutexLock lock(&state->mu);
        auto it = state->decisions.find(put->id.substr(0, slash));
        if (it == state->decisions.end()) continue;
        state->ApplyAttributionLocked(it->second, std::string_view(put->id).substr(slash + 1));
      } else if (put->collection == kSettingsCollection && put->id == kSettingsRecordId) {
        absl::StatusOr<NotifySettings> parsed = SettingsOfStoredRecord(put->doc);
        if (!parsed.ok()) {
          spdlog::warn("notify: tenant {}: stored settings unreadable", change.tenant);
          continue;
        }
        absl::MutexLock lock(&state->mu);
        state->settings = *parsed;
      } else if (put->collection == kTemplatesCollection) {
        ForgetTemplate(change.tenant, put->id);
      } else if (put->collection == kCapLedgerCollection) {
        absl::MutexLock lock(&state->mu);
        UserNotify& u = state->users[put->id];
        u.ledger_version = std::max(u.ledger_version, put->version);
      }
    } else if (const auto* del = std::get_if<storage::WriteBatch::DeleteRecordOp>(&op)) {
      if (del->collection == kTemplatesCollection) ForgetTemplate(change.tenant, del->id);
    }
  }
}

}  // namespace tailor::notify
