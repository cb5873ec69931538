// The `tailor` binary: serve, import, keys, demo, version and the analyst
// commands registered by the other `*_command.cc` files of this folder.
#include <CLI/CLI.hpp>

#include "app/command_registry.h"

namespace tailor::app {

std::vector<CommandAdder>& CommandAdders() {
  static std::vector<CommandAdder> adders;
  return adders;
}

namespace {
int g_exit_code = 0;
}
void SetExitCode(int code) { g_exit_code = code; }
int ExitCode() { return g_exit_code; }

}  // namespace tailor::app

int main(int argc, char** argv) {
  CLI::App app{"Tailor: a self-hosted personalization engine"};
  app.require_subcommand(1);
  for (auto adder : tailor::app::CommandAdders()) adder(app);
  CLI11_PARSE(app, argc, argv);
  return tailor::app::ExitCode();
}
