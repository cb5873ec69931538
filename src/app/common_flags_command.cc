// Shared flag handling (no subcommand of its own; the file name keeps it in
// the executable's glob).
#include <iostream>
#include <CLI/CLI.hpp>
#include <filesystem>

#include "app/common_flags.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"
#include "storage/store_url.h"

namespace tailor::app {

std::string StoreFlags::Url() const {
  return store_url.empty() ? "sqlite://" + data_dir + "/tailor.db" : store_url;
}

void AddStoreFlags(CLI::App* cmd, StoreFlags& flags) {
  cmd->add_option("--data-dir", flags.data_dir, "Directory for the embedded store")
      ->capture_default_str();
  cmd->add_option("--store", flags.store_url, "Store URL (default sqlite://DATA_DIR/tailor.db)");
  cmd->add_option("--sync", flags.sync,
                  "SQLite durability: full (survives power loss) or normal (survives a crash)")
      ->check(CLI::IsMember({"full", "normal"}));
  cmd->add_option("--log-level", flags.log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
}

absl::StatusOr<std::unique_ptr<storage::Store>> OpenStoreFromFlags(const StoreFlags& flags) {
  auto logger = spdlog::stderr_color_mt("tailor");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(flags.log_level));
  if (flags.store_url.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(flags.data_dir, ec);
    if (ec) {
      return absl::FailedPreconditionError("cannot create " + flags.data_dir + ": " +
                                           ec.message());
    }
  }
  storage::StoreOptions options;
  options.synchronous = flags.sync;
  return storage::OpenStore(flags.Url(), options);
}

std::optional<OpenedTenant> OpenTenant(const StoreFlags& flags, const std::string& name) {
  auto store = OpenStoreFromFlags(flags);
  if (!store.ok()) {
    std::cerr << "cannot open store: " << store.status().message() << "\n";
    return std::nullopt;
  }
  auto tenant = (*store)->EnsureTenant(name);
  if (!tenant.ok()) {
    std::cerr << tenant.status().message() << "\n";
    return std::nullopt;
  }
  return OpenedTenant{std::move(*store), tenant->id};
}

}  // namespace tailor::app
