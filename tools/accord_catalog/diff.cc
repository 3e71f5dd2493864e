#include "tools/accord_catalog/command.h"

namespace accord::tools {

int RunDiff(const CommandContext& ctx) {
  *ctx.err << "accord_catalog diff: not implemented yet\n";
  return kExitUsage;
}

}  // namespace accord::tools
