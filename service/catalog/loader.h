// Reads a catalogue directory from disk into one merged accord.v1.Catalog.
#ifndef ACCORD_SERVICE_CATALOG_LOADER_H_
#define ACCORD_SERVICE_CATALOG_LOADER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "accord/v1/catalog.pb.h"
#include "google/protobuf/arena.h"
#include "service/catalog/collections.h"

namespace accord::catalog {

// Where records came from, so that errors can name the file.
class RecordOrigins {
 public:
  // Records [previous end, end) of `collection` came from `file`.
  void Add(CollectionId collection, int end, std::string file);
  // The file that held record `index` of `collection`, or "" if unknown.
  const std::string& FileOf(CollectionId collection, int index) const;

 private:
  std::vector<std::pair<int, std::string>> ranges_[kCollectionCount];
};

// A catalogue as read from disk, before validation.
struct RawCatalog {
  std::unique_ptr<google::protobuf::Arena> arena;
  // Owned by `arena`.
  accord::v1::Catalog* catalog = nullptr;
  RecordOrigins origins;
  // Source id ("ustr-art-fact-sheet") to the text in texts/{id}.txt.
  absl::flat_hash_map<std::string, std::string> texts;
  // 16 hex digits hashing every file's name and bytes.
  std::string version;
  // The catalogue files read, relative to the directory, in load order.
  std::vector<std::string> files;
};

// Bounds on what a load may read.
struct LoadLimits {
  // Most bytes of catalogue files and source texts together. Checked on the
  // files' sizes before any is read, and per file before reading it.
  int64_t max_total_bytes = int64_t{64} << 20;  // 64 MiB
};

// Reads every `*.textproto` (protobuf text format) and `*.binpb` (binary)
// file directly in `directory`, in name order, each one accord.v1.Catalog,
// merged by concatenation; and `texts/{id}.txt` for every source
// `sources/{id}` in them (other files in texts/ are ignored: not read, not
// kept). Fails with InvalidArgument naming the file, line and column for a
// parse error; NotFound if the directory does not exist; FailedPrecondition
// if it holds no catalogue file, or naming the file if a listed
// `*.textproto`, `*.binpb` or needed text cannot be read as a regular file
// (dangling symlink, symlink loop, FIFO, directory, a file that vanished);
// ResourceExhausted if the files exceed `limits.max_total_bytes`, before
// reading them. Does not validate references or values.
absl::StatusOr<RawCatalog> ReadCatalogDirectory(const std::string& directory,
                                                const LoadLimits& limits);
// The same with the default LoadLimits.
absl::StatusOr<RawCatalog> ReadCatalogDirectory(const std::string& directory);

}  // namespace accord::catalog

#endif  // ACCORD_SERVICE_CATALOG_LOADER_H_
