// ServingCatalog::WithSearchIndex: the full-text index, attached to the
// catalogue before it serves (so no request ever builds it): opened in
// place from a compiled catalogue's "@search" section, else built.
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/serving/serving_catalog.h"

namespace accord::serving {

namespace {

std::vector<search::CollectionRecords> SearchCollections(const ServingCatalog& catalog) {
  std::vector<search::CollectionRecords> collections;
  // In CollectionId order, so that a hit's collection is its CollectionId.
  for (CollectionId id : registry::kAllCollections) {
    const Collection& c = catalog.collection(id);
    collections.push_back(
        search::CollectionRecords{std::string(registry::Get(id).collection_id), &c.records()});
  }
  return collections;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const ServingCatalog>> ServingCatalog::WithSearchIndex(
    std::shared_ptr<const ServingCatalog> catalog, const search::BuildOptions& options) {
  if (catalog.use_count() != 1) {
    return absl::InternalError("the search index is built before the catalogue is shared");
  }
  const absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<search::SearchIndex>> index;
  const std::optional<absl::string_view> embedded =
      catalog->storage().attachment(kSearchAttachment);
  const std::optional<catalog::Snapshot::FileLocation> location =
      catalog->storage().attachment_location(kSearchAttachment);
  if (embedded.has_value() && location.has_value()) {
    // Its own checksum first (read with pread: hashing does not make the
    // database resident), since Xapian reads only the pages a query needs.
    if (absl::Status verified = catalog->storage().VerifyAttachments(
            {std::string(kSearchAttachment)}, catalog::Snapshot::AttachmentUse::kReadSome);
        !verified.ok()) {
      return verified;
    }
    index = search::SearchIndex::OpenEmbedded(SearchCollections(*catalog), catalog->version(),
                                              location->fd, location->offset, *embedded);
    if (!index.ok()) {
      return absl::Status(index.status().code(),
                          absl::StrCat("compiled catalogue ", catalog->directory(), ": ",
                                       index.status().message()));
    }
  } else {
    // A catalogue loaded from sources, or compiled without the index.
    index = search::SearchIndex::Build(SearchCollections(*catalog), options);
    if (!index.ok()) return index.status();
  }
  // Not shared yet (checked above), so this is still the only reference.
  auto* mutable_catalog = const_cast<ServingCatalog*>(catalog.get());
  mutable_catalog->search_index_ = *std::move(index);
  mutable_catalog->search_index_duration_ = absl::Now() - start;
  mutable_catalog->load_duration_ += mutable_catalog->search_index_duration_;
  return catalog;
}

absl::StatusOr<catalog::Attachment> ServingCatalog::SearchAttachment(
    const ServingCatalog& catalog) {
  if (catalog.search_index() == nullptr) {
    return absl::FailedPreconditionError("the catalogue has no search index");
  }
  absl::StatusOr<std::string> bytes = catalog.search_index()->Export(catalog.version());
  if (!bytes.ok()) return bytes.status();
  return catalog::Attachment{std::string(kSearchAttachment), *std::move(bytes)};
}

}  // namespace accord::serving
