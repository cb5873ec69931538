// tailor train: trains a tenant's recommendation models from its stored
// events, registers them (version, params, data size, time, offline
// metrics) under <data-dir>/models, where `tailor serve` loads them.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>

#include "app/command_registry.h"
#include "common/json_text.h"
#include "app/common_flags.h"
#include "common/clock.h"
#include "jobs/training.h"
#include "serving/engine.h"

namespace tailor::app {
namespace {

namespace json = boost::json;

struct TrainFlags {
  StoreFlags store;
  std::string tenant = "default";
  std::vector<std::string> models = {"popularity", "itemknn", "ease", "ials"};
  std::string params = "{}";
  bool json_output = false;
};

int Train(const TrainFlags& flags) {
  boost::system::error_code ec;
  json::value params = json::parse(flags.params, ec);
  if (ec || !params.is_object()) {
    std::cerr << "--params must be a JSON object such as {\"ease\":{\"l2\":500}}\n";
    return 2;
  }
  std::optional<OpenedTenant> opened = OpenTenant(flags.store, flags.tenant);
  if (!opened) return 1;
  serving::Engine engine(*opened->store,
                         {.config_dir = (std::filesystem::path(flags.store.data_dir) / "models").string()});
  absl::StatusOr<serving::TenantRuntime*> runtime = engine.Tenant(opened->tenant);
  if (!runtime.ok()) {
    std::cerr << runtime.status().message() << "\n";
    return 1;
  }
  json::array out;
  int failures = 0;
  for (const std::string& name : flags.models) {
    json::object model_params;
    if (const json::value* p = params.get_object().if_contains(name); p && p->is_object()) {
      model_params = p->get_object();
    }
    absl::StatusOr<serving::ModelRecord> r =
        jobs::TrainModel(**runtime, name, model_params, Clock::Real());
    if (!r.ok()) {
      std::cerr << name << ": " << r.status().message() << "\n";
      ++failures;
      continue;
    }
    json::object rec = r->ToJson();
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    rec["peak_rss_mb"] = usage.ru_maxrss / 1024;  // of the whole process so far
    out.push_back(rec);
    if (!flags.json_output) {
      std::cout << name << " v" << r->version << ": " << r->num_interactions
                << " interactions, " << r->training_seconds << " s, hr@10 "
                << r->metrics.at("hr@10").to_number<double>() << ", ndcg@10 "
                << r->metrics.at("ndcg@10").to_number<double>();
      if (!r->insufficient_data.empty()) {
        std::cout << " (not served: " << r->insufficient_data << ")";
      }
      std::cout << "\n";
    }
  }
  if (flags.json_output) std::cout << JsonText(out) << "\n";
  return failures == 0 ? 0 : 1;
}

void AddTrain(CLI::App& app) {
  auto flags = std::make_shared<TrainFlags>();
  CLI::App* cmd = app.add_subcommand("train", "Train and register a tenant's recommendation models");
  AddStoreFlags(cmd, flags->store);
  cmd->add_option("--tenant", flags->tenant, "Tenant name")->capture_default_str();
  cmd->add_option("--models", flags->models, "Models to train")->delimiter(',');
  cmd->add_option("--params", flags->params,
                  "Hyper-parameters per model as JSON, e.g. {\"ease\":{\"l2\":500}}");
  cmd->add_flag("--json", flags->json_output, "Print the registered records as JSON");
  cmd->callback([flags] { SetExitCode(Train(*flags)); });
}
TAILOR_REGISTER_COMMAND(AddTrain);

}  // namespace
}  // namespace tailor::app
