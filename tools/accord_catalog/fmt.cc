// accord_catalog fmt [--check] DIR: rewrites every *.textproto file directly
// in DIR in the canonical layout (see textproto_format.h). With --check,
// writes nothing, lists the files that are not in canonical layout and
// exits 1 if there are any.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "accord/v1/catalog.pb.h"
#include "tools/accord_catalog/command.h"
#include "tools/accord_catalog/textproto_format.h"

namespace accord::tools {
namespace fs = std::filesystem;

int RunFmt(const CommandContext& ctx) {
  bool check = false;
  std::string dir;
  for (const std::string& arg : ctx.args) {
    if (arg == "--check") {
      check = true;
    } else if (absl::StartsWith(arg, "-") || !dir.empty()) {
      dir.clear();
      break;
    } else {
      dir = arg;
    }
  }
  if (dir.empty()) {
    *ctx.err << "usage: accord_catalog fmt [--check] DIR\n";
    return kExitUsage;
  }
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".textproto")
      files.push_back(it->path());
  }
  if (ec) {
    *ctx.err << dir << ": " << ec.message() << "\n";
    return kExitFindings;
  }
  std::sort(files.begin(), files.end());
  int unformatted = 0;
  int failed = 0;
  for (const fs::path& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    std::string text = std::move(bytes).str();
    absl::StatusOr<std::string> formatted =
        FormatTextproto(text, accord::v1::Catalog::descriptor());
    if (!formatted.ok()) {
      *ctx.err << path.string() << ":" << formatted.status().message() << "\n";
      ++failed;
      continue;
    }
    if (*formatted == text) continue;
    ++unformatted;
    if (check) {
      *ctx.out << path.string() << ": not in canonical layout (run accord_catalog fmt " << dir
               << ")\n";
      continue;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << *formatted;
    if (!out) {
      *ctx.err << path.string() << ": cannot write\n";
      ++failed;
      continue;
    }
    *ctx.out << path.string() << ": formatted\n";
  }
  if (failed > 0) return kExitFindings;
  return check && unformatted > 0 ? kExitFindings : kExitOk;
}

}  // namespace accord::tools
