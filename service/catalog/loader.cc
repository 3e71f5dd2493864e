#include "service/catalog/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace accord::catalog {
namespace fs = std::filesystem;
namespace {

// FNV-1a, 64 bit: stable across builds and processes, unlike absl::Hash,
// so that replicas loading the same files report the same version.
class Fnv64 {
 public:
  void Update(absl::string_view bytes) {
    for (unsigned char c : bytes) {
      hash_ ^= c;
      hash_ *= 0x100000001b3ULL;
    }
  }
  std::string Hex() const { return absl::StrFormat("%016x", hash_); }

 private:
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

absl::StatusOr<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path.string(), ": cannot open"));
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat(path.string(), ": read failed"));
  return std::move(out).str();
}

class TextErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  explicit TextErrorCollector(std::string file) : file_(std::move(file)) {}
  void AddError(int line, int column, const std::string& message) override {
    if (first_.empty()) {
      first_ = absl::StrCat(file_, ":", line + 1, ":", column + 1, ": ", message);
    }
  }
  const std::string& first() const { return first_; }

 private:
  std::string file_;
  std::string first_;
};

int CountOf(const accord::v1::Catalog& c, CollectionId id) {
  return c.GetReflection()->FieldSize(c, registry::Get(id).catalog_field);
}

// The regular files directly in `directory` with one of `extensions`, in
// name order. Uses the error-code overloads throughout: a file that vanishes
// during a reload must give an error, not an exception.
absl::StatusOr<std::vector<fs::path>> ListFiles(const std::string& directory,
                                                std::initializer_list<const char*> extensions) {
  std::error_code ec;
  std::vector<fs::path> out;
  fs::directory_iterator it(directory, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec) || type_ec) continue;
    std::string ext = it->path().extension().string();
    for (const char* wanted : extensions) {
      if (ext == wanted) out.push_back(it->path());
    }
  }
  if (ec) return absl::UnavailableError(absl::StrCat(directory, ": ", ec.message()));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

void RecordOrigins::Add(CollectionId collection, int end, std::string file) {
  auto& ranges = ranges_[static_cast<int>(collection)];
  if (!ranges.empty() && ranges.back().first == end) return;  // the file added none
  ranges.emplace_back(end, std::move(file));
}

const std::string& RecordOrigins::FileOf(CollectionId collection, int index) const {
  static const std::string kUnknown;
  const auto& ranges = ranges_[static_cast<int>(collection)];
  auto it = std::upper_bound(ranges.begin(), ranges.end(), index,
                             [](int i, const auto& range) { return i < range.first; });
  return it == ranges.end() ? kUnknown : it->second;
}

absl::StatusOr<RawCatalog> ReadCatalogDirectory(const std::string& directory) {
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    return absl::NotFoundError(
        absl::StrCat("catalogue directory \"", directory, "\" does not exist"));
  }
  absl::StatusOr<std::vector<fs::path>> listed =
      ListFiles(directory, {".textproto", ".binpb"});
  if (!listed.ok()) return listed.status();
  std::vector<fs::path> files = *std::move(listed);
  if (files.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "catalogue directory \"", directory, "\" holds no *.textproto or *.binpb file"));
  }
  RawCatalog raw;
  raw.arena = std::make_unique<google::protobuf::Arena>();
  raw.catalog = google::protobuf::Arena::CreateMessage<accord::v1::Catalog>(raw.arena.get());
  Fnv64 hash;
  for (const fs::path& path : files) {
    std::string display = path.string();
    absl::StatusOr<std::string> bytes = ReadFile(path);
    if (!bytes.ok()) return bytes.status();
    hash.Update(path.filename().string());
    hash.Update(absl::string_view("\0", 1));
    hash.Update(*bytes);
    if (path.extension() == ".binpb") {
      // MergeFromString appends repeated fields, which is the merge we want.
      if (!raw.catalog->MergeFromString(*bytes)) {
        return absl::InvalidArgumentError(
            absl::StrCat(display, ": not a valid binary accord.v1.Catalog"));
      }
    } else {
      google::protobuf::TextFormat::Parser parser;
      TextErrorCollector errors(display);
      parser.RecordErrorsTo(&errors);
      if (!parser.MergeFromString(*bytes, raw.catalog)) {
        return absl::InvalidArgumentError(errors.first().empty()
                                              ? absl::StrCat(display, ": parse error")
                                              : errors.first());
      }
    }
    for (CollectionId id : kAllCollections) {
      raw.origins.Add(id, CountOf(*raw.catalog, id), display);
    }
    raw.files.push_back(path.filename().string());
  }

  fs::path texts_dir = fs::path(directory) / "texts";
  if (fs::is_directory(texts_dir, ec)) {
    absl::StatusOr<std::vector<fs::path>> texts = ListFiles(texts_dir.string(), {".txt"});
    if (!texts.ok()) return texts.status();
    for (const fs::path& path : *texts) {
      absl::StatusOr<std::string> bytes = ReadFile(path);
      if (!bytes.ok()) return bytes.status();
      hash.Update(absl::StrCat("texts/", path.filename().string()));
      hash.Update(absl::string_view("\0", 1));
      hash.Update(*bytes);
      raw.texts[path.stem().string()] = *std::move(bytes);
    }
  }
  raw.version = hash.Hex();
  return raw;
}

}  // namespace accord::catalog
