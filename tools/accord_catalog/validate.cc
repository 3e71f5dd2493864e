// accord_catalog validate DIR: loads DIR exactly as the server does
// (Snapshot::Load: read, validate, index), then checks that evidence
// locators point into their sources, and reports the first problem as
//   FILE:LINE:COLUMN: RECORD: FIELD: PROBLEM
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/catalog/locators.h"
#include "service/catalog/snapshot.h"
#include "tools/accord_catalog/command.h"
#include "tools/accord_catalog/locate.h"

namespace accord::tools {
namespace {

std::optional<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

// Adds the line and column to a validator message when the record (and its
// field) can be found in the file's text.
std::string WithLine(const std::string& message) {
  std::optional<ValidationMessage> m = SplitValidationMessage(message);
  if (!m.has_value() || !absl::EndsWith(m->file, ".textproto")) return message;
  std::optional<std::string> text = ReadWhole(m->file);
  if (!text.has_value()) return message;
  std::optional<TextLocation> loc = LocateInTextproto(*text, m->record, m->path);
  if (!loc.has_value()) return message;
  return absl::StrCat(m->file, ":", loc->line, ":", loc->column, ": ", m->record, ": ",
                      m->path.empty() ? "" : absl::StrCat(m->path, ": "), m->problem);
}

}  // namespace

int RunValidate(const CommandContext& ctx) {
  if (ctx.args.size() != 1 || absl::StartsWith(ctx.args[0], "-")) {
    *ctx.err << "usage: accord_catalog validate DIR\n";
    return kExitUsage;
  }
  absl::StatusOr<std::shared_ptr<const catalog::Snapshot>> snapshot =
      catalog::Snapshot::Load(ctx.args[0]);
  if (!snapshot.ok()) {
    *ctx.err << WithLine(std::string(snapshot.status().message())) << "\n";
    return kExitFindings;
  }
  // The editor's check beyond the server's: locators point into sources.
  absl::StatusOr<catalog::RawCatalog> raw = catalog::ReadCatalogDirectory(ctx.args[0]);
  absl::Status locators = raw.ok() ? catalog::CheckEvidenceLocators(*raw) : raw.status();
  if (!locators.ok()) {
    *ctx.err << WithLine(std::string(locators.message())) << "\n";
    return kExitFindings;
  }
  const catalog::Snapshot& s = **snapshot;
  size_t records = 0;
  for (catalog::CollectionId id : catalog::kAllCollections) records += s.collection(id).size();
  *ctx.out << ctx.args[0] << ": OK: " << records << " records in " << s.files().size()
           << " files, version " << s.version() << "\n";
  return kExitOk;
}

}  // namespace accord::tools
