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
  switch (id) {
    case CollectionId::kCountries: return c.countries_size();
    case CollectionId::kPartnerships: return c.partnerships_size();
    case CollectionId::kAgreements: return c.agreements_size();
    case CollectionId::kCommitments: return c.commitments_size();
    case CollectionId::kCooperationAreas: return c.cooperation_areas_size();
    case CollectionId::kSectors: return c.sectors_size();
    case CollectionId::kSources: return c.sources_size();
    case CollectionId::kAssessments: return c.assessments_size();
  }
  return 0;
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
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    if (!entry.is_regular_file()) continue;
    std::string ext = entry.path().extension().string();
    if (ext == ".textproto" || ext == ".binpb") files.push_back(entry.path());
  }
  if (ec) return absl::UnavailableError(absl::StrCat(directory, ": ", ec.message()));
  if (files.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "catalogue directory \"", directory, "\" holds no *.textproto or *.binpb file"));
  }
  std::sort(files.begin(), files.end());

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
    std::vector<fs::path> texts;
    for (const auto& entry : fs::directory_iterator(texts_dir, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".txt") {
        texts.push_back(entry.path());
      }
    }
    std::sort(texts.begin(), texts.end());
    for (const fs::path& path : texts) {
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
