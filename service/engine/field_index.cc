#include "service/engine/field_index.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "service/query/evaluator.h"

namespace accord::engine {
namespace {

using query::Comparator;
using query::Literal;
using query::Type;
using query::Value;

// The order entries are kept in: the order CompareForOrder uses.
bool Less(Type type, const Value& a, const Value& b) {
  switch (type) {
    case Type::kString:
      return a.str < b.str;
    case Type::kDate:
      return DateKey(a.date) < DateKey(b.date);
    default:
      return a.num < b.num;
  }
}

}  // namespace

void FieldIndex::Builder::Add(uint32_t p, const query::Value* values, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    const query::Value& v = values[i];
    uint32_t id;
    bool inserted;
    if (type_ == Type::kString) {
      auto it = strings_.try_emplace(v.str, static_cast<uint32_t>(postings_.size()));
      id = it.first->second;
      inserted = it.second;
    } else {
      const int64_t key = type_ == Type::kDate ? DateKey(v.date) : v.num;
      auto it = numbers_.try_emplace(key, static_cast<uint32_t>(postings_.size()));
      id = it.first->second;
      inserted = it.second;
    }
    if (inserted) {
      postings_.emplace_back();
      values_.push_back(v);
    }
    // Positions arrive in increasing order, so each list is built sorted;
    // the check skips a value a repeated field holds twice.
    auto& list = postings_[id];
    if (list.empty() || list.back() != p) list.push_back(p);
  }
}

FieldIndex FieldIndex::Builder::Finish() && {
  FieldIndex index;
  index.type_ = type_;
  index.entries_.reserve(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) {
    Entry e{values_[i], Roaring(), 0};
    e.postings.addMany(postings_[i].size(), postings_[i].data());
    e.postings.runOptimize();
    e.postings.shrinkToFit();
    std::vector<uint32_t>().swap(postings_[i]);
    index.entries_.push_back(std::move(e));
  }
  index.Finish();
  return index;
}

void FieldIndex::Finish() {
  std::sort(entries_.begin(), entries_.end(),
            [this](const Entry& a, const Entry& b) { return Less(type_, a.value, b.value); });
  by_string_.clear();
  by_number_.clear();
  for (size_t i = 0; i < entries_.size(); ++i) {
    Entry& e = entries_[i];
    e.count = static_cast<uint32_t>(e.postings.cardinality());
    if (type_ == Type::kString) {
      by_string_.emplace(e.value.str, static_cast<uint32_t>(i));
    } else if (type_ != Type::kDate) {
      by_number_.emplace(e.value.num, static_cast<uint32_t>(i));
    }
  }
}

FieldIndex FieldIndex::FromChildren(const FieldIndex& child,
                                    const std::vector<uint32_t>& parent_of) {
  FieldIndex index;
  index.type_ = child.type_;
  index.entries_.reserve(child.entries_.size());
  std::vector<uint32_t> parents;
  for (const Entry& e : child.entries_) {
    parents.clear();
    parents.reserve(e.count);
    for (uint32_t c : e.postings) parents.push_back(parent_of[c]);
    // Children are in name order, which need not be their parents' order
    // ("a-b/" sorts before "a/"), so sort.
    std::sort(parents.begin(), parents.end());
    parents.erase(std::unique(parents.begin(), parents.end()), parents.end());
    Entry out{e.value, Roaring(), 0};
    out.postings.addMany(parents.size(), parents.data());
    out.postings.runOptimize();
    out.postings.shrinkToFit();
    index.entries_.push_back(std::move(out));
  }
  index.Finish();
  return index;
}

