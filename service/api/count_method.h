// The Count custom method: records of one collection matching a filter,
// grouped by one or two fields, from the indexes (service/counts).
#ifndef ACCORD_SERVICE_API_COUNT_METHOD_H_
#define ACCORD_SERVICE_API_COUNT_METHOD_H_

#include <functional>

#include "absl/status/status.h"
#include "accord/v1/accord_service.pb.h"
#include "service/catalog/snapshot.h"

namespace accord::api {

// The most groups one Count returns: more is FAILED_PRECONDITION (reason
// TOO_MANY_GROUPS), asking for a narrower filter or grouping.
inline constexpr size_t kMaxCountGroups = 10000;

// Answers `request` (see accord.v1.CountRequest) from `snapshot`.
// INVALID_ARGUMENT with reason INVALID_COLLECTION, INVALID_GROUP_BY or the
// filter's reason; `cancelled` is polled by the engine.
absl::Status CountRecords(const catalog::Snapshot& snapshot, const v1::CountRequest& request,
                          const std::function<bool()>& cancelled, v1::CountResponse* response);

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_COUNT_METHOD_H_
