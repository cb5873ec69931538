// tailor keys create: a new API key for a tenant, printed alone on stdout.
#include <CLI/CLI.hpp>
#include <iostream>

#include "absl/time/clock.h"

#include "api/auth.h"
#include "app/command_registry.h"
#include "app/common_flags.h"
#include "domain/validation.h"
#include "spdlog/spdlog.h"

namespace tailor::app {
namespace {

struct KeysFlags {
  StoreFlags store;
  std::string tenant = "default";
  std::string role = "admin";
  std::string secret;
};

int RevokeKey(const KeysFlags& flags) {
  auto store = OpenStoreFromFlags(flags.store);
  if (!store.ok()) {
    std::cerr << "cannot open store: " << store.status().message() << "\n";
    return 1;
  }
  absl::Status s = api::RevokeApiKey(**store, flags.secret, absl::Now());
  if (!s.ok()) {
    std::cerr << "cannot revoke key: " << s.message() << "\n";
    return absl::IsNotFound(s) ? 3 : 1;
  }
  std::cerr << "revoked " << api::KeyPrefix(flags.secret) << "...\n";
  return 0;
}

int CreateKey(const KeysFlags& flags) {
  if (!domain::ValidateId(flags.tenant).ok()) {
    std::cerr << "--tenant must be 1-128 printable bytes\n";
    return 2;
  }
  auto store = OpenStoreFromFlags(flags.store);
  if (!store.ok()) {
    std::cerr << "cannot open store: " << store.status().message() << "\n";
    return 1;
  }
  auto secret = api::CreateApiKey(**store, flags.tenant, *domain::ParseRole(flags.role));
  if (!secret.ok()) {
    std::cerr << "cannot create key: " << secret.status().message() << "\n";
    return 1;
  }
  std::cout << *secret << "\n";
  return 0;
}

void AddKeys(CLI::App& app) {
  auto flags = std::make_shared<KeysFlags>();
  CLI::App* keys = app.add_subcommand("keys", "Manage API keys");
  keys->require_subcommand(1);
  CLI::App* create = keys->add_subcommand("create", "Create an API key and print it on stdout");
  AddStoreFlags(create, flags->store);
  create->add_option("--tenant", flags->tenant, "Tenant name (created if missing)")
      ->capture_default_str();
  create->add_option("--role", flags->role, "admin, write or read")
      ->check(CLI::IsMember({"admin", "write", "read"}))
      ->capture_default_str();
  create->callback([flags] { SetExitCode(CreateKey(*flags)); });
  CLI::App* revoke = keys->add_subcommand(
      "revoke", "Revoke an API key: every node refuses it once it follows the change log");
  AddStoreFlags(revoke, flags->store);
  revoke->add_option("--key", flags->secret, "The API key to revoke")->required();
  revoke->callback([flags] { SetExitCode(RevokeKey(*flags)); });
}
TAILOR_REGISTER_COMMAND(AddKeys);

void AddVersion(CLI::App& app) {
  app.add_subcommand("version", "Print the version")->callback([] {
    std::cout << "tailor " << TAILOR_VERSION << "\n";
  });
}
TAILOR_REGISTER_COMMAND(AddVersion);

}  // namespace
}  // namespace tailor::app
