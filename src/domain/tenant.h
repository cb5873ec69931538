// Tenant and API key records. A tenant is one customer of Tailor; every row
// of every table belongs to exactly one tenant.
#ifndef TAILOR_DOMAIN_TENANT_H_
#define TAILOR_DOMAIN_TENANT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace tailor::domain {

using TenantId = int64_t;

struct Tenant {
  TenantId id = 0;
  std::string name;
  absl::Time created_at;
};

// Roles are ordered: admin may do what write may do, write what read may do.
enum class Role { kRead = 0, kWrite = 1, kAdmin = 2 };

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

struct ApiKey {
  std::string key_hash;  // hex SHA-256 of the secret; the secret is never stored
  std::string prefix;    // first characters of the secret, to tell keys apart in listings
  TenantId tenant_id = 0;
  Role role = Role::kRead;
  absl::Time created_at;
};

}  // namespace tailor::domain

#endif  // TAILOR_DOMAIN_TENANT_H_
