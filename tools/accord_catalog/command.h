// The subcommands of the `accord_catalog` editor tool. Each lives in its own
// file (validate.cc, diff.cc, fmt.cc, ...) and is listed once in the table in
// main.cc.
#ifndef ACCORD_TOOLS_ACCORD_CATALOG_COMMAND_H_
#define ACCORD_TOOLS_ACCORD_CATALOG_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace accord::tools {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
// The input has a problem the command reports (invalid catalogue, files not
// in canonical layout, catalogues that differ under `diff --exit-code`).
inline constexpr int kExitFindings = 1;
// Bad usage: unknown flag, wrong number of arguments.
inline constexpr int kExitUsage = 2;

// What a subcommand runs with: its arguments (after the subcommand's name)
// and where to write its report and its errors.
struct CommandContext {
  std::vector<std::string> args;
  std::ostream* out;
  std::ostream* err;
};

// One subcommand: its name, a one-line usage and summary for `help`, and the
// function that runs it and returns the process exit code.
struct Command {
  const char* name;
  const char* usage;
  const char* summary;
  int (*run)(const CommandContext& ctx);
};

// Subcommands. Each returns kExitOk, kExitFindings or kExitUsage.
int RunValidate(const CommandContext& ctx);
int RunDiff(const CommandContext& ctx);
int RunFmt(const CommandContext& ctx);
int RunCompile(const CommandContext& ctx);

// Runs the subcommand named by args[0] from `commands`; `help`, `--help` or
// no argument prints the list. Returns the exit code.
int Dispatch(const std::vector<Command>& commands, const std::vector<std::string>& args,
             std::ostream& out, std::ostream& err);

}  // namespace accord::tools

#endif  // ACCORD_TOOLS_ACCORD_CATALOG_COMMAND_H_
