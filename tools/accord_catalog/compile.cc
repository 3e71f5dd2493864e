// accord_catalog compile DIR OUT: loads DIR exactly as the server does
// (read, validate, derive), then writes it as one compiled catalogue file
// (service/catalog/compiled_file.h) that `accord_server --catalog=OUT` maps
// instead of parsing, with the serving catalogue's eager indexes beside the
// records (so that the server reads them back instead of building them).
// OUT is replaced atomically (written beside it, then
// renamed), so a server watching it (--watch_catalog) never sees half a
// file.
#include "absl/strings/match.h"
#include "service/catalog/compiled_file.h"
#include "service/catalog/snapshot.h"
#include "service/serving/serving_catalog.h"
#include "tools/accord_catalog/command.h"

namespace accord::tools {

int RunCompile(const CommandContext& ctx) {
  if (ctx.args.size() != 2 || absl::StartsWith(ctx.args[0], "-") ||
      absl::StartsWith(ctx.args[1], "-")) {
    *ctx.err << "usage: accord_catalog compile DIR OUT\n";
    return kExitUsage;
  }
  // A build step reads whatever catalogue it is given: no size limit.
  catalog::LoadLimits limits;
  limits.max_total_bytes = int64_t{1} << 50;
  absl::StatusOr<std::shared_ptr<const catalog::Snapshot>> snapshot =
      catalog::Snapshot::Load(ctx.args[0], limits);
  if (!snapshot.ok()) {
    *ctx.err << snapshot.status().message() << "\n";
    return kExitFindings;
  }
  std::shared_ptr<const serving::ServingCatalog> served = serving::ServingCatalog::Build(*snapshot);
  if (absl::Status s = catalog::WriteCompiledCatalog(
          **snapshot, ctx.args[1], serving::ServingCatalog::IndexAttachments(*served));
      !s.ok()) {
    *ctx.err << s.message() << "\n";
    return kExitFindings;
  }
  size_t records = 0;
  for (catalog::CollectionId id : catalog::kAllCollections) {
    records += (*snapshot)->collection(id).size();
  }
  *ctx.out << ctx.args[1] << ": " << records << " records, version " << (*snapshot)->version()
           << ", format " << catalog::kCompiledFormatVersion << "\n";
  return kExitOk;
}

}  // namespace accord::tools
