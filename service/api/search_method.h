// The Search custom method over the serving catalogue's full-text index
// (service/search), which is built with the catalogue when it loads and
// swapped with it (serving::ServingCatalog::search_index()).
#ifndef ACCORD_SERVICE_API_SEARCH_METHOD_H_
#define ACCORD_SERVICE_API_SEARCH_METHOD_H_

#include <functional>

#include "absl/status/status.h"
#include "accord/v1/accord_service.pb.h"
#include "service/serving/serving_catalog.h"

namespace accord::api {

// Search page sizes, documented in the proto and docs/search.md.
inline constexpr int32_t kDefaultSearchPageSize = 20;
inline constexpr int32_t kMaxSearchPageSize = 100;

// Answers `request` (accord.v1.SearchRequest) from `snapshot` and its own
// search index, so results and page tokens belong to the catalogue version
// List answers from. Errors: UNIMPLEMENTED with reason SEARCH_DISABLED if
// the catalogue was loaded without an index (--search_index=off);
// INVALID_ARGUMENT with reason INVALID_QUERY, INVALID_COLLECTION,
// FILTER_NEEDS_ONE_COLLECTION, INVALID_PAGE_SIZE, the filter's reasons, and
// the page-token reasons of List.
absl::Status SearchRecords(const serving::ServingCatalog& snapshot,
                           const v1::SearchRequest& request, const std::function<bool()>& cancelled,
                           v1::SearchResponse* response);

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_SEARCH_METHOD_H_
