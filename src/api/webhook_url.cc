#include "api/webhook_url.h"

#include <array>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/strings.h"

namespace tailor::api {

namespace ip = boost::asio::ip;

std::string WebhookUrl::HostHeader() const {
  std::string h = host.find(':') != std::string::npos ? StrCat("[", host, "]") : host;
  return port == "80" ? h : StrCat(h, ":", port);
}

absl::StatusOr<WebhookUrl> ParseWebhookUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.size() > 2048 || !url.starts_with(kScheme)) {
    return absl::InvalidArgumentError("must be an http:// URL (https is not supported yet)");
  }
  std::string_view rest = url.substr(kScheme.size());
  WebhookUrl out;
  const size_t slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    out.target = std::string(rest.substr(slash));
    if (out.target.front() != '/') out.target.insert(0, "/");
    if (size_t hash = out.target.find('#'); hash != std::string::npos) out.target.resize(hash);
  }
  if (authority.find('@') != std::string_view::npos) {
    return absl::InvalidArgumentError("must not carry credentials");
  }
  std::string_view port;
  if (authority.starts_with("[")) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return absl::InvalidArgumentError("has an unclosed [");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return absl::InvalidArgumentError("has text after ]");
      port = after.substr(1);
      if (port.empty()) return absl::InvalidArgumentError("has a bad port");
    }
    boost::system::error_code ec;
    ip::make_address_v6(out.host, ec);
    if (ec || out.host.find('%') != std::string::npos) {
      return absl::InvalidArgumentError("has a bad IPv6 address in [ ]");
    }
  } else {
    const size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return absl::InvalidArgumentError("has a bad port");
      authority = authority.substr(0, colon);
    }
    if (authority.find(':') != std::string_view::npos) {
      return absl::InvalidArgumentError("IPv6 addresses must be in brackets: http://[::1]:8080/");
    }
    out.host = std::string(authority);
  }
  if (!port.empty()) {
    uint32_t p = 0;
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos ||
        !absl::SimpleAtoi(absl::string_view(port.data(), port.size()), &p) || p == 0 || p > 65535) {
      return absl::InvalidArgumentError("has a bad port");
    }
    out.port = std::to_string(p);
  }
  if (out.host.empty()) return absl::InvalidArgumentError("has no host");
  for (char c : out.host) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '%' || c == '/' || c == '\\') {
      return absl::InvalidArgumentError("has a bad character in its host");
    }
  }
  for (char c : out.target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError("has a control character or space in its path");
    }
  }
  return out;
}

std::string_view AddressClassName(AddressClass c) {
  switch (c) {
    case AddressClass::kPublic:
      return "public";
    case AddressClass::kLoopback:
      return "loopback";
    case AddressClass::kPrivate:
      return "private";
    case AddressClass::kLinkLocal:
      return "link-local";
    case AddressClass::kUnspecified:
      return "unspecified";
    case AddressClass::kMulticast:
      return "multicast";
    case AddressClass::kReserved:
      return "reserved";
  }
  return "reserved";
}

namespace {

bool InV4(uint32_t a, uint32_t base, int prefix) {
  const uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  return (a & mask) == (base & mask);
}

constexpr uint32_t V4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return a << 24 | b << 16 | c << 8 | d;
}

AddressClass ClassifyV4(uint32_t a) {
  if (InV4(a, V4(0, 0, 0, 0), 8)) return AddressClass::kUnspecified;
  if (InV4(a, V4(127, 0, 0, 0), 8)) return AddressClass::kLoopback;
  if (InV4(a, V4(10, 0, 0, 0), 8) || InV4(a, V4(172, 16, 0, 0), 12) ||
      InV4(a, V4(192, 168, 0, 0), 16) || InV4(a, V4(100, 64, 0, 0), 10)) {
    return AddressClass::kPrivate;
  }
  if (InV4(a, V4(169, 254, 0, 0), 16)) return AddressClass::kLinkLocal;
  if (a == V4(255, 255, 255, 255) || InV4(a, V4(224, 0, 0, 0), 4)) return AddressClass::kMulticast;
  if (InV4(a, V4(192, 0, 0, 0), 24) || InV4(a, V4(192, 0, 2, 0), 24) ||
      InV4(a, V4(198, 18, 0, 0), 15) || InV4(a, V4(198, 51, 100, 0), 24) ||
      InV4(a, V4(203, 0, 113, 0), 24) || InV4(a, V4(192, 88, 99, 0), 24) ||
      InV4(a, V4(240, 0, 0, 0), 4)) {
    return AddressClass::kReserved;
  }
  return AddressClass::kPublic;
}

