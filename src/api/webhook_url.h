// Webhook targets: URL parsing and the address policy that keeps Tailor from
// being used to reach what only it can reach (SSRF): its own loopback, the
// cloud metadata service at a link-local address, private networks.
//
// A URL is parsed when the webhook is stored; a literal address that the
// policy refuses is refused then. Host names are resolved at each delivery;
// every resolved address must be allowed, and the connection goes to those
// addresses (pinned), never to a second resolution. A refused delivery makes
// no connection and reports one fixed error, so the stats answer nothing
// about what listens where.
//
//   AddressPolicy policy = *AddressPolicy::Parse("127.0.0.0/8");  // tests' receivers
//   policy.Allows(boost::asio::ip::make_address("10.0.0.1"));     // false
#ifndef TAILOR_API_WEBHOOK_URL_H_
#define TAILOR_API_WEBHOOK_URL_H_

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tailor::api {

struct WebhookUrl {
  std::string host;  // a name, or an address (IPv6 without brackets)
  std::string port = "80";
  std::string target = "/";
  // The Host header value: host[:port], IPv6 in brackets.
  std::string HostHeader() const;
};

// http://host[:port][/path], host a name, an IPv4 address or [IPv6];
// InvalidArgument (a message for the "url" field) otherwise.
absl::StatusOr<WebhookUrl> ParseWebhookUrl(std::string_view url);

enum class AddressClass {
  kPublic,
  kLoopback,     // 127/8, ::1
  kPrivate,      // 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT), fc00::/7
  kLinkLocal,    // 169.254/16 (cloud metadata), fe80::/10
  kUnspecified,  // 0/8, ::
  kMulticast,    // 224/4, ff00::/8, 255.255.255.255
  kReserved,     // documentation, benchmarking, 240/4, 192.0.0/24, NAT64, ...
};
std::string_view AddressClassName(AddressClass c);

// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are classified as their IPv4.
AddressClass ClassifyAddress(const boost::asio::ip::address& address);

// Public addresses are allowed; any other only inside a configured network.
// Immutable after Parse; thread-safe.
class AddressPolicy {
 public:
  AddressPolicy() = default;
  // Comma-separated CIDR networks ("127.0.0.0/8,::1/128"); empty = none.
  static absl::StatusOr<AddressPolicy> Parse(std::string_view networks);
  bool Allows(const boost::asio::ip::address& address) const;

 private:
  struct Network {
    boost::asio::ip::address base;
    int prefix = 0;
  };
  std::vector<Network> allowed_;
};

}  // namespace tailor::api

#endif  // TAILOR_API_WEBHOOK_URL_H_
