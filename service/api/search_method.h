// The Search custom method over a snapshot's full-text index
// (service/search), which is built on the first Search of each catalogue
// version and dropped with it.
#ifndef ACCORD_SERVICE_API_SEARCH_METHOD_H_
#define ACCORD_SERVICE_API_SEARCH_METHOD_H_

#include <functional>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "accord/v1/accord_service.pb.h"
#include "service/search/search_index.h"
#include "service/serving/serving_catalog.h"

namespace accord::api {

// Search page sizes, documented in the proto and docs/search.md.
inline constexpr int32_t kDefaultSearchPageSize = 20;
inline constexpr int32_t kMaxSearchPageSize = 100;

// The search index of the serving snapshot. Thread-safe.
class SearchIndexCache {
 public:
  // The index of `snapshot`, building it if the cached one belongs to
  // another snapshot (one build at a time; callers wait for it).
  absl::StatusOr<std::shared_ptr<const search::SearchIndex>> Get(
      const std::shared_ptr<const serving::ServingCatalog>& snapshot);

 private:
  absl::Mutex mu_;
  std::weak_ptr<const serving::ServingCatalog> snapshot_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<const search::SearchIndex> index_ ABSL_GUARDED_BY(mu_);
};

// Answers `request` (accord.v1.SearchRequest) with `index`, the index of
// `snapshot`. Errors: INVALID_ARGUMENT with reason INVALID_QUERY,
// INVALID_COLLECTION, FILTER_NEEDS_ONE_COLLECTION, INVALID_PAGE_SIZE, the
// filter's reasons, and the page-token reasons of List.
absl::Status SearchRecords(const serving::ServingCatalog& snapshot,
                           const search::SearchIndex& index, const v1::SearchRequest& request,
                           const std::function<bool()>& cancelled, v1::SearchResponse* response);

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_SEARCH_METHOD_H_
