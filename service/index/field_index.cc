#include "service/index/field_index.h"

#include <algorithm>
#include <limits>

#include "absl/strings/match.h"
#include "service/index/index_bytes.h"
#include "service/index/roaring_bytes.h"
#include "service/query/evaluator.h"

namespace accord::index {
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
  if (count > 1) singular_ = false;
  for (size_t i = 0; i < count; ++i) {
    query::Value v = values[i];
    uint32_t id;
    bool inserted;
    if (type_ == Type::kString) {
      auto it = strings_.find(v.str);
      inserted = it == strings_.end();
      if (inserted) {
        v.str = owned_->emplace_back(v.str);
        it = strings_.emplace(v.str, static_cast<uint32_t>(postings_.size())).first;
      }
      id = it->second;
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
  index.singular_ = singular_;
  index.strings_ = std::move(owned_);
  index.entries_.reserve(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) {
    Entry e{values_[i], Roaring(), 0};
    e.postings.addMany(postings_[i].size(), postings_[i].data());
    // No runOptimize(): name order clusters records (agreement names start
    // with their parties), so run containers would hold thousands of short
    // runs, and run-by-run intersection is several times slower than the
    // word-wise AND of bitset containers. Memory is the price.
    e.postings.shrinkToFit();
    std::vector<uint32_t>().swap(postings_[i]);
    index.entries_.push_back(std::move(e));
  }
  index.Finish();
  return index;
}

void FieldIndex::BuildLevels() {
  levels_.clear();
  size_t below = entries_.size();  // nodes (or entries) on the level below
  while (below > kFanout) {
    std::vector<Node> level;
    const bool first = levels_.empty();
    for (size_t i = 0; i < below; i += kFanout) {
      const size_t stop = std::min(below, i + kFanout);
      Node node;
      std::vector<const Roaring*> parts;
      if (first) {
        node.begin = static_cast<uint32_t>(i);
        node.end = static_cast<uint32_t>(stop);
        node.min_first = std::numeric_limits<int32_t>::max();
        node.max_last = std::numeric_limits<int32_t>::min();
        for (size_t e = i; e < stop; ++e) {
          const Entry& entry = entries_[e];
          parts.push_back(&entry.postings);
          node.count += entry.count;
          node.has_empty |= entry.value.date.empty();
          node.min_first = std::min(node.min_first, entry.value.date.first);
          node.max_last = std::max(node.max_last, entry.value.date.last);
        }
      } else {
        const std::vector<Node>& prev = levels_.back();
        node.begin = prev[i].begin;
        node.end = prev[stop - 1].end;
        node.min_first = std::numeric_limits<int32_t>::max();
        node.max_last = std::numeric_limits<int32_t>::min();
        for (size_t c = i; c < stop; ++c) {
          parts.push_back(&prev[c].postings);
          node.count += prev[c].count;
          node.has_empty |= prev[c].has_empty;
          node.min_first = std::min(node.min_first, prev[c].min_first);
          node.max_last = std::max(node.max_last, prev[c].max_last);
        }
      }
      node.postings = Roaring::fastunion(parts.size(), parts.data());
      node.postings.shrinkToFit();
      level.push_back(std::move(node));
    }
    below = level.size();
    levels_.push_back(std::move(level));
  }
}

bool FieldIndex::Exact(const query::Restriction& r) const {
  const Literal& l = r.literal;
  switch (l.kind) {
    case Literal::Kind::kValue:
      return type_ != Type::kDate;
    case Literal::Kind::kPattern: {
      const auto& pieces = l.pattern.pieces();
      return pieces.size() == 2 && pieces[1].empty();  // "prefix*"
    }
    case Literal::Kind::kHasAny:
      return r.field != nullptr && r.field->explicit_presence;
  }
  return false;
}

bool FieldIndex::NodeMatchesAll(const query::Restriction& r, const Node& node, bool exact) const {
  if (exact) return true;
  if (type_ != Type::kDate) return false;
  if (node.has_empty) return false;
  const Literal& l = r.literal;
  if (l.kind == Literal::Kind::kHasAny) return true;  // every non-empty date is present
  if (l.kind != Literal::Kind::kValue) return false;
  // Bounds over the node imply query::DateSatisfies for every entry.
  switch (r.op) {
    case Comparator::kEq:
    case Comparator::kHas:
    case Comparator::kNe:
      return node.min_first >= l.date.first && node.max_last <= l.date.last;
    case Comparator::kLt:
      return node.max_last < l.date.first;
    case Comparator::kLe:
      return node.max_last <= l.date.last;
    case Comparator::kGt:
      return node.min_first > l.date.last;
    case Comparator::kGe:
      return node.min_first >= l.date.first;
  }
  return false;
}

bool FieldIndex::AllMatch(Conjunction all, size_t entry) const {
  for (const query::Restriction* r : all) {
    if (!EntryMatches(*r, entry)) return false;
  }
  return true;
}

template <typename Take>
void FieldIndex::Visit(Conjunction all, size_t lo, size_t hi, bool exact, size_t level, size_t i,
                       Take& take) const {
  const Node& node = levels_[level][i];
  if (node.end <= lo || node.begin >= hi) return;
  if (lo <= node.begin && node.end <= hi) {
    bool full = true;
    for (const query::Restriction* r : all) full = full && NodeMatchesAll(*r, node, exact);
    if (full) {
      take(node.postings, node.count);
      return;
    }
  }
  if (level == 0) {
    for (size_t e = std::max<size_t>(lo, node.begin); e < std::min<size_t>(hi, node.end); ++e) {
      if (AllMatch(all, e)) take(entries_[e].postings, entries_[e].count);
    }
    return;
  }
  const size_t children = levels_[level - 1].size();
  for (size_t c = i * kFanout; c < std::min(children, (i + 1) * kFanout); ++c) {
    Visit(all, lo, hi, exact, level - 1, c, take);
  }
}

template <typename Take>
void FieldIndex::CollectRange(Conjunction all, size_t lo, size_t hi, bool exact, Take& take) const {
  if (lo >= hi) return;
  if (levels_.empty() || hi - lo <= kFanout) {
    for (size_t e = lo; e < hi; ++e) {
      if (AllMatch(all, e)) take(entries_[e].postings, entries_[e].count);
    }
    return;
  }
  const size_t top = levels_.size() - 1;
  for (size_t i = 0; i < levels_[top].size(); ++i) Visit(all, lo, hi, exact, top, i, take);
}

template <typename Take, typename TakeCore>
void FieldIndex::Collect(Conjunction all, Take take, TakeCore take_core) const {
  size_t lo = 0, hi = entries_.size();
  bool exact = true;
  for (const query::Restriction* r : all) {
    auto [l, h] = Candidates(*r);
    lo = std::max(lo, l);
    hi = std::min(hi, h);
    // Several exact ranges intersect to an exact range.
    exact = exact && Exact(*r);
  }
  if (lo >= hi) return;
  if (!prefix_.empty() && (lo == 0 || hi == entries_.size())) {
    // The core is [c1 * kPrefixStep, c2 * kPrefixStep), or up to the end
    // when c2 is the last prefix (the union of all).
    const size_t last = prefix_.size() - 1;
    const size_t c1 = (lo + kPrefixStep - 1) / kPrefixStep;
    const size_t c2 = hi == entries_.size() ? last : hi / kPrefixStep;
    const size_t core_end = c2 == last ? entries_.size() : c2 * kPrefixStep;
    bool whole = c2 > c1 + 1;  // worth it only for a couple of steps or more
    // Every level-0 node of the core must match entirely (always so for
    // exact ranges; for dates, checked on the nodes' bounds).
    for (size_t i = c1 * kPrefixStep / kFanout;
         whole && i < levels_[0].size() && levels_[0][i].begin < core_end; ++i) {
      for (const query::Restriction* r : all) {
        whole = whole && NodeMatchesAll(*r, levels_[0][i], exact);
      }
    }
    if (whole) {
      take_core(c1, c2);
      CollectRange(all, lo, c1 * kPrefixStep, exact, take);
      CollectRange(all, core_end, hi, exact, take);
      return;
    }
  }
  CollectRange(all, lo, hi, exact, take);
}

void FieldIndex::Finish() {
  std::sort(entries_.begin(), entries_.end(),
            [this](const Entry& a, const Entry& b) { return Less(type_, a.value, b.value); });
  Tables();
  BuildLevels();
  BuildPrefixes();
}

void FieldIndex::Tables() {
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

void FieldIndex::BuildPrefixes() {
  prefix_.clear();
  prefix_count_.clear();
  if (!singular_ || entries_.size() < 4 * kPrefixStep) return;
  Roaring acc;
  prefix_.push_back(acc);
  prefix_count_.push_back(0);
  for (size_t b = kPrefixStep; b <= entries_.size(); b += kPrefixStep) {
    std::vector<const Roaring*> parts = {&acc};
    for (size_t e = b - kPrefixStep; e < b; ++e) parts.push_back(&entries_[e].postings);
    acc = Roaring::fastunion(parts.size(), parts.data());
    acc.shrinkToFit();
    prefix_.push_back(acc);
    prefix_count_.push_back(acc.cardinality());
  }
  // The union of every entry, for suffix ranges.
  std::vector<const Roaring*> parts = {&acc};
  for (size_t e = (prefix_.size() - 1) * kPrefixStep; e < entries_.size(); ++e) {
    parts.push_back(&entries_[e].postings);
  }
  acc = Roaring::fastunion(parts.size(), parts.data());
  acc.shrinkToFit();
  prefix_count_.push_back(acc.cardinality());
  prefix_.push_back(std::move(acc));
}

FieldIndex FieldIndex::FromChildren(const FieldIndex& child,
                                    const std::vector<uint32_t>& parent_of) {
  FieldIndex index;
  index.type_ = child.type_;
  index.strings_ = child.strings_;
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
    auto hi = std::partition_point(
        lo, entries_.end(), [&](const Entry& e) { return absl::StartsWith(e.value.str, prefix); });
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

Roaring FieldIndex::PositiveAll(Conjunction all) const {
  Roaring storage;
  const Roaring& out = PositiveRef(all, &storage);
  return &out == &storage ? storage : out;
}

const Roaring& FieldIndex::PositiveRef(Conjunction all, Roaring* storage) const {
  thread_local std::vector<const Roaring*> parts;
  parts.clear();
  Roaring core;
  Collect(
      all, [&](const Roaring& postings, uint64_t) { parts.push_back(&postings); },
      [&](size_t c1, size_t c2) {
        if (c1 == 0) {
          parts.push_back(&prefix_[c2]);
        } else {
          core = prefix_[c2] - prefix_[c1];
          parts.push_back(&core);
        }
      });
  if (parts.size() == 1 && parts.front() == &core) {
    *storage = std::move(core);
    return *storage;
  }
  if (parts.size() == 1) return *parts.front();
  if (!parts.empty()) *storage = Roaring::fastunion(parts.size(), parts.data());
  return *storage;
}

template <typename Add>
void FieldIndex::VisitRuns(Conjunction all, size_t lo, size_t hi, bool exact, size_t level,
                           size_t i, Add& add) const {
  const Node& node = levels_[level][i];
  if (node.end <= lo || node.begin >= hi) return;
  if (lo <= node.begin && node.end <= hi) {
    bool full = true;
    for (const query::Restriction* r : all) full = full && NodeMatchesAll(*r, node, exact);
    if (full) {
      add(node.begin, node.end);
      return;
    }
  }
  if (level == 0) {
    for (size_t e = std::max<size_t>(lo, node.begin); e < std::min<size_t>(hi, node.end); ++e) {
      if (AllMatch(all, e)) add(e, e + 1);
    }
    return;
  }
  const size_t children = levels_[level - 1].size();
  for (size_t c = i * kFanout; c < std::min(children, (i + 1) * kFanout); ++c) {
    VisitRuns(all, lo, hi, exact, level - 1, c, add);
  }
}

std::vector<FieldIndex::EntryRun> FieldIndex::MatchingEntries(Conjunction all) const {
  std::vector<EntryRun> runs;
  size_t lo = 0, hi = entries_.size();
  bool exact = true;
  for (const query::Restriction* r : all) {
    auto [l, h] = Candidates(*r);
    lo = std::max(lo, l);
    hi = std::min(hi, h);
    exact = exact && Exact(*r);
  }
  if (lo >= hi) return runs;
  auto add = [&](size_t b, size_t e) {
    if (!runs.empty() && runs.back().second == b) {
      runs.back().second = static_cast<uint32_t>(e);
    } else {
      runs.emplace_back(static_cast<uint32_t>(b), static_cast<uint32_t>(e));
    }
  };
  if (levels_.empty()) {
    for (size_t e = lo; e < hi; ++e) {
      if (AllMatch(all, e)) add(e, e + 1);
    }
    return runs;
  }
  const size_t top = levels_.size() - 1;
  for (size_t i = 0; i < levels_[top].size(); ++i) VisitRuns(all, lo, hi, exact, top, i, add);
  return runs;
}

FieldIndex::Estimate FieldIndex::EstimateAll(Conjunction all) const {
  Estimate e;
  Collect(
      all,
      [&](const Roaring&, uint64_t count) {
        e.records += count;
        ++e.entries;
      },
      [&](size_t c1, size_t c2) {
        e.records += prefix_count_[c2] - prefix_count_[c1];
        ++e.entries;
      });
  return e;
}

Roaring FieldIndex::Positive(const query::Restriction& r) const {
  const query::Restriction* one = &r;
  return PositiveAll(Conjunction(&one, 1));
}

FieldIndex::Estimate FieldIndex::EstimatePositive(const query::Restriction& r) const {
  const query::Restriction* one = &r;
  return EstimateAll(Conjunction(&one, 1));
}

void FieldIndex::Serialize(std::string* out) const {
  ByteWriter w(out);
  std::string bitmap;
  auto put_bitmap = [&](const Roaring& r) {
    bitmap.clear();
    AppendPortable(r, &bitmap);
    w.Put<uint64_t>(bitmap.size());
    out->append(bitmap);
  };
  w.Put<uint8_t>(static_cast<uint8_t>(type_));
  w.Put<uint8_t>(singular_ ? 1 : 0);
  w.Put<uint64_t>(entries_.size());
  for (const Entry& e : entries_) {
    switch (type_) {
      case Type::kString:
        w.PutString(e.value.str);
        break;
      case Type::kDate:
        w.Put<int32_t>(e.value.date.first);
        w.Put<int32_t>(e.value.date.last);
        break;
      default:
        w.Put<int64_t>(e.value.num);
        break;
    }
    put_bitmap(e.postings);
  }
  w.Put<uint64_t>(levels_.size());
  for (const auto& level : levels_) {
    w.Put<uint64_t>(level.size());
    for (const Node& node : level) {
      w.Put<uint32_t>(node.begin);
      w.Put<uint32_t>(node.end);
      w.Put<int32_t>(node.min_first);
      w.Put<int32_t>(node.max_last);
      w.Put<uint8_t>(node.has_empty ? 1 : 0);
      w.Put<uint64_t>(node.count);
      put_bitmap(node.postings);
    }
  }
  w.Put<uint64_t>(prefix_.size());
  for (size_t i = 0; i < prefix_.size(); ++i) {
    w.Put<uint64_t>(prefix_count_[i]);
    put_bitmap(prefix_[i]);
  }
}

absl::StatusOr<FieldIndex> FieldIndex::Deserialize(absl::string_view bytes, size_t records) {
  ByteReader r(bytes);
  auto get_bitmap = [&](Roaring* out) {
    uint64_t size;
    absl::string_view blob;
    return r.Get(&size) && r.GetBytes(size, &blob) && ReadPortable(blob, records, out);
  };
  uint8_t type, singular;
  uint64_t count;
  if (!r.Get(&type) || !r.Get(&singular) || !r.Get(&count)) {
    return CorruptIndex("a value index ends early");
  }
  if (type > static_cast<uint8_t>(Type::kDate) || singular > 1) {
    return CorruptIndex("a value index has an unknown type");
  }
  // Every entry takes at least 12 bytes.
  if (count > bytes.size() / 12) return CorruptIndex("a value index has too many entries");
  FieldIndex index;
  index.type_ = static_cast<Type>(type);
  index.singular_ = singular == 1;
  auto owned = std::make_shared<std::deque<std::string>>();
  index.entries_.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    Entry e;
    e.value.type = index.type_;
    bool ok = true;
    switch (index.type_) {
      case Type::kString: {
        absl::string_view s;
        ok = r.GetString(&s);
        if (ok) e.value.str = owned->emplace_back(s);
        break;
      }
      case Type::kDate:
        ok = r.Get(&e.value.date.first) && r.Get(&e.value.date.last);
        break;
      default:
        ok = r.Get(&e.value.num);
        break;
    }
    if (!ok || !get_bitmap(&e.postings)) return CorruptIndex("a posting list does not decode");
    if (i > 0 && !Less(index.type_, index.entries_.back().value, e.value)) {
      return CorruptIndex("a value index is out of order");
    }
    index.entries_.push_back(std::move(e));
  }
  index.strings_ = std::move(owned);
  index.Tables();
  // The levels and prefixes, in exactly the shape BuildLevels and
  // BuildPrefixes give for this many entries (the queries index them so).
  uint64_t levels;
  if (!r.Get(&levels)) return CorruptIndex("a value index ends early");
  size_t below = index.entries_.size();
  for (uint64_t l = 0; l < levels; ++l) {
    uint64_t nodes;
    if (below <= kFanout || !r.Get(&nodes) || nodes != (below + kFanout - 1) / kFanout) {
      return CorruptIndex("a value index's levels do not fit its entries");
    }
    std::vector<Node> level(nodes);
    for (Node& node : level) {
      uint8_t has_empty;
      if (!r.Get(&node.begin) || !r.Get(&node.end) || !r.Get(&node.min_first) ||
          !r.Get(&node.max_last) || !r.Get(&has_empty) || !r.Get(&node.count) ||
          !get_bitmap(&node.postings)) {
        return CorruptIndex("a value index's level does not decode");
      }
      if (node.begin >= node.end || node.end > index.entries_.size() || has_empty > 1) {
        return CorruptIndex("a value index's level covers other entries");
      }
      node.has_empty = has_empty == 1;
    }
    below = level.size();
    index.levels_.push_back(std::move(level));
  }
  if (below > kFanout) return CorruptIndex("a value index lacks levels");
  uint64_t prefixes;
  if (!r.Get(&prefixes)) return CorruptIndex("a value index ends early");
  const size_t want = index.singular_ && index.entries_.size() >= 4 * kPrefixStep
                          ? index.entries_.size() / kPrefixStep + 2
                          : 0;
  if (prefixes != want) return CorruptIndex("a value index's prefixes do not fit its entries");
  for (uint64_t i = 0; i < prefixes; ++i) {
    uint64_t c;
    Roaring bitmap;
    if (!r.Get(&c) || !get_bitmap(&bitmap)) return CorruptIndex("a prefix does not decode");
    index.prefix_count_.push_back(c);
    index.prefix_.push_back(std::move(bitmap));
  }
  if (!r.done()) return CorruptIndex("a value index has bytes left over");
  return index;
}

size_t FieldIndex::MemoryBytes() const {
  size_t bytes = entries_.capacity() * sizeof(Entry);
  for (const Entry& e : entries_) bytes += e.postings.getSizeInBytes(false);
  for (const auto& level : levels_) {
    for (const Node& n : level) bytes += sizeof(Node) + n.postings.getSizeInBytes(false);
  }
  for (const Roaring& p : prefix_) bytes += p.getSizeInBytes(false);
  bytes += (by_string_.capacity() + by_number_.capacity()) * 24;
  return bytes;
}

}  // namespace accord::index
