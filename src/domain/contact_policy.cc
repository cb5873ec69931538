#include "domain/contact_policy.h"

#include <string>

namespace tailor::domain {

std::string_view PurposeName(Purpose purpose) {
  return purpose == Purpose::kMarketing ? "marketing" : "transactional";
}

bool Consents(const User& user, std::string_view channel, Purpose purpose) {
  if (auto ch = user.consent.find(std::string(channel)); ch != user.consent.end()) {
    if (auto p = ch->second.find(std::string(PurposeName(purpose))); p != ch->second.end()) {
      return p->second;
    }
  }
  return purpose == Purpose::kTransactional || channel == "in_app";
}

bool HasContact(const User& user, std::string_view channel) {
  if (channel == "email") return !user.email.empty();
  if (channel == "sms") return !user.phone.empty();
  if (channel == "push") return !user.push_tokens.empty();
  return channel == "in_app";
}

bool Reachable(bool has_contact, std::string_view channel, int64_t engagements) {
  return has_contact || engagements > 0 || channel == "in_app";
}

}  // namespace tailor::domain
