#include "service/serving/catalog_store.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace accord::serving {

namespace {

// FailedPrecondition if `next` empties a collection that `current` (may be
// null) has records in, or holds no record at all.
absl::Status CheckNotEmptied(const ServingCatalog* current, const ServingCatalog& next) {
  size_t total = 0;
  for (CollectionId id : registry::kAllCollections) {
    size_t now = next.collection(id).size();
    total += now;
    if (current != nullptr && now == 0 && current->collection(id).size() > 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the catalogue in ", next.directory(), " has no ", registry::Get(id).collection_id,
          ", where the serving one has ", current->collection(id).size(),
          "; if that is intended, restart with --allow_empty_collections"));
    }
  }
  if (total == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("the catalogue in ", next.directory(),
                     " holds no record at all; if that is intended, pass "
                     "--allow_empty_collections"));
  }
  return absl::OkStatus();
}

}  // namespace

CatalogStore::CatalogStore(std::string directory, Options options)
    : directory_(std::move(directory)), options_(options) {}

absl::Status CatalogStore::Reload() {
  std::lock_guard<std::mutex> serial(reload_mu_);
  absl::StatusOr<std::shared_ptr<const ServingCatalog>> next =
      ServingCatalog::Load(directory_, options_.limits);
  bool first = Current() == nullptr;
  if (next.ok() && !options_.allow_empty_collections) {
    std::shared_ptr<const ServingCatalog> current = Current();
    if (absl::Status s = CheckNotEmptied(current.get(), **next); !s.ok()) next = s;
  }
  // The search index is part of the catalogue: built here, off the request
  // path, while the previous catalogue (with its own index) keeps serving.
  if (next.ok() && options_.search_index) {
    next = ServingCatalog::WithSearchIndex(*std::move(next), options_.search);
  }
  if (next.ok()) {
    std::atomic_store(&current_, *next);
    if (options_.on_swap) options_.on_swap(*std::move(next));
  }
  std::lock_guard<std::mutex> lock(status_mu_);
  last_attempt_ = absl::Now();
  if (!next.ok()) {
    last_error_ = std::string(next.status().message());
    if (!first) ++failed_reloads_;
    return next.status();
  }
  last_error_.clear();
  if (!first) ++reloads_;
  return absl::OkStatus();
}

accord::v1::CatalogStatus CatalogStore::Status() const {
  accord::v1::CatalogStatus status;
  status.set_name("catalogStatus");
  status.set_directory(directory_);
  {
    // The counts before the snapshot: Reload() swaps the snapshot before it
    // counts the reload, so a status that counts a reload also shows its
    // version (the other order could pair a new count with the old one).
    std::lock_guard<std::mutex> lock(status_mu_);
    absl::Duration attempt = last_attempt_ - absl::UnixEpoch();
    status.mutable_last_attempt_time()->set_seconds(absl::ToInt64Seconds(attempt));
    status.set_last_error(last_error_);
    status.set_reload_count(reloads_);
    status.set_failed_reload_count(failed_reloads_);
  }
  if (auto snapshot = Current()) {
    status.set_version(snapshot->version());
    absl::Duration since_epoch = snapshot->load_time() - absl::UnixEpoch();
    status.mutable_load_time()->set_seconds(absl::ToInt64Seconds(since_epoch));
    status.mutable_load_time()->set_nanos(
        static_cast<int32_t>(absl::ToInt64Nanoseconds(since_epoch) % 1000000000));
    status.set_load_duration_ms(absl::ToInt64Milliseconds(snapshot->load_duration()));
    for (CollectionId id : registry::kAllCollections) {
      (*status.mutable_record_counts())[registry::Get(id).collection_id] =
          static_cast<int64_t>(snapshot->collection(id).size());
    }
  }
  return status;
}

}  // namespace accord::serving
