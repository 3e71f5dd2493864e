// A value index over one filterable field of one collection: every distinct
// value the field takes, each with the set of records (a posting list, as a
// Roaring bitmap of positions in name order) that have it.
#ifndef ACCORD_SERVICE_ENGINE_FIELD_INDEX_H_
#define ACCORD_SERVICE_ENGINE_FIELD_INDEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "roaring/roaring.hh"
#include "service/query/checker.h"
#include "service/query/value.h"

namespace accord::engine {

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
    query::Value value;  // str views a record of the snapshot
    Roaring postings;
    uint32_t count = 0;  // postings.cardinality(), kept for cheap estimates
  };

  // Builds from `values_of(p, out)` for p in [0, n), which appends the
  // values of record p (the field's extractor, typically).
  template <typename ValuesOf>
  static FieldIndex Build(query::Type type, size_t n, ValuesOf values_of);

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
  // An upper bound on Positive(r).cardinality(), and how many entries it
  // would union: the planner's cost estimate.
  struct Estimate {
    uint64_t records = 0;
    size_t entries = 0;
  };
  Estimate EstimatePositive(const query::Restriction& r) const;

  const std::vector<Entry>& entries() const { return entries_; }
  query::Type type() const { return type_; }
  // Approximate heap bytes, for start-up reports.
  size_t MemoryBytes() const;

 private:
  // Sorts entries by value (strings bytewise, numbers, dates by first then
  // last) and rebuilds the lookup tables.
  void Finish();
  // Whether entries_[i] satisfies `r` positively.
  bool EntryMatches(const query::Restriction& r, size_t i) const;

  query::Type type_ = query::Type::kString;
  std::vector<Entry> entries_;
  absl::flat_hash_map<absl::string_view, uint32_t> by_string_;
  absl::flat_hash_map<int64_t, uint32_t> by_number_;  // enums, bools, ints
};

// Packs a date into one sortable key.
inline int64_t DateKey(const query::DateRange& d) {
  return (static_cast<int64_t>(d.first) << 32) | static_cast<uint32_t>(d.last);
}

template <typename ValuesOf>
FieldIndex FieldIndex::Build(query::Type type, size_t n, ValuesOf values_of) {
  FieldIndex index;
  index.type_ = type;
  // Positions are appended in increasing order, so each posting list is
  // built sorted; the last position guards against a repeated field that
  // holds one value twice.
  std::vector<std::vector<uint32_t>> postings;
  absl::flat_hash_map<absl::string_view, uint32_t> strings;
  absl::flat_hash_map<int64_t, uint32_t> numbers;
  std::vector<query::Value> values;
  for (size_t p = 0; p < n; ++p) {
    values.clear();
    values_of(p, &values);
    for (const query::Value& v : values) {
      uint32_t id;
      if (type == query::Type::kString) {
        auto [it, inserted] = strings.try_emplace(v.str, static_cast<uint32_t>(postings.size()));
        id = it->second;
        if (inserted) {
          postings.emplace_back();
          index.entries_.push_back({v, Roaring(), 0});
        }
      } else {
        const int64_t key = type == query::Type::kDate ? DateKey(v.date) : v.num;
        auto [it, inserted] = numbers.try_emplace(key, static_cast<uint32_t>(postings.size()));
        id = it->second;
        if (inserted) {
          postings.emplace_back();
          index.entries_.push_back({v, Roaring(), 0});
        }
      }
      auto& list = postings[id];
      if (list.empty() || list.back() != p) list.push_back(static_cast<uint32_t>(p));
    }
  }
  for (size_t i = 0; i < postings.size(); ++i) {
    index.entries_[i].postings.addMany(postings[i].size(), postings[i].data());
    index.entries_[i].postings.runOptimize();
    index.entries_[i].postings.shrinkToFit();
    std::vector<uint32_t>().swap(postings[i]);
  }
  index.Finish();
  return index;
}

}  // namespace accord::engine

#endif  // ACCORD_SERVICE_ENGINE_FIELD_INDEX_H_
