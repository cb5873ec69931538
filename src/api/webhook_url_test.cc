// Unit tests of the webhook address policy. They classify address literals
// only: nothing here opens a connection (tests send traffic to loopback
// only, and these tests send none).
#include "api/webhook_url.h"

#include <gtest/gtest.h>

namespace tailor::api {
namespace {

namespace ip = boost::asio::ip;

AddressClass Classify(const char* text) { return ClassifyAddress(ip::make_address(text)); }

TEST(WebhookUrlTest, ParsesHostsPortsAndIpv6Literals) {
  auto u = ParseWebhookUrl("http://[::1]:8081/hooks?x=1");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "8081");
  EXPECT_EQ(u->target, "/hooks?x=1");
  EXPECT_EQ(u->HostHeader(), "[::1]:8081");
  u = ParseWebhookUrl("http://example.com");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "example.com");
  EXPECT_EQ(u->port, "80");
  EXPECT_EQ(u->target, "/");
  EXPECT_EQ(u->HostHeader(), "example.com");
  u = ParseWebhookUrl("http://[2001:db8::1]/p");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "2001:db8::1");
  EXPECT_EQ(u->port, "80");
  u = ParseWebhookUrl("http://127.0.0.1:9000?q#frag");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->target, "/?q");
  for (const char* bad :
       {"https://example.com/", "ftp://x/", "http://", "http://:80/", "http://[::1/",
        "http://[::1]x/", "http://[::1]:/", "http://[nothex]/", "http://::1:80/",
        "http://a:b@host/", "http://host:0/", "http://host:65536/", "http://host:8x/",
        "http://host/a b", "http://ho st/", "http://[fe80::1%25eth0]/"}) {
    EXPECT_FALSE(ParseWebhookUrl(bad).ok()) << bad;
  }
}

TEST(WebhookUrlTest, ClassifiesIpv4) {
  EXPECT_EQ(Classify("127.0.0.1"), AddressClass::kLoopback);
  EXPECT_EQ(Classify("127.255.0.9"), AddressClass::kLoopback);
  EXPECT_EQ(Classify("10.1.2.3"), AddressClass::kPrivate);
  EXPECT_EQ(Classify("172.16.0.1"), AddressClass::kPrivate);
  EXPECT_EQ(Classify("172.31.255.255"), AddressClass::kPrivate);
  EXPECT_EQ(Classify("172.32.0.1"), AddressClass::kPublic);
  EXPECT_EQ(Classify("192.168.0.10"), AddressClass::kPrivate);
  EXPECT_EQ(Classify("100.64.0.1"), AddressClass::kPrivate);
  EXPECT_EQ(Classify("169.254.169.254"), AddressClass::kLinkLocal);  // cloud metadata
  EXPECT_EQ(Classify("0.0.0.0"), AddressClass::kUnspecified);
  EXPECT_EQ(Classify("224.0.0.1"), AddressClass::kMulticast);
  EXPECT_EQ(Classify("255.255.255.255"), AddressClass::kMulticast);
  EXPECT_EQ(Classify("192.0.2.7"), AddressClass::kReserved);
  EXPECT_EQ(Classify("198.18.0.1"), AddressClass::kReserved);
  EXPECT_EQ(Classify("240.0.0.1"), AddressClass::kReserved);
  EXPECT_EQ(Classify("8.8.8.8"), AddressClass::kPublic);
  EXPECT_EQ(Classify("93.184.216.34"), AddressClass::kPublic);
}

TEST(WebhookUrlTest, ClassifiesIpv6IncludingMappedIpv4) {
  EXPECT_EQ(Classify("::1"), AddressClass::kLoopback);
  EXPECT_EQ(Classify("::"), AddressClass::kUnspecified);
  EXPECT_EQ(Classify("fe80::1"), AddressClass::kLinkLocal);
  EXPECT_EQ(Classify("fd00::1"), AddressClass::kPrivate);
  EXPECT_EQ(Classify("fc00::1"), AddressClass::kPrivate);
  EXPECT_EQ(Classify("ff02::1"), AddressClass::kMulticast);
  EXPECT_EQ(Classify("::ffff:127.0.0.1"), AddressClass::kLoopback);
  EXPECT_EQ(Classify("::ffff:169.254.169.254"), AddressClass::kLinkLocal);
  EXPECT_EQ(Classify("::ffff:8.8.8.8"), AddressClass::kPublic);
  EXPECT_EQ(Classify("::127.0.0.1"), AddressClass::kReserved);     // v4-compatible
  EXPECT_EQ(Classify("::ffff:0:a00:1"), AddressClass::kReserved);  // IPv4-translated 10.0.0.1
  EXPECT_EQ(Classify("64:ff9b::a00:1"), AddressClass::kReserved);  // NAT64 of 10.0.0.1
  EXPECT_EQ(Classify("2002:a00:1::1"), AddressClass::kReserved);   // 6to4 of 10.0.0.1
  EXPECT_EQ(Classify("2001:db8::1"), AddressClass::kReserved);
  EXPECT_EQ(Classify("2001:4860:4860::8888"), AddressClass::kPublic);
  EXPECT_EQ(Classify("2606:4700::1111"), AddressClass::kPublic);
}

TEST(WebhookUrlTest, PolicyAllowsPublicAndConfiguredNetworksOnly) {
  AddressPolicy none;
  EXPECT_TRUE(none.Allows(ip::make_address("8.8.8.8")));
  EXPECT_FALSE(none.Allows(ip::make_address("127.0.0.1")));
  EXPECT_FALSE(none.Allows(ip::make_address("169.254.169.254")));
  EXPECT_FALSE(none.Allows(ip::make_address("::ffff:10.0.0.1")));

  auto loopback = AddressPolicy::Parse("127.0.0.0/8, ::1/128");
  ASSERT_TRUE(loopback.ok()) << loopback.status();
  EXPECT_TRUE(loopback->Allows(ip::make_address("127.0.0.1")));
  EXPECT_TRUE(loopback->Allows(ip::make_address("127.3.4.5")));
  EXPECT_TRUE(loopback->Allows(ip::make_address("::1")));
  EXPECT_TRUE(loopback->Allows(ip::make_address("::ffff:127.0.0.1")));
  EXPECT_FALSE(loopback->Allows(ip::make_address("10.0.0.1")));
  EXPECT_FALSE(loopback->Allows(ip::make_address("169.254.169.254")));
  EXPECT_FALSE(loopback->Allows(ip::make_address("fe80::1")));

  auto single = AddressPolicy::Parse("10.1.2.3");
  ASSERT_TRUE(single.ok());
  EXPECT_TRUE(single->Allows(ip::make_address("10.1.2.3")));
  EXPECT_FALSE(single->Allows(ip::make_address("10.1.2.4")));

  EXPECT_FALSE(AddressPolicy::Parse("10.0.0.0/33").ok());
  EXPECT_FALSE(AddressPolicy::Parse("nope/8").ok());
  EXPECT_FALSE(AddressPolicy::Parse("::1/129").ok());
  EXPECT_TRUE(AddressPolicy::Parse("").ok());
}

}  // namespace
}  // namespace tailor::api
