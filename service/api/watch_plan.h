// Watch's request, checked: what one stream watches and where it starts.
#ifndef ACCORD_SERVICE_API_WATCH_PLAN_H_
#define ACCORD_SERVICE_API_WATCH_PLAN_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "accord/v1/accord_service.pb.h"
#include "service/query/checker.h"
#include "service/query/schema.h"
#include "service/registry/registry.h"
#include "service/watch/change_log.h"

namespace accord::api {

// What one stream watches, checked once at its start.
struct WatchPlan {
  std::string collection;  // as asked ("agreements", or "-")
  std::vector<registry::CollectionId> collections;
  std::array<bool, registry::kCollectionCount> watched{};
  // The filter, bound to the stream's own schema (which holds no pointer
  // into any catalogue, so the stream may outlive them).
  std::unique_ptr<query::Schema> schema;
  std::optional<query::CheckedExpr> filter;
  // The filter as the client wrote it: the snapshot compiles it again
  // against the serving collection's schema, so that its indexes answer it.
  std::string filter_text;
  absl::Duration heartbeat = absl::Seconds(30);
  uint64_t request_hash = 0;
  // Where the stream starts: a snapshot of the head, or after a position.
  bool snapshot = true;
  bool from_token = false;
  uint64_t seq = 0;
  uint64_t index = 0;
  std::string version;
};

// Checks `request` against the change log's head catalogue and says what
// the stream watches and where it starts. INVALID_ARGUMENT for an unknown
// collection (INVALID_COLLECTION), a bad filter (List's reasons), a filter
// with "-" (FILTER_NEEDS_ONE_COLLECTION) or on a computed field
// (FILTER_FIELD_NOT_WATCHABLE), a heartbeat interval outside 1 s to 600 s
// (INVALID_HEARTBEAT_INTERVAL), or a malformed, mismatched or future token
// (INVALID_RESUME_TOKEN); FAILED_PRECONDITION (RESUME_TOKEN_EXPIRED) for a
// token the log can no longer resume; UNAVAILABLE before any catalogue.
absl::StatusOr<WatchPlan> PlanWatch(const v1::WatchRequest& request, const watch::ChangeLog& log);

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_WATCH_PLAN_H_
