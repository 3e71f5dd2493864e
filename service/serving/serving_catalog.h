// The serving catalogue: catalogue storage (service/catalog) composed with
// what queries need, the schemas (with aliases and computed fields) and the
// indexes. Built once per load and swapped whole by CatalogStore.
#ifndef ACCORD_SERVICE_SERVING_SERVING_CATALOG_H_
#define ACCORD_SERVICE_SERVING_SERVING_CATALOG_H_

#include <array>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "service/catalog/reclaimer.h"
#include "service/catalog/snapshot.h"
#include "service/index/collection_index.h"
#include "service/query/schema.h"
#include "service/registry/registry.h"
#include "service/search/search_index.h"

namespace accord::serving {

using CollectionIndex = ::accord::index::CollectionIndex;
using registry::CollectionId;

// One collection as queries see it: its stored records, its schema and its
// indexes. The record accessors forward to storage.
class Collection {
 public:
  CollectionId id() const { return records_->id(); }
  size_t size() const { return records_->size(); }
  // Record `i` parsed into `arena` (see catalog::Collection::Parse).
  google::protobuf::Message* Parse(size_t i, google::protobuf::Arena* arena) const {
    return records_->Parse(i, arena);
  }
  absl::string_view bytes(size_t i) const { return records_->bytes(i); }
  absl::string_view name(size_t i) const { return records_->name(i); }
  bool Contains(absl::string_view name) const { return records_->Contains(name); }
  int64_t IndexOf(absl::string_view name) const { return records_->IndexOf(name); }
  std::pair<size_t, size_t> RangeWithPrefix(absl::string_view prefix) const {
    return records_->RangeWithPrefix(prefix);
  }
  // The stored collection.
  const catalog::Collection& records() const { return *records_; }
  // The fields filters and order_by may name.
  const query::Schema& schema() const { return *schema_; }
  // Value indexes and sorted columns over the records.
  const CollectionIndex& index() const { return *index_; }

 private:
  friend class ServingCatalog;
  const catalog::Collection* records_ = nullptr;
  std::unique_ptr<query::Schema> schema_;
  std::unique_ptr<CollectionIndex> index_;
};

// Immutable once built, so request handlers share it across threads without
// locks.
class ServingCatalog {
 public:
  // Loads the catalogue storage from `directory` and builds the schemas and
  // indexes over it, reading within `limits`. Errors are those of
  // catalog::Snapshot::Load.
  static absl::StatusOr<std::shared_ptr<const ServingCatalog>> Load(
      const std::string& directory, const catalog::LoadLimits& limits = {});

  // Builds the schemas and indexes over loaded storage (from its records,
  // whatever the storage carries).
  static std::shared_ptr<const ServingCatalog> Build(
      std::shared_ptr<const catalog::Snapshot> storage);

  // Validates and arranges `raw` (catalog::Snapshot::Build) and builds the
  // schemas and indexes from the parsed records before storage frees them,
  // so that nothing is parsed twice. The result, and every error, is that
  // of Snapshot::Build followed by Build. Load uses it for a directory.
  // The parsed catalogue is freed on `reclaimer`'s thread after the
  // indexes are built (Snapshot::Build), so that the catalogue is returned
  // (and can serve) while that memory is still being freed; nullptr frees
  // it before returning.
  static absl::StatusOr<std::shared_ptr<const ServingCatalog>> BuildFromSources(
      catalog::RawCatalog raw, std::string directory,
      catalog::Reclaimer* reclaimer = &catalog::Reclaimer::Default());

  // The same, but the indexes that a compiled catalogue carries (written
  // by `accord_catalog compile` from IndexAttachments) are read back
  // instead of built: the eager value indexes, sorted columns and child
  // parents of each collection; lazy ones are still built on first use.
  // Queries answer exactly as after Build. The index attachments'
  // checksums are verified first (Snapshot::VerifyAttachments); DataLoss
  // when one does not match or an index does not decode. Load uses it.
  static absl::StatusOr<std::shared_ptr<const ServingCatalog>> FromStorage(
      std::shared_ptr<const catalog::Snapshot> storage);

  // The built indexes of `catalog` (right after Build, before it serves),
  // one attachment per collection ("@ix/agreements"), for
  // catalog::WriteCompiledCatalog.
  static std::vector<catalog::Attachment> IndexAttachments(const ServingCatalog& catalog);

  const Collection& collection(CollectionId id) const { return collections_[static_cast<int>(id)]; }
  const catalog::Snapshot& storage() const { return *storage_; }
  // Content hash of the files loaded: 16 hex digits.
  const std::string& version() const { return storage_->version(); }
  const std::string& directory() const { return storage_->directory(); }
  const std::vector<std::string>& files() const { return storage_->files(); }
  absl::Time load_time() const { return load_time_; }
  // Reading, validating, arranging and indexing.
  absl::Duration load_duration() const { return load_duration_; }

  // Full-text search (serving_search.cc). The index is part of the
  // catalogue: built before the catalogue serves, swapped with it.
  //
  // `catalog` with the full-text index of every collection's records
  // attached; `catalog` must not be shared yet (use_count 1: straight from
  // Load or Build). When the storage is a compiled file carrying a
  // kSearchAttachment section (`accord_catalog compile`), the index is
  // opened in place from the file (nothing built or copied); DataLoss,
  // naming the file, when that section does not belong to this catalogue
  // (another content version, other record counts) or is damaged: the load
  // fails rather than serve wrong results or silently spend minutes
  // building. Otherwise (sources, or compiled with --nosearch_index) the
  // index is built, with the errors of search::SearchIndex::Build.
  static absl::StatusOr<std::shared_ptr<const ServingCatalog>> WithSearchIndex(
      std::shared_ptr<const ServingCatalog> catalog, const search::BuildOptions& options = {});
  // The compiled-catalogue section holding the search index.
  static constexpr absl::string_view kSearchAttachment = "@search";
  // The search index of `catalog` (built by WithSearchIndex) as the
  // kSearchAttachment section for catalog::WriteCompiledCatalog, tagged
  // with the catalogue's content version. FailedPrecondition without an
  // index, or when the index was itself opened from a compiled file.
  static absl::StatusOr<catalog::Attachment> SearchAttachment(const ServingCatalog& catalog);
  // The full-text index, or nullptr if the catalogue was loaded without one
  // (--search_index=off).
  const search::SearchIndex* search_index() const { return search_index_.get(); }
  // How long building the search index took (zero without one); also
  // counted in load_duration().
  absl::Duration search_index_duration() const { return search_index_duration_; }

 private:
  ServingCatalog() = default;
  static absl::StatusOr<std::shared_ptr<const ServingCatalog>> Compose(
      std::shared_ptr<const catalog::Snapshot> storage, bool use_attachments);
  // Sets up `s`'s collections over `storage`: schemas, and indexes read
  // from attachments, built from `parsed` (when not null) or built from the
  // stored bytes. Leaves s->storage_ to the caller.
  static absl::Status ComposeInto(ServingCatalog* s, const catalog::Snapshot& storage,
                                  bool use_attachments,
                                  const catalog::Snapshot::ParsedCollections* parsed);

  std::shared_ptr<const catalog::Snapshot> storage_;
  std::array<Collection, registry::kCollectionCount> collections_;
  absl::Time load_time_;
  absl::Duration load_duration_;
  std::unique_ptr<const search::SearchIndex> search_index_;
  absl::Duration search_index_duration_;
};

}  // namespace accord::serving

#endif  // ACCORD_SERVICE_SERVING_SERVING_CATALOG_H_
