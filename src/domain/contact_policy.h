// The one definition of whether a user may be sent a notification on a
// channel (consent) and whether a message can reach them there
// (reachability). The notification decisions, campaigns and the user
// profile all read these, so a profile never shows a channel the decisions
// treat differently (docs/NOTIFICATIONS.md, "Consent and reachability").
//
//   if (domain::Consents(user, "email", domain::Purpose::kMarketing) &&
//       domain::Reachable(domain::HasContact(user, "email"), "email", opens + clicks)) ...
//
// Pure functions of their arguments; thread-safe.
#ifndef TAILOR_DOMAIN_CONTACT_POLICY_H_
#define TAILOR_DOMAIN_CONTACT_POLICY_H_

#include <cstdint>
#include <string_view>

#include "domain/user.h"

namespace tailor::domain {

enum class Purpose { kMarketing, kTransactional };

// "marketing" / "transactional", the keys of User::consent[channel].
std::string_view PurposeName(Purpose purpose);

// An explicit consent[channel][purpose] answer always wins. Without one:
//   marketing on email, sms, push   no (needs an opt-in)
//   marketing in_app                yes (shown inside the app the user chose
//                                   to open; only an explicit opt-out stops it)
//   transactional, any channel      yes (unless explicitly refused)
bool Consents(const User& user, std::string_view channel, Purpose purpose);

// The user record carries the channel's contact: an email address, a phone
// number, a push token. in_app needs none (true).
bool HasContact(const User& user, std::string_view channel);

// A message on `channel` can reach the user: the record carries its contact,
// or the user has opened or clicked a notification on it (`engagements` > 0:
// whoever sent it evidently holds a working address), or the channel is
// in_app, which is shown the next time the user opens the app (and a user who
// opened in-app messages is reachable there by the same evidence).
bool Reachable(bool has_contact, std::string_view channel, int64_t engagements);

}  // namespace tailor::domain

#endif  // TAILOR_DOMAIN_CONTACT_POLICY_H_
