// Subcommands of the `tailor` binary register themselves here, so each one
// lives in its own `*_command.cc` file compiled straight into the executable.
//
//   // in foo_command.cc
//   static void AddFoo(CLI::App& app) { auto* cmd = app.add_subcommand("foo", "..."); ... }
//   TAILOR_REGISTER_COMMAND(AddFoo);
//
// A command's callback returns through `SetExitCode`; main() returns it.
#ifndef TAILOR_APP_COMMAND_REGISTRY_H_
#define TAILOR_APP_COMMAND_REGISTRY_H_

#include <functional>
#include <vector>

namespace CLI {
class App;
}

namespace tailor::app {

using CommandAdder = void (*)(CLI::App&);

// All registered adders, in registration order (unspecified across files).
std::vector<CommandAdder>& CommandAdders();

struct CommandRegistrar {
  explicit CommandRegistrar(CommandAdder adder) { CommandAdders().push_back(adder); }
};

// Exit code reported by main() after the chosen subcommand ran.
void SetExitCode(int code);
int ExitCode();

}  // namespace tailor::app

#define TAILOR_REGISTER_COMMAND_CONCAT2(a, b) a##b
#define TAILOR_REGISTER_COMMAND_CONCAT(a, b) TAILOR_REGISTER_COMMAND_CONCAT2(a, b)
#define TAILOR_REGISTER_COMMAND(fn)                                               \
  static ::tailor::app::CommandRegistrar TAILOR_REGISTER_COMMAND_CONCAT(          \
      tailor_command_registrar_, __LINE__)(fn)

#endif  // TAILOR_APP_COMMAND_REGISTRY_H_