std::pair<size_t, size_t> FieldIndex::Candidates(const query::Restriction& r) const {
  const size_t n = entries_.size();
  const Literal& l = r.literal;
  if (l.kind == Literal::Kind::kHasAny) return {0, n};
  if (l.kind == Literal::Kind::kPattern) {
    const absl::string_view prefix = l.pattern.prefix();
    if (type_ != Type::kString || prefix.empty()) return {0, n};
    auto lo = std::partition_point(entries_.begin(), entries_.end(),
                                   [&](const Entry& e) { return e.value.str < prefix; });
    auto hi = std::partition_point(lo, entries_.end(), [&](const Entry& e) {
      return absl::StartsWith(e.value.str, prefix);
    });
    return {static_cast<size_t>(lo - entries_.begin()), static_cast<size_t>(hi - entries_.begin())};
  }
  if (type_ == Type::kDate) {
    // Entries sorted by (first, last). Each comparison bounds v.first
    // (see query::DateSatisfies); EntryMatches then checks v.last.
    auto first_below = [&](int32_t x) {  // index of the first entry with first >= x
      return static_cast<size_t>(
          std::partition_point(entries_.begin(), entries_.end(),
                               [&](const Entry& e) { return e.value.date.first < x; }) -
          entries_.begin());
    };
    auto first_at_most = [&](int32_t x) {  // index of the first entry with first > x
      return static_cast<size_t>(
          std::partition_point(entries_.begin(), entries_.end(),
                               [&](const Entry& e) { return e.value.date.first <= x; }) -
          entries_.begin());
    };
    switch (r.op) {
      case Comparator::kEq:
      case Comparator::kHas:
      case Comparator::kNe:
        return {first_below(l.date.first), first_at_most(l.date.last)};
      case Comparator::kLt:
        return {0, first_below(l.date.first)};
      case Comparator::kLe:
        return {0, first_at_most(l.date.last)};
      case Comparator::kGt:
        return {first_at_most(l.date.last), n};
      case Comparator::kGe:
        return {first_below(l.date.first), n};
    }
    return {0, n};
  }
  switch (r.op) {
    case Comparator::kEq:
    case Comparator::kHas:
    case Comparator::kNe: {
      if (type_ == Type::kString) {
        auto it = by_string_.find(l.str);
        if (it == by_string_.end()) return {0, 0};
        return {it->second, it->second + 1};
      }
      auto it = by_number_.find(l.num);
      if (it == by_number_.end()) return {0, 0};
      return {it->second, it->second + 1};
    }
    default:
      break;
  }
  const Value lit = l.AsValue();
  auto lower = [&]() {  // first entry >= lit
    return static_cast<size_t>(
        std::partition_point(entries_.begin(), entries_.end(),
                             [&](const Entry& e) { return Less(type_, e.value, lit); }) -
        entries_.begin());
  };
  auto upper = [&]() {  // first entry > lit
    return static_cast<size_t>(
        std::partition_point(entries_.begin(), entries_.end(),
                             [&](const Entry& e) { return !Less(type_, lit, e.value); }) -
        entries_.begin());
  };
  switch (r.op) {
    case Comparator::kLt:
      return {0, lower()};
    case Comparator::kLe:
      return {0, upper()};
    case Comparator::kGt:
      return {upper(), n};
    case Comparator::kGe:
      return {lower(), n};
    default:
      return {0, n};
  }
}

bool FieldIndex::EntryMatches(const query::Restriction& r, size_t i) const {
  return query::ValueMatches(r, entries_[i].value);
}

Roaring FieldIndex::Positive(const query::Restriction& r) const {
  auto [lo, hi] = Candidates(r);
  std::vector<const Roaring*> parts;
  for (size_t i = lo; i < hi; ++i) {
    if (EntryMatches(r, i)) parts.push_back(&entries_[i].postings);
  }
  if (parts.empty()) return Roaring();
  if (parts.size() == 1) return *parts.front();
  return Roaring::fastunion(parts.size(), parts.data());
}

FieldIndex::Estimate FieldIndex::EstimatePositive(const query::Restriction& r) const {
  auto [lo, hi] = Candidates(r);
  Estimate e;
  for (size_t i = lo; i < hi; ++i) {
    if (EntryMatches(r, i)) {
      e.records += entries_[i].count;
      ++e.entries;
    }
  }
  return e;
}

size_t FieldIndex::MemoryBytes() const {
  size_t bytes = entries_.capacity() * sizeof(Entry);
  for (const Entry& e : entries_) bytes += e.postings.getSizeInBytes(false);
  bytes += (by_string_.capacity() + by_number_.capacity()) * 24;
  return bytes;
}

}  // namespace accord::engine
