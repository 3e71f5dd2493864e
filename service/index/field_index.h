// A value index over one filterable field of one collection: every distinct
// value the field takes, each with the set of records (a posting list, as a
// Roaring bitmap of positions in name order) that have it.
#ifndef ACCORD_SERVICE_INDEX_FIELD_INDEX_H_
#define ACCORD_SERVICE_INDEX_FIELD_INDEX_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "roaring/roaring.hh"
#include "service/query/checker.h"
#include "service/query/value.h"

namespace accord::index {

// Promise: for every record position p and every value v that the field's
// extractor yields for record p, the entry equal to v holds p; and no entry
// holds a position whose record lacks that value. The index therefore
// answers a restriction exactly as query::MatchesRestriction would, for
// every comparator, literal kind and date semantics: it applies
// query::ValueMatches to each distinct value, not a reimplementation of it.
class FieldIndex {
 public:
  // One distinct value and the records that have it.
  struct Entry {
    query::Value value;  // str views strings_ (owned by the index)
    Roaring postings;
    uint32_t count = 0;  // postings.cardinality(), kept for cheap estimates
  };

  // Collects values record by record (so that a build can visit each
  // record once for every field: records are large and scattered, fields
  // are many).
  class Builder {
   public:
    explicit Builder(query::Type type) : type_(type) {}
    // Adds record `p`'s values; calls must come in increasing `p`.
    void Add(uint32_t p, const query::Value* values, size_t count);
    FieldIndex Finish() &&;

   private:
    query::Type type_;
    bool singular_ = true;  // no record had more than one value
    std::vector<query::Value> values_;
    std::vector<std::vector<uint32_t>> postings_;
    absl::flat_hash_map<absl::string_view, uint32_t> strings_;
    absl::flat_hash_map<int64_t, uint32_t> numbers_;
    // Copies of the distinct strings: Add's values may view a record parsed
    // for the build and freed after it.
    std::shared_ptr<std::deque<std::string>> owned_ = std::make_shared<std::deque<std::string>>();
  };

  // Builds the index of a field whose values for a parent record are the
  // union of a child field's values over the parent's children, e.g.
  // agreements' "commitments.kind" from commitments' "kind".
  // `parent_of[c]` is the parent position of child position c.
  static FieldIndex FromChildren(const FieldIndex& child, const std::vector<uint32_t>& parent_of);

  // The entries whose values may satisfy `r` positively (see
  // query::ValueMatches), as a range of entries to test; narrowed by binary
  // search for ordered comparisons and by hashing for equality.
  std::pair<size_t, size_t> Candidates(const query::Restriction& r) const;

  // The records with some value that satisfies `r` positively: for != that
  // is the records holding the literal, which the caller complements.
  Roaring Positive(const query::Restriction& r) const;
  // An upper bound on Positive(r).cardinality(), and how many bitmaps it
  // would union: the planner's cost estimate.
  struct Estimate {
    uint64_t records = 0;
    size_t entries = 0;
  };
  Estimate EstimatePositive(const query::Restriction& r) const;

  // Restrictions on this one field that must all hold for the same value.
  // For a non-repeated field (one value per record, or none), the records
  // satisfying every restriction of `all` are exactly the records with a
  // value satisfying all of them: so `signed >= "2015" AND signed < "2017"`
  // is one interval, not two large unions intersected. None may be !=.
  using Conjunction = absl::Span<const query::Restriction* const>;
  Roaring PositiveAll(Conjunction all) const;
  // PositiveAll without a copy when one posting list (or node) is the
  // answer: returns it, else the union, built in `*storage`.
  const Roaring& PositiveRef(Conjunction all, Roaring* storage) const;

  Estimate EstimateAll(Conjunction all) const;

  // The entries whose values satisfy every restriction of `all`
  // positively (the entries PositiveAll unions), as sorted, disjoint,
  // non-adjacent runs [begin, end) of indexes into entries(). Whole runs
  // come from the precomputed levels, so a range over thousands of dates
  // costs a few dozen node checks.
  using EntryRun = std::pair<uint32_t, uint32_t>;
  std::vector<EntryRun> MatchingEntries(Conjunction all) const;

  // Appends the index (its type, values, posting lists, levels and
  // prefixes) to `out`, for the compiled catalogue. Bitmaps are in
  // Roaring's portable format, checked container by container when read
  // back (roaring_bytes.h).
  void Serialize(std::string* out) const;
  // The index that Serialize wrote, over a collection of `records`
  // records; the lookup tables are rebuilt. DataLoss when the bytes do not
  // decode exactly (unknown type, values out of order, a malformed bitmap
  // or one with positions beyond `records`, levels or prefixes of another
  // shape than the entries give, bytes left over); never reads outside
  // them.
  static absl::StatusOr<FieldIndex> Deserialize(absl::string_view bytes, size_t records);

