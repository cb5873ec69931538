#include "domain/contact_policy.h"

#include <gtest/gtest.h>

namespace tailor::domain {
namespace {

TEST(ContactPolicyTest, AbsentConsentIsReadOneWayPerChannelAndPurpose) {
  User u;
  EXPECT_FALSE(Consents(u, "email", Purpose::kMarketing));
  EXPECT_FALSE(Consents(u, "push", Purpose::kMarketing));
  EXPECT_TRUE(Consents(u, "in_app", Purpose::kMarketing));
  EXPECT_TRUE(Consents(u, "sms", Purpose::kTransactional));
  u.consent["in_app"]["marketing"] = false;
  u.consent["email"]["marketing"] = true;
  u.consent["sms"]["transactional"] = false;
  EXPECT_FALSE(Consents(u, "in_app", Purpose::kMarketing));
  EXPECT_TRUE(Consents(u, "email", Purpose::kMarketing));
  EXPECT_FALSE(Consents(u, "sms", Purpose::kTransactional));
}

TEST(ContactPolicyTest, EngagementOrContactMakesAChannelReachable) {
  User u;
  u.email = "a@example.com";
  EXPECT_TRUE(HasContact(u, "email"));
  EXPECT_FALSE(HasContact(u, "push"));
  EXPECT_TRUE(Reachable(HasContact(u, "email"), "email", 0));
  EXPECT_FALSE(Reachable(HasContact(u, "push"), "push", 0));
  EXPECT_TRUE(Reachable(HasContact(u, "push"), "push", 3));  // opened pushes: reachable
  EXPECT_TRUE(Reachable(false, "in_app", 0));
}

}  // namespace
}  // namespace tailor::domain
