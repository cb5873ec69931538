// The record of one notification decision, as Notifier::Decide returns it:
// the typed fields the notifier and its callers act on, and the API answer
// (also the stored "decisions" record) that explains it.
//
//   absl::StatusOr<Decision> d = notifier.Decide(tenant, request);
//   if (d.ok() && d->sent) Schedule(d->channel, d->send_at, d->answer.at("content"));
#ifndef TAILOR_NOTIFY_DECISION_H_
#define TAILOR_NOTIFY_DECISION_H_

#include <boost/json/object.hpp>
#include <string>

#include "absl/time/time.h"
#include "models/decide/channel.h"
#include "models/decide/frequency_cap.h"

namespace tailor::notify {

// A decision made, not yet stored. When `sent` is false the answer says why
// under "suppressed", and channel, variant_id and send_at are meaningless.
struct Decision {
  std::string id;
  boost::json::object answer;  // the API answer; also the stored record
  bool dry_run = false;
  bool sent = false;  // false when suppressed
  std::string user_id;
  std::string template_id;  // the safe default's when it stood in
  std::string variant_id;
  std::string segment;
  decide::Channel channel = decide::Channel::kEmail;
  decide::MessageCategory category = decide::MessageCategory::kMarketing;
  absl::Time send_at;
  // For a decision that sends (not a dry run): the version the user's cap
  // ledger record must be at for it to be stored (AddDecisionWrite). If
  // another node sent to the user meanwhile the write fails with Aborted,
  // and the decision is made again once that send is known.
  int64_t ledger_expected = -1;
};

}  // namespace tailor::notify

#endif  // TAILOR_NOTIFY_DECISION_H_
