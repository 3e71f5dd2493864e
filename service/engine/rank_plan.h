// Answers a List query from rank-space postings (index/rank_space.h) when
// its shape fits them: a conjunction of positive restrictions on indexed
// fields, ordered by one date field (either direction), or in name order
// with a range on a date field. Other queries keep the position-space
// plan (planner.h, executor.h).
#ifndef ACCORD_SERVICE_ENGINE_RANK_PLAN_H_
#define ACCORD_SERVICE_ENGINE_RANK_PLAN_H_

#include "absl/status/statusor.h"
#include "service/engine/executor.h"
#include "service/serving/serving_catalog.h"

namespace accord::engine {

// Which plan ListInRankSpace would take, for tests and benchmarks.
enum class RankPlan {
  kNotApplicable,  // the query does not fit: ExecuteList's other plans answer it
  kOrdered,        // ordered by the date: read the page off the rank bitmap
  kNameOrder,      // name order, with a date range narrowing the matches
};

// The plan for `query` (cheap: no posting list is touched beyond lookups).
RankPlan ChooseRankPlan(const serving::Collection& collection, const ListQuery& query);

// When ChooseRankPlan(collection, query) != kNotApplicable, answers the
// query exactly as ExecuteList's other plans would (same page, same total,
// same cursor semantics) and returns true; otherwise returns false and
// leaves `page` alone. Errors: CANCELLED when `query.cancelled` says so.
absl::StatusOr<bool> ListInRankSpace(const serving::Collection& collection, const ListQuery& query,
                                     ListPage* page);

}  // namespace accord::engine

#endif  // ACCORD_SERVICE_ENGINE_RANK_PLAN_H_
