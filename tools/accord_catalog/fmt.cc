#include "tools/accord_catalog/command.h"

namespace accord::tools {

int RunFmt(const CommandContext& ctx) {
  *ctx.err << "accord_catalog fmt: not implemented yet\n";
  return kExitUsage;
}

}  // namespace accord::tools
