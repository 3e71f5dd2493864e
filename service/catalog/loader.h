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

// Reads every `*.textproto` (protobuf text format) and `*.binpb` (binary)
// file directly in `directory`, in name order, each one accord.v1.Catalog,
// merged by concatenation; and every `texts/*.txt` file. Fails with
// InvalidArgument naming the file, line and column for a parse error,
// NotFound if the directory does not exist, and FailedPrecondition if it
// holds no catalogue file. Does not validate references or values.
absl::StatusOr<RawCatalog> ReadCatalogDirectory(const std::string& directory);

}  // namespace accord::catalog

#endif  // ACCORD_SERVICE_CATALOG_LOADER_H_
