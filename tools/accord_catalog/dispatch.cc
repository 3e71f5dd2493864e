#include <string>
#include <vector>

#include "tools/accord_catalog/command.h"

namespace accord::tools {
namespace {

void PrintHelp(const std::vector<Command>& commands, std::ostream& out) {
  out << "usage: accord_catalog COMMAND [ARGS]\n\n"
         "Checks, compares, formats and compiles an Accord catalogue directory.\n\n"
         "commands:\n";
  for (const Command& c : commands) {
    out << "  " << c.usage << "\n      " << c.summary << "\n";
  }
}

}  // namespace

int Dispatch(const std::vector<Command>& commands, const std::vector<std::string>& args,
             std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    PrintHelp(commands, err);
    return kExitUsage;
  }
  if (args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    PrintHelp(commands, out);
    return kExitOk;
  }
  for (const Command& c : commands) {
    if (args[0] == c.name) {
      CommandContext ctx{std::vector<std::string>(args.begin() + 1, args.end()), &out, &err};
      return c.run(ctx);
    }
  }
  err << "accord_catalog: unknown command \"" << args[0] << "\"\n";
  PrintHelp(commands, err);
  return kExitUsage;
}

}  // namespace accord::tools