bool InV6(const ip::address_v6::bytes_type& a, std::array<uint8_t, 16> base, int prefix) {
  for (int bit = 0; bit < prefix; bit += 8) {
    const int bits = std::min(8, prefix - bit);
    const uint8_t mask = static_cast<uint8_t>(0xff << (8 - bits));
    if ((a[bit / 8] & mask) != (base[bit / 8] & mask)) return false;
  }
  return true;
}

}  // namespace

AddressClass ClassifyAddress(const ip::address& address) {
  if (address.is_v4()) return ClassifyV4(address.to_v4().to_uint());
  const ip::address_v6 v6 = address.to_v6();
  if (v6.is_v4_mapped()) {
    return ClassifyV4(ip::make_address_v4(ip::v4_mapped, v6).to_uint());
  }
  const auto b = v6.to_bytes();
  if (v6.is_unspecified()) return AddressClass::kUnspecified;
  if (v6.is_loopback()) return AddressClass::kLoopback;
  if (InV6(b, {0xfc}, 7)) return AddressClass::kPrivate;
  if (InV6(b, {0xfe, 0x80}, 10)) return AddressClass::kLinkLocal;
  if (InV6(b, {0xfe, 0xc0}, 10)) return AddressClass::kPrivate;  // deprecated site-local
  if (InV6(b, {0xff}, 8)) return AddressClass::kMulticast;
  // ::/96 (v4-compatible), ::ffff:0:0/96 (IPv4-translated), 64:ff9b::/96 and 64:ff9b:1::/48 (NAT64:
  // could reach any IPv4, private ones included), 100::/64 (discard), 2001::/23 (IETF protocol
  // assignments, Teredo), 2001:db8::/32 (documentation), 2002::/16 (6to4, embeds IPv4).
  if (InV6(b, {}, 96) || InV6(b, {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0}, 96) ||
      InV6(b, {0x00, 0x64, 0xff, 0x9b}, 32) || InV6(b, {0x01, 0x00}, 64) ||
      InV6(b, {0x20, 0x01, 0x00, 0x00}, 23) || InV6(b, {0x20, 0x01, 0x0d, 0xb8}, 32) ||
      InV6(b, {0x20, 0x02}, 16)) {
    return AddressClass::kReserved;
  }
  return AddressClass::kPublic;
}

absl::StatusOr<AddressPolicy> AddressPolicy::Parse(std::string_view networks) {
  AddressPolicy policy;
  for (absl::string_view part : absl::StrSplit(absl::string_view(networks.data(), networks.size()),
                                               ',', absl::SkipWhitespace())) {
    std::string text(absl::StripAsciiWhitespace(part));
    const size_t slash = text.find('/');
    boost::system::error_code ec;
    Network n;
    n.base = ip::make_address(text.substr(0, slash), ec);
    if (ec) return absl::InvalidArgumentError(StrCat("not an address: ", text));
    const int max = n.base.is_v4() ? 32 : 128;
    n.prefix = max;
    if (slash != std::string::npos &&
        (!absl::SimpleAtoi(text.substr(slash + 1), &n.prefix) || n.prefix < 0 || n.prefix > max)) {
      return absl::InvalidArgumentError(StrCat("bad prefix length: ", text));
    }
    policy.allowed_.push_back(n);
  }
  return policy;
}

bool AddressPolicy::Allows(const ip::address& address) const {
  if (ClassifyAddress(address) == AddressClass::kPublic) return true;
  ip::address a = address;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = ip::make_address_v4(ip::v4_mapped, a.to_v6());
  for (const Network& n : allowed_) {
    if (n.base.is_v4() != a.is_v4()) continue;
    if (a.is_v4()) {
      if (InV4(a.to_v4().to_uint(), n.base.to_v4().to_uint(), n.prefix)) return true;
    } else {
      const auto base = n.base.to_v6().to_bytes();
      std::array<uint8_t, 16> b;
      std::copy(base.begin(), base.end(), b.begin());
      if (InV6(a.to_v6().to_bytes(), b, n.prefix)) return true;
    }
  }
  return false;
}

}  // namespace tailor::api