  const std::vector<Entry>& entries() const { return entries_; }
  query::Type type() const { return type_; }
  // Approximate heap bytes, for start-up reports.
  size_t MemoryBytes() const;

 private:
  // Sorts entries by value (strings bytewise, numbers, dates by first then
  // last) and rebuilds the lookup tables.
  void Finish();
  // The counts and lookup tables over sorted entries.
  void Tables();
  // Whether entries_[i] satisfies `r` positively.
  bool EntryMatches(const query::Restriction& r, size_t i) const;

  // Unions of runs of consecutive entries, so that a range restriction
  // matching thousands of entries (two years of signing dates) merges a
  // few dozen precomputed bitmaps instead. Level 0 nodes each cover
  // kFanout entries; a level l+1 node covers kFanout level-l nodes.
  struct Node {
    uint32_t begin = 0, end = 0;          // the entries covered
    int32_t min_first = 0, max_last = 0;  // kDate: bounds over the entries
    bool has_empty = false;               // kDate: covers the empty date
    uint64_t count = 0;                   // sum of the entries' counts
    Roaring postings;                     // union of the entries' postings
  };
  static constexpr uint32_t kFanout = 32;
  void BuildLevels();
  // Whether every entry under `node` satisfies `r` positively, given that
  // the node lies inside Candidates(r) and `exact` says whether every
  // candidate entry matches (true for equality, ordered comparisons on
  // non-dates, prefix patterns, has-any with explicit presence).
  bool NodeMatchesAll(const query::Restriction& r, const Node& node, bool exact) const;
  bool Exact(const query::Restriction& r) const;
  // Calls take(bitmap, count) for a set of disjoint entry runs whose union
  // is the records with a value satisfying every restriction of `all`
  // positively.
  // When a middle run of whole prefix steps matches, calls
  // take_core(c1, c2) for entries [c1 * kPrefixStep, c2 * kPrefixStep)
  // instead (see prefix_).
  template <typename Take, typename TakeCore>
  void Collect(Conjunction all, Take take, TakeCore take_core) const;
  template <typename Take>
  void CollectRange(Conjunction all, size_t lo, size_t hi, bool exact, Take& take) const;
  template <typename Take>
  void Visit(Conjunction all, size_t lo, size_t hi, bool exact, size_t level, size_t i,
             Take& take) const;
  bool AllMatch(Conjunction all, size_t entry) const;
  template <typename Add>
  void VisitRuns(Conjunction all, size_t lo, size_t hi, bool exact, size_t level, size_t i,
                 Add& add) const;
  std::vector<std::vector<Node>> levels_;

  // For a field with at most one value per record (sign_date), each record
  // lies in at most one entry, so a one-sided range of entries [0, b) is
  // one precomputed prefix bitmap, and [a, end) is prefix(end) \
  // prefix(a): one word-wise ANDNOT whatever the number of entries. Such
  // results are dense and stay bitsets. (Two-sided ranges are sparse: a
  // difference of prefixes would be converted container by container,
  // which costs more than the node unions.) prefix_[j] is the union of
  // entries [0, j * kPrefixStep); prefix_.back() is the union of all.
  static constexpr size_t kPrefixStep = 256;
  void BuildPrefixes();
  bool singular_ = false;
  std::vector<Roaring> prefix_;
  std::vector<uint64_t> prefix_count_;

  query::Type type_ = query::Type::kString;
  std::vector<Entry> entries_;
  absl::flat_hash_map<absl::string_view, uint32_t> by_string_;
  absl::flat_hash_map<int64_t, uint32_t> by_number_;  // enums, bools, ints
  // The distinct string values that entries_ view (shared with indexes
  // built from this one by FromChildren).
  std::shared_ptr<const std::deque<std::string>> strings_;
};

// Packs a date into one sortable key.
inline int64_t DateKey(const query::DateRange& d) {
  // first * 2^32, not first << 32: a negative `first` (a corrupt compiled
  // index) must not be shifted, which is undefined behaviour.
  return static_cast<int64_t>(d.first) * (int64_t{1} << 32) + static_cast<uint32_t>(d.last);
}

}  // namespace accord::index

#endif  // ACCORD_SERVICE_INDEX_FIELD_INDEX_H_
