// Catalogue storage: an immutable, validated catalogue, its records in name
// order as messages and as wire bytes. Includes nothing above
// service/catalog; the serving catalogue (service/serving) adds schemas and
// indexes.
#ifndef ACCORD_SERVICE_CATALOG_SNAPSHOT_H_
#define ACCORD_SERVICE_CATALOG_SNAPSHOT_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "accord/v1/catalog.pb.h"
#include "google/protobuf/message.h"
#include "service/catalog/collections.h"
#include "service/catalog/loader.h"

namespace accord::catalog {

// The records of one collection, sorted by name, with a name index. Storage
// only: schemas and indexes are built above it (service/serving).
class Collection {
 public:
  CollectionId id() const { return id_; }
  size_t size() const { return records_.size(); }
  // Record `i` in name order, and its name.
  const google::protobuf::Message& record(size_t i) const { return *records_[i]; }
  // Every record, in name order.
  const std::vector<const google::protobuf::Message*>& records() const { return records_; }
  // Record `i` in name order as its serialized bytes (the wire form a Get
  // returns), kept once in one contiguous arena for the collection. Valid as
  // long as the snapshot is.
  absl::string_view bytes(size_t i) const {
    return absl::string_view(arena_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  absl::string_view name(size_t i) const { return names_[i]; }
  // The record called `name`, or nullptr.
  const google::protobuf::Message* Find(absl::string_view name) const;
  // The position of `name` in name order, or -1.
  int64_t IndexOf(absl::string_view name) const;
  // The half-open range of positions whose names start with `prefix`
  // (e.g. "agreements/x/" for the commitments of one agreement).
  std::pair<size_t, size_t> RangeWithPrefix(absl::string_view prefix) const;

 private:
  friend class Snapshot;
  CollectionId id_ = CollectionId::kCountries;
  std::vector<const google::protobuf::Message*> records_;
  std::vector<absl::string_view> names_;
  std::string arena_;              // every record's bytes, in name order
  std::vector<uint64_t> offsets_;  // record i is arena_[offsets_[i], offsets_[i+1])
  absl::flat_hash_map<absl::string_view, uint32_t> index_;
};

// A loaded catalogue. Immutable once built, so request handlers share it
// across threads without locks; a reload builds a new one and swaps the
// pointer.
class Snapshot {
 public:
  // Reads, validates and arranges the catalogue in `directory`. On failure
  // the error names the file, record and problem (see ValidateCatalog).
  static absl::StatusOr<std::shared_ptr<const Snapshot>> Load(const std::string& directory,
                                                              const LoadLimits& limits = {});

  // Validates and arranges an already-read catalogue.
  static absl::StatusOr<std::shared_ptr<const Snapshot>> Build(RawCatalog raw,
                                                               std::string directory);

  const Collection& collection(CollectionId id) const { return collections_[static_cast<int>(id)]; }
  // Content hash of the files loaded: 16 hex digits.
  const std::string& version() const { return raw_.version; }
  const std::string& directory() const { return directory_; }
  const std::vector<std::string>& files() const { return raw_.files; }
  absl::Time load_time() const { return load_time_; }
  absl::Duration load_duration() const { return load_duration_; }
  const accord::v1::Catalog& catalog() const { return *raw_.catalog; }

 private:
  Snapshot() = default;
  void Arrange();

  RawCatalog raw_;
  std::string directory_;
  std::array<Collection, kCollectionCount> collections_;
  absl::Time load_time_;
  absl::Duration load_duration_;
};

}  // namespace accord::catalog

#endif  // ACCORD_SERVICE_CATALOG_SNAPSHOT_H_
