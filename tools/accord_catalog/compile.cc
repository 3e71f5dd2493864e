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
  // --nosearch_index: no "@search" section (the server then builds the
  // search index at start-up, as from sources).
  bool search_index = true;
  std::vector<std::string> args;
  for (const std::string& arg : ctx.args) {
    if (arg == "--nosearch_index" || arg == "--search_index=false") {
      search_index = false;
    } else if (arg == "--search_index" || arg == "--search_index=true") {
      search_index = true;
    } else {
      args.push_back(arg);
    }
  }
  if (args.size() != 2 || absl::StartsWith(args[0], "-") || absl::StartsWith(args[1], "-")) {
    *ctx.err << "usage: accord_catalog compile [--nosearch_index] DIR OUT\n";
    return kExitUsage;
  }
  // A build step reads whatever catalogue it is given: no size limit.
  catalog::LoadLimits limits;
  limits.max_total_bytes = int64_t{1} << 50;
  absl::StatusOr<std::shared_ptr<const catalog::Snapshot>> snapshot =
      catalog::Snapshot::Load(args[0], limits);
  if (!snapshot.ok()) {
    *ctx.err << snapshot.status().message() << "\n";
    return kExitFindings;
  }
  std::shared_ptr<const serving::ServingCatalog> served = serving::ServingCatalog::Build(*snapshot);
  std::vector<catalog::Attachment> attachments = serving::ServingCatalog::IndexAttachments(*served);
  if (search_index) {
    absl::StatusOr<std::shared_ptr<const serving::ServingCatalog>> searchable =
        serving::ServingCatalog::WithSearchIndex(std::move(served));
    absl::StatusOr<catalog::Attachment> search =
        searchable.ok() ? serving::ServingCatalog::SearchAttachment(**searchable)
                        : absl::StatusOr<catalog::Attachment>(searchable.status());
    if (!search.ok()) {
      *ctx.err << search.status().message() << "\n";
      return kExitFindings;
    }
    attachments.push_back(*std::move(search));
  }
  if (absl::Status s = catalog::WriteCompiledCatalog(**snapshot, args[1], attachments); !s.ok()) {
    *ctx.err << s.message() << "\n";
    return kExitFindings;
  }
  size_t records = 0;
  for (catalog::CollectionId id : catalog::kAllCollections) {
    records += (*snapshot)->collection(id).size();
  }
  *ctx.out << args[1] << ": " << records << " records, version " << (*snapshot)->version()
           << ", format " << catalog::kCompiledFormatVersion
           << (search_index ? ", with the search index" : ", without the search index") << "\n";
  return kExitOk;
}

}  // namespace accord::tools
