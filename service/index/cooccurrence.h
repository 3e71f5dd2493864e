// Pair postings of one repeated field: for every two values that records
// hold together (two parties of one agreement), the records holding both.
// "parties:A AND parties:B AND ..." then starts from one short list instead
// of intersecting two long ones, at any catalogue size.
//
// Built from the field's value index (never from records), on first use.
// Immutable once built.
#ifndef ACCORD_SERVICE_INDEX_COOCCURRENCE_H_
#define ACCORD_SERVICE_INDEX_COOCCURRENCE_H_

#include <cstdint>
#include <memory>

#include "absl/container/flat_hash_map.h"
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

  // Approximate heap bytes.
  size_t MemoryBytes() const;

 private:
  static uint64_t Key(uint32_t a, uint32_t b) {
    if (a > b) std::swap(a, b);
    return (uint64_t{a} << 32) | b;
  }
  absl::flat_hash_map<uint64_t, Roaring> pairs_;
  Roaring empty_;
};

}  // namespace accord::index

#endif  // ACCORD_SERVICE_INDEX_COOCCURRENCE_H_
