// tailor import / tailor demo: bulk loading into a tenant.
#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "absl/time/clock.h"
#include "app/command_registry.h"
#include "app/common_flags.h"
#include "importer/demo_data.h"
#include "importer/importer.h"

namespace tailor::app {
namespace {

struct ImportFlags {
  StoreFlags store;
  std::string tenant = "default";
  std::string path;
  importer::ImportOptions options;
  bool quiet = false;
};

int RunImport(ImportFlags& flags) {
  std::optional<OpenedTenant> opened = OpenTenant(flags.store, flags.tenant);
  if (!opened) return 1;
  flags.options.progress = !flags.quiet;
  absl::Time start = absl::Now();
  auto s = importer::Import(*opened->store, opened->tenant, flags.path, flags.options, std::cerr);
  if (!s.ok()) {
    std::cerr << "import failed: " << s.status().message() << "\n";
    return 1;
  }
  double secs = absl::ToDoubleSeconds(absl::Now() - start);
  std::cout << "imported into tenant \"" << flags.tenant << "\": " << s->users << " users, "
            << s->items << " items, " << s->events_accepted << " events (" << s->events_duplicate
            << " duplicates skipped), " << s->bad_rows << " bad rows skipped, " << s->lines
            << " lines in " << secs << " s\n";
  return 0;
}

void AddImport(CLI::App& app) {
  auto flags = std::make_shared<ImportFlags>();
  CLI::App* cmd = app.add_subcommand("import", "Load users, items or events from files");
  AddStoreFlags(cmd, flags->store);
  cmd->add_option("--tenant", flags->tenant, "Tenant name (created if missing)")->capture_default_str();
  cmd->add_option("--format", flags->options.format, "jsonl, csv, ml-100k, ml-1m or ml-latest")
      ->required()
      ->check(CLI::IsMember({"jsonl", "csv", "ml-100k", "ml-1m", "ml-latest"}));
  cmd->add_option("--kind", flags->options.kind, "users, items or events (jsonl and csv)")
      ->check(CLI::IsMember({"users", "items", "events"}));
  cmd->add_option("--batch-size", flags->options.batch_size, "Rows per transaction");
  cmd->add_flag("--quiet", flags->quiet, "No progress bar");
  cmd->add_option("path", flags->path, "File (jsonl, csv) or MovieLens directory")->required();
  cmd->callback([flags] { SetExitCode(RunImport(*flags)); });
}
TAILOR_REGISTER_COMMAND(AddImport);

struct DemoFlags {
  StoreFlags store;
  std::string tenant = "default";
  importer::DemoOptions options;
};

int RunDemo(const DemoFlags& flags) {
  std::optional<OpenedTenant> opened = OpenTenant(flags.store, flags.tenant);
  if (!opened) return 1;
  auto s = importer::GenerateDemo(*opened->store, opened->tenant, flags.options, absl::Now());
  if (!s.ok()) {
    std::cerr << "demo failed: " << s.status().message() << "\n";
    return 1;
  }
  std::cout << "demo tenant \"" << flags.tenant << "\": " << s->users << " users, " << s->items
            << " items, " << s->events << " events\n";
  return 0;
}

void AddDemo(CLI::App& app) {
  auto flags = std::make_shared<DemoFlags>();
  CLI::App* cmd = app.add_subcommand("demo", "Generate a realistic synthetic tenant");
  AddStoreFlags(cmd, flags->store);
  cmd->add_option("--tenant", flags->tenant, "Tenant name")->capture_default_str();
  cmd->add_option("--users", flags->options.users, "Number of users")->capture_default_str();
  cmd->add_option("--items", flags->options.items, "Number of items")->capture_default_str();
  cmd->add_option("--days", flags->options.days, "Days of history")->capture_default_str();
  cmd->add_option("--seed", flags->options.seed, "Random seed")->capture_default_str();
  cmd->callback([flags] { SetExitCode(RunDemo(*flags)); });
}
TAILOR_REGISTER_COMMAND(AddDemo);

}  // namespace
}  // namespace tailor::app
