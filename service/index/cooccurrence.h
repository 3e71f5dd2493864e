// Pair postings of one repeated field: for every two values that records
// hold together (two parties of one agreement), the records holding both.
// "parties:A AND parties:B AND ..." then starts from one short list instead
// of intersecting two long ones, at any catalogue size.
//
// Split by a field with few values (By): for every two values of this field
// and one value of the other, the records holding all three, so that
// "parties:A AND parties:B AND cooperation_areas:C" is one posting list
// whatever the catalogue's size: its count a cardinality, its first page in
// name order its first elements.
//
// Built from the fields' value indexes (never from records), on first use.
// Logically immutable once built.
#ifndef ACCORD_SERVICE_INDEX_COOCCURRENCE_H_
#define ACCORD_SERVICE_INDEX_COOCCURRENCE_H_

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "roaring/roaring.hh"
#include "service/index/field_index.h"

namespace accord::index {

// Promise: Both(a, b) holds exactly the positions in both
// field.entries()[a].postings and field.entries()[b].postings.
class Cooccurrence {
 public:
  // Fields with more values than this are not paired.
  static constexpr size_t kMaxValues = 4096;
  // Pairs are kept only while there are at most this many per posting of
  // the field (records hold few values each; k values make k(k-1)/2 pairs).
  static constexpr size_t kMaxPairsPerPosting = 8;

  // The pair postings of `field` over positions [0, n), or nullptr when
  // the field has too many values or its records too many values each.
  static std::unique_ptr<Cooccurrence> Build(const FieldIndex& field, size_t n);

  // The positions holding both entries a and b (a != b, indexes into the
  // field's entries()).
  const Roaring& Both(uint32_t a, uint32_t b) const;

  // A `by` field may split the pairs when it has at most this many values,
  // and while the split holds at most kMaxTriplesPerPosting postings per
  // posting of the paired field. Only pairs held by at least
  // MinSplitPair(n) records are split: intersecting a shorter pair list
  // costs little, and the many short lists would cost memory.
  static constexpr size_t kMaxByValues = 64;
  static constexpr size_t kMaxTriplesPerPosting = 8;
  static uint64_t MinSplitPair(size_t n) { return std::max<uint64_t>(16, n / 1024); }

  // Promise: for a pair that is split, Find(a, b, g) holds exactly the
  // positions in field.entries()[a].postings, field.entries()[b].postings
  // and by.entries()[g].postings; for any other pair it is nullptr.
  class Split {
   public:
    // The positions holding entries a and b (a != b) of the paired field
    // and entry g of `by`; nullptr when the pair (a, b) is not split (the
    // caller intersects Both(a, b) with g's postings instead).
    const Roaring* Find(uint32_t a, uint32_t b, uint32_t g) const;
    size_t MemoryBytes() const;

   private:
    friend class Cooccurrence;
    absl::flat_hash_set<uint64_t> split_pairs_;       // Key(a, b) of the pairs split
    absl::flat_hash_map<uint64_t, Roaring> triples_;  // Key(a, b) << 8 | g; non-empty only
    Roaring empty_;
  };

  // The pairs split by `by` (a value index over the same positions, which
  // must outlive this), built on first use (thread-safe, once per `by`);
  // nullptr when `by` is the paired field itself, has more than
  // kMaxByValues values, or the split would be too large.
  const Split* By(const FieldIndex& by) const;

  // Approximate heap bytes (with the splits built so far).
  size_t MemoryBytes() const;

 private:
  static uint64_t Key(uint32_t a, uint32_t b) {
    if (a > b) std::swap(a, b);
    return (uint64_t{a} << 32) | b;
  }
  struct LazySplit {
    std::once_flag once;
    std::unique_ptr<Split> split;  // null after the build: no split
    std::atomic<bool> built{false};
  };
  std::unique_ptr<Split> BuildSplit(const FieldIndex& by) const;

  const FieldIndex* field_ = nullptr;  // the paired field (outlives this)
  size_t n_ = 0;                       // positions [0, n_)
  absl::flat_hash_map<uint64_t, Roaring> pairs_;
  Roaring empty_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<const FieldIndex*, std::unique_ptr<LazySplit>> splits_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace accord::index

#endif  // ACCORD_SERVICE_INDEX_COOCCURRENCE_H_
