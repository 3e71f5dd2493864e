// Evaluates a checked filter from a collection's indexes.
#ifndef ACCORD_SERVICE_ENGINE_PLANNER_H_
#define ACCORD_SERVICE_ENGINE_PLANNER_H_

#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"
#include "roaring/roaring.hh"
#include "service/index/collection_index.h"
#include "service/query/checker.h"
#include "service/serving/serving_catalog.h"

namespace accord::engine {

// The index types, from service/index.
using ::accord::index::CollectionIndex;
using ::accord::index::FieldIndex;
using ::accord::index::SortColumn;

// How a filter was answered, for tests and benchmarks.
struct PlanStats {
  // Records whose filter predicates were evaluated one by one (by
  // query::Matches / MatchesRestriction) because no index answered them.
  uint64_t records_evaluated = 0;
  // Restrictions answered from a value index or the name order.
  uint64_t indexed_restrictions = 0;
};

// The records a filter matched: `base()`, intersected with `also()` when
// that is set. The last step of a top-level AND is left as such a pair
// rather than materialized: its result is the sparsest, the one Roaring
// would convert container by container, while a count (and_cardinality),
// a probe (two contains) or the first page in name order (a merge) read
// the pair directly. Either side may borrow an index's posting list or the
// caller's universe, which must outlive this.
class MatchSet {
 public:
  static MatchSet Own(Roaring r);
  static MatchSet Borrow(const Roaring* r);
  // Intersects lazily with `other` (borrowed when `owned` is empty).
  void AlsoWithin(const Roaring* other, Roaring owned);

  const Roaring& base() const { return base_is_owned_ ? base_owned_ : *base_ref_; }
  const Roaring* also() const { return also_is_owned_ ? &also_owned_ : also_ref_; }
  uint64_t Count() const;
  bool Contains(uint32_t p) const {
    return base().contains(p) && (also() == nullptr || also()->contains(p));
  }
  // The positions as one bitmap (a copy when borrowed).
  Roaring Materialize() const;

 private:
  bool base_is_owned_ = true;
  const Roaring* base_ref_ = nullptr;
  Roaring base_owned_;
  bool also_is_owned_ = false;
  const Roaring* also_ref_ = nullptr;
  Roaring also_owned_;
};

// Returns the positions in `universe` whose records satisfy `filter`, with
// exactly query::Matches' semantics.
//
// Plan: an AND evaluates its children cheapest first (by the posting-list
// sizes the indexes predict), each child only within the positions the
// earlier ones left; a restriction on an indexed field is answered from its
// posting lists, unless the candidates left are so few that testing them
// one by one is cheaper; a restriction on an unindexed field (free text,
// a computed field without an index) is tested one by one on the
// candidates only. OR unions and NOT complements within the candidates.
// So a selective filter costs in proportion to its posting lists and
// result, not to the collection.
//
// `cancelled`, if set, is polled every few thousand records evaluated; when
// it returns true the evaluation stops with CANCELLED.
absl::StatusOr<Roaring> EvaluateFilter(const serving::Collection& collection,
                                       const query::CheckedExpr& filter, const Roaring& universe,
                                       const std::function<bool()>& cancelled,
                                       PlanStats* stats = nullptr);

// The same set, as a MatchSet (see there); may borrow `universe`.
absl::StatusOr<MatchSet> EvaluateFilterLazily(const serving::Collection& collection,
                                              const query::CheckedExpr& filter,
                                              const Roaring& universe,
                                              const std::function<bool()>& cancelled,
                                              PlanStats* stats = nullptr);

}  // namespace accord::engine

#endif  // ACCORD_SERVICE_ENGINE_PLANNER_H_
