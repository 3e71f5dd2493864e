// A sorted column over one sortable field: the collection's positions in
// the field's sort order, so that `order_by` reads results in order
// instead of sorting every match.
#ifndef ACCORD_SERVICE_INDEX_SORT_COLUMN_H_
#define ACCORD_SERVICE_INDEX_SORT_COLUMN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include "service/query/value.h"

namespace accord::index {

// Promise: key(a) < key(b) exactly when query::CompareForOrder on this one
// ascending key puts record a before b, and key(a) == key(b) when they tie
// (a record with no value gets key 0, before every value). `sorted()`
// lists every position by (key, position), i.e. the full ascending order
// with ties broken by name, as List orders them.
class SortColumn {
 public:
  // `first_value(p, &v)` sets the record's value and returns true, or
  // returns false when the record has none (an unset `optional`).
  static SortColumn Build(query::Type type, size_t n,
                          const std::function<bool(size_t, query::Value*)>& first_value);
  // The column of the name field: name order is position order.
  static SortColumn Identity(size_t n);
  // For every type but kString: a 64-bit key whose unsigned order is
  // Build's order of the values (CompareForOrder's).
  static uint64_t OrderKey(query::Type type, const query::Value& value);
  // The same column as Build, for a type other than kString, from each
  // position's OrderKey (`keys[p]`, read only when `has[p]` is non-zero;
  // `has` and `keys` have one entry per position).
  static SortColumn BuildFromKeys(const std::vector<uint64_t>& keys,
                                  const std::vector<uint8_t>& has);

  // Appends the column (keys and sorted order) to `out`, for the compiled
  // catalogue.
  void Serialize(std::string* out) const;
  // The column that Serialize wrote, over a collection of `records`
  // records; where() and the groups are rebuilt from the order. DataLoss
  // unless sorted() is a permutation of the positions ordered by (key,
  // position) with keys numbered without gaps; never reads outside `bytes`.
  // When the arrays in `bytes` are 4-byte aligned (as the compiled
  // catalogue writes them), keys and order are views into `bytes`, which
  // must then outlive the column (the mapped file does); otherwise copies.
  static absl::StatusOr<SortColumn> Deserialize(absl::string_view bytes, size_t records);

  SortColumn() = default;  // an empty column, over no records
  SortColumn(SortColumn&&) = default;
  SortColumn& operator=(SortColumn&&) = default;
  SortColumn(const SortColumn&) = delete;  // the views may point into owned_*
  SortColumn& operator=(const SortColumn&) = delete;

  uint32_t key(uint32_t position) const { return keys_[position]; }
  absl::Span<const uint32_t> sorted() const { return sorted_; }
  // Whether keys and order are views into deserialized bytes (no copy).
  bool is_view() const { return owned_sorted_.empty() && !sorted_.empty(); }
  // Where `position` sits in sorted().
  uint32_t where(uint32_t position) const { return where_[position]; }
  // The distinct keys are 0..key_count()-1; sorted()[group_begin(k) ..
  // group_begin(k + 1)) are the positions with key k.
  uint32_t key_count() const { return static_cast<uint32_t>(group_begin_.size()) - 1; }
  uint32_t group_begin(uint32_t key) const { return group_begin_[key]; }

 private:
  // Points the views at the owned arrays.
  void Own();

  std::vector<uint32_t> owned_keys_;
  std::vector<uint32_t> owned_sorted_;
  absl::Span<const uint32_t> keys_;    // owned_keys_, or into deserialized bytes
  absl::Span<const uint32_t> sorted_;  // owned_sorted_, or into deserialized bytes
  std::vector<uint32_t> where_;
  std::vector<uint32_t> group_begin_;
};

}  // namespace accord::index

#endif  // ACCORD_SERVICE_INDEX_SORT_COLUMN_H_
