// ServingCatalog::WithSearchIndex: the full-text index built with the
// catalogue, before it serves (so no request ever builds it).
#include "absl/time/clock.h"
#include "service/serving/serving_catalog.h"

namespace accord::serving {

absl::StatusOr<std::shared_ptr<const ServingCatalog>> ServingCatalog::WithSearchIndex(
    std::shared_ptr<const ServingCatalog> catalog, const search::BuildOptions& options) {
  if (catalog.use_count() != 1) {
    return absl::InternalError("the search index is built before the catalogue is shared");
  }
  const absl::Time start = absl::Now();
  std::vector<search::CollectionRecords> collections;
  // In CollectionId order, so that a hit's collection is its CollectionId.
  for (CollectionId id : registry::kAllCollections) {
    const Collection& c = catalog->collection(id);
    collections.push_back(
        search::CollectionRecords{std::string(registry::Get(id).collection_id), &c.records()});
  }
  absl::StatusOr<std::unique_ptr<search::SearchIndex>> built =
      search::SearchIndex::Build(std::move(collections), options);
  if (!built.ok()) return built.status();
  // Not shared yet (checked above), so this is still the only reference.
  auto* mutable_catalog = const_cast<ServingCatalog*>(catalog.get());
  mutable_catalog->search_index_ = *std::move(built);
  mutable_catalog->search_index_duration_ = absl::Now() - start;
  mutable_catalog->load_duration_ += mutable_catalog->search_index_duration_;
  return catalog;
}

}  // namespace accord::serving
