#include "service/counts/group_count.h"

#include <map>

namespace accord::counts {
namespace {

// One group of a field: its key and the postings of its records (borrowed
// from the index for kValue, a union for kYear).
struct Group {
  query::Value key;
  const Roaring* postings = nullptr;
};

// The groups of one field, in key order; unions for years live in
// `storage`.
absl::StatusOr<std::vector<Group>> GroupsOf(const GroupField& field,
                                            std::vector<std::unique_ptr<Roaring>>* storage) {
  std::vector<Group> groups;
  const auto& entries = field.index->entries();
  if (field.bucket == Bucket::kValue) {
    for (const engine::FieldIndex::Entry& e : entries) {
      if (e.value.type == query::Type::kDate && e.value.date.empty()) continue;
      groups.push_back({e.value, &e.postings});
    }
    return groups;
  }
  if (field.index->type() != query::Type::kDate) {
    return absl::InvalidArgumentError("a year grouping needs a date field");
  }
  std::map<int, std::vector<const Roaring*>> by_year;
  for (const engine::FieldIndex::Entry& e : entries) {
    if (e.value.date.empty()) continue;
    by_year[e.value.date.first / 10000].push_back(&e.postings);
  }
  for (auto& [year, parts] : by_year) {
    query::Value key;
    key.type = query::Type::kInt;
    key.num = year;
    if (parts.size() == 1) {
      groups.push_back({key, parts[0]});
    } else {
      storage->push_back(std::make_unique<Roaring>(Roaring::fastunion(parts.size(), parts.data())));
      groups.push_back({key, storage->back().get()});
    }
  }
  return groups;
}

}  // namespace

absl::StatusOr<std::vector<GroupCount>> CountByGroups(const Roaring& matches,
                                                      absl::Span<const GroupField> fields) {
  if (fields.empty() || fields.size() > 2) {
    return absl::InvalidArgumentError("count by one or two fields");
  }
  for (const GroupField& f : fields) {
    if (f.index == nullptr) return absl::InvalidArgumentError("the field is not indexed");
  }
  std::vector<std::unique_ptr<Roaring>> storage;
  absl::StatusOr<std::vector<Group>> first = GroupsOf(fields[0], &storage);
  if (!first.ok()) return first.status();
  std::vector<GroupCount> out;
  if (fields.size() == 1) {
    for (const Group& g : *first) {
      uint64_t n = matches.and_cardinality(*g.postings);
      if (n > 0) out.push_back({{g.key}, n});
    }
    return out;
  }
  absl::StatusOr<std::vector<Group>> second = GroupsOf(fields[1], &storage);
  if (!second.ok()) return second.status();
  for (const Group& a : *first) {
    Roaring in_a = matches & *a.postings;
    if (in_a.isEmpty()) continue;
    for (const Group& b : *second) {
      uint64_t n = in_a.and_cardinality(*b.postings);
      if (n > 0) out.push_back({{a.key, b.key}, n});
    }
  }
  return out;
}

}  // namespace accord::counts
