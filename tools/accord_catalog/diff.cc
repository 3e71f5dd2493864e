// accord_catalog diff [--format=text|json] [--exit-code] OLD NEW
#include "absl/strings/match.h"
#include "service/catalog/loader.h"
#include "tools/accord_catalog/catalog_diff.h"
#include "tools/accord_catalog/command.h"

namespace accord::tools {

int RunDiff(const CommandContext& ctx) {
  std::string format = "text";
  bool exit_code = false;
  std::vector<std::string> dirs;
  for (const std::string& arg : ctx.args) {
    if (arg == "--format=text" || arg == "--format=json") {
      format = arg.substr(9);
    } else if (arg == "--exit-code") {
      exit_code = true;
    } else if (absl::StartsWith(arg, "-")) {
      dirs.clear();
      break;
    } else {
      dirs.push_back(arg);
    }
  }
  if (dirs.size() != 2) {
    *ctx.err << "usage: accord_catalog diff [--format=text|json] [--exit-code] OLD NEW\n";
    return kExitUsage;
  }
  absl::StatusOr<catalog::RawCatalog> before = catalog::ReadCatalogDirectory(dirs[0]);
  absl::StatusOr<catalog::RawCatalog> after = catalog::ReadCatalogDirectory(dirs[1]);
  for (const auto* side : {&before, &after}) {
    if (!side->ok()) {
      *ctx.err << side->status().message() << "\n";
      return kExitFindings;
    }
  }
  std::vector<ResourceChange> changes = DiffCatalogs(*before, *after);
  *ctx.out << (format == "json" ? FormatDiffJson(changes) + "\n" : FormatDiffText(changes));
  return exit_code && !changes.empty() ? kExitFindings : kExitOk;
}

}  // namespace accord::tools
