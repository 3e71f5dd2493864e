// Postings in the rank space of one sorted date column: composite indexes
// that answer "filter, ordered by (or restricted to a range of) a date"
// without intersecting large position-space bitmaps.
//
// The rank of a record is its place in the column's full ascending order
// (SortColumn::sorted(): by date, ties by name, records without a date
// first). Per value of another field, a Roaring bitmap of ranks then lists
// that value's records already in date order: the newest k are its last k
// elements, and a date range is a contiguous interval of ranks, so a count
// over a range is roaring_bitmap_range_cardinality, not a union of daily
// postings. Pair postings split one field's rank postings by the value of a
// low-cardinality field (kind, state): "one party and one kind, newest
// first" is then one bitmap, its count its cardinality.
//
// Built from the value indexes (FieldIndex) and the sorted column, never
// from records, on first use (thread-safe, once per field or pair).
// Logically immutable.
#ifndef ACCORD_SERVICE_INDEX_RANK_SPACE_H_
#define ACCORD_SERVICE_INDEX_RANK_SPACE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "roaring/roaring.hh"
#include "service/index/field_index.h"
#include "service/index/sort_column.h"

namespace accord::index {

// Promise: for every field index F and entry e of F, Postings(F)[e] holds
// exactly { rank(p) : p in F.entries()[e].postings }; Pairs(F, B)[e *
// B.entries().size() + b] holds exactly the ranks of the records in both
// F's entry e and B's entry b; Intervals(all) covers exactly the ranks of
// the records whose date satisfies every restriction of `all` (as
// FieldIndex::PositiveAll on the column's own value index would answer).
class RankSpace {
 public:
  // [begin, end) of ranks.
  using Interval = std::pair<uint32_t, uint32_t>;
  // A pair table is built only for a `by` field of at most this many
  // values and a field of at most kMaxPairField values.
  static constexpr size_t kMaxPairBy = 16;
  static constexpr size_t kMaxPairField = 4096;

  // `column` is the sorted column of a non-repeated field and
  // `column_index` its value index; both must outlive the result. Returns
  // nullptr when the column's keys do not correspond one to one to the
  // index's entries (key k + 1 is entry k), which holds for a field with at
  // most one value per record indexed by the same extractor.
  static std::unique_ptr<RankSpace> Build(const SortColumn* column, const FieldIndex* column_index);

  size_t size() const { return column_->sorted().size(); }
  uint32_t position(uint32_t rank) const { return column_->sorted()[rank]; }
  uint32_t rank(uint32_t position) const { return column_->where(position); }
  // The ranks of the records tied with `rank` on the date: one group of
  // equal keys, in name order.
  Interval Group(uint32_t rank) const {
    const uint32_t key = column_->key(position(rank));
    return {column_->group_begin(key), column_->group_begin(key + 1)};
  }

  // The ranks whose records satisfy every restriction of `all` (all on
  // the column's field), as sorted, disjoint, non-adjacent intervals.
  std::vector<Interval> Intervals(FieldIndex::Conjunction all) const;

  // The rank postings of every entry of `field` (parallel to
  // field.entries()); built on first use.
  const std::vector<Roaring>& Postings(const FieldIndex& field) const;
  // The pair table of `field` split by `by` (a field with at most one
  // value per record), indexed [e * by.entries().size() + b]; built on
  // first use. nullptr when either field has too many values.
  const std::vector<Roaring>* Pairs(const FieldIndex& field, const FieldIndex& by) const;

  // One entry's records in position order beside their ranks:
  // positions[i] is the i-th position of the entry's postings and ranks[i]
  // its rank. A walk in name order scans `ranks` sequentially (a flat
  // array: no bitmap iteration, no scattered read of the column per
  // record) and reads `positions` only for the records it keeps.
  struct Walk {
    std::vector<uint32_t> positions;
    std::vector<uint32_t> ranks;
  };
  // The walks of every entry of `field` (parallel to field.entries()).
  // Built on first use.
  const std::vector<Walk>& RanksByPosition(const FieldIndex& field) const;

  // Approximate heap bytes of what has been built so far.
  size_t MemoryBytes() const;

 private:
  struct Lazy {
    std::once_flag once;
    std::vector<Roaring> postings;
    std::vector<Walk> walks;         // RanksByPosition
    std::atomic<bool> built{false};  // set once the table is complete
  };
  // What a table holds.
  enum class Table { kPostings, kPairs, kRanksByPosition };
  using Key = std::tuple<const FieldIndex*, const FieldIndex*, Table>;
  // The table for (field, by, what); `by` is null but for pairs.
  Lazy& Slot(const FieldIndex* field, const FieldIndex* by, Table what) const;

  const SortColumn* column_ = nullptr;
  const FieldIndex* column_index_ = nullptr;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<Key, std::unique_ptr<Lazy>> lazy_ ABSL_GUARDED_BY(mu_);
};

}  // namespace accord::index

#endif  // ACCORD_SERVICE_INDEX_RANK_SPACE_H_
