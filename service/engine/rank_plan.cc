#include "service/engine/rank_plan.h"

#include <algorithm>
#include <deque>
#include <iterator>
#include <vector>

#include "absl/types/span.h"
#include "roaring/roaring.hh"
#include "service/index/collection_index.h"
#include "service/index/rank_space.h"

namespace accord::engine {
namespace {

using index::CollectionIndex;
using index::FieldIndex;
using index::RankSpace;
using query::CheckedExpr;
using query::Comparator;
using query::Restriction;

// A restriction matching more values than this is left to the
// position-space plan (its union would cost more than it saves).
constexpr size_t kMaxEntries = 16;
constexpr uint64_t kPollEvery = 4096;

// One restriction on a field other than the date.
struct Term {
  const Restriction* restriction = nullptr;
  const FieldIndex* index = nullptr;
  std::vector<FieldIndex::EntryRun> runs;
  size_t entries = 0;  // entries matched
  uint64_t count = 0;  // sum of their counts: the records, for one entry
};

// A query taken apart for the rank-space plan.
struct Shape {
  RankPlan plan = RankPlan::kNotApplicable;
  const RankSpace* space = nullptr;
  const query::Field* date = nullptr;
  bool desc = false;
  std::vector<const Restriction*> on_date;  // restrictions on the date field
  std::vector<Term> terms;                  // the others
};

// The restrictions of a conjunction (nested ANDs flattened); false when
// some part is not a restriction.
bool Flatten(const CheckedExpr& e, std::vector<const Restriction*>* out) {
  if (e.kind == CheckedExpr::Kind::kRestriction) {
    out->push_back(&e.restriction);
    return true;
  }
  if (e.kind != CheckedExpr::Kind::kAnd || e.children.empty()) return false;
  for (const CheckedExpr& child : e.children) {
    if (!Flatten(child, out)) return false;
  }
  return true;
}

Shape Analyze(const serving::Collection& c, const ListQuery& q) {
  Shape s;
  if (q.filter == nullptr || q.begin != 0 || std::min(q.end, c.size()) != c.size() ||
      c.size() == 0) {
    return s;
  }
  const CollectionIndex& index = c.index();
  bool ordered = false;
  if (q.order != nullptr && !q.order->empty()) {
    if (q.order->size() != 1) return s;
    const query::OrderKey& key = q.order->front();
    if (index.IsName(key.field)) {
      if (key.desc) return s;
    } else {
      ordered = true;
      s.date = key.field;
      s.desc = key.desc;
    }
  }
  std::vector<const Restriction*> all;
  if (!Flatten(*q.filter, &all)) return s;
  for (const Restriction* r : all) {
    if (r->field == nullptr || r->op == Comparator::kNe || index.IsName(r->field)) return s;
  }
  if (!ordered) {
    // Name order: worth it only with a range on a date field, which rank
    // space turns into an interval.
    for (const Restriction* r : all) {
      if (r->field->type == query::Type::kDate && !r->field->repeated) {
        s.date = r->field;
        break;
      }
    }
    if (s.date == nullptr) return s;
  }
  s.space = index.rank_space(s.date);
  if (s.space == nullptr) return s;
  for (const Restriction* r : all) {
    if (r->field == s.date) {
      s.on_date.push_back(r);
      continue;
    }
    Term t;
    t.restriction = r;
    t.index = index.field(r->field);
    if (t.index == nullptr) return s;
    t.runs = t.index->MatchingEntries(FieldIndex::Conjunction(&t.restriction, 1));
    for (const auto& [b, e] : t.runs) {
      t.entries += e - b;
      if (t.entries > kMaxEntries) return s;
      for (uint32_t i = b; i < e; ++i) t.count += t.index->entries()[i].count;
    }
    s.terms.push_back(std::move(t));
  }
  // In name order, a page needs position-space postings to walk or the
  // matches gathered; a bare date range is better served by the
  // position-space prefix bitmaps.
  if (!ordered && s.terms.empty()) return s;
  s.plan = ordered ? RankPlan::kOrdered : RankPlan::kNameOrder;
  return s;
}

absl::Status Cancelled() {
  return absl::CancelledError("the request was cancelled while reading results");
}

// Pages along the date, ascending: rank order is exactly (date, name).
void AscendingPage(const RankSpace& space, const Roaring& m, const ListQuery& q, ListPage* page) {
  uint32_t start = 0;
  if (q.after >= 0) {
    start = space.rank(static_cast<uint32_t>(q.after)) + 1;
  } else if (!m.select(static_cast<uint32_t>(q.offset), &start)) {
    return;
  }
  auto it = m.begin();
  it.equalorlarger(start);
  for (; it != m.end() && page->positions.size() < q.limit; ++it) {
    page->positions.push_back(space.position(*it));
  }
}

// Pages along the date, descending: groups of equal dates from the
// newest, each group still in name order (as List breaks ties).
absl::Status DescendingPage(const RankSpace& space, const Roaring& m, const ListQuery& q,
                            ListPage* page) {
  uint64_t skip = q.after >= 0 ? 0 : q.offset;
  // Emits the matches in [from, to) in rank order, after `skip`.
  auto emit = [&](uint32_t from, uint32_t to) {
    auto it = m.begin();
    it.equalorlarger(from);
    for (; it != m.end() && *it < to && page->positions.size() < q.limit; ++it) {
      if (skip > 0) {
        --skip;
        continue;
      }
      page->positions.push_back(space.position(*it));
    }
  };
  uint32_t hi = static_cast<uint32_t>(space.size());  // groups below hi are left
  if (q.after >= 0) {
    const uint32_t r = space.rank(static_cast<uint32_t>(q.after));
    const RankSpace::Interval g = space.Group(r);
    emit(r + 1, g.second);
    hi = g.first;
  }
  uint64_t groups = 0;
  while (page->positions.size() < q.limit && hi > 0) {
    // An offset skips whole groups, polling for cancellation.
    if (++groups % kPollEvery == 0 && q.cancelled && q.cancelled()) return Cancelled();
    const uint64_t below = m.rank(hi - 1);  // matches at ranks < hi
    if (below == 0) break;
    uint32_t top = 0;
    m.select(static_cast<uint32_t>(below - 1), &top);
    const RankSpace::Interval g = space.Group(top);
    const uint64_t in_group = below - (g.first > 0 ? m.rank(g.first - 1) : 0);
    if (skip >= in_group) {
      skip -= in_group;
    } else {
      emit(g.first, top + 1);
      skip = 0;
    }
    hi = g.first;
  }
  return absl::OkStatus();
}

// Whether rank `r` lies in one of `intervals` (sorted, disjoint).
bool InIntervals(const std::vector<RankSpace::Interval>& intervals, uint32_t r) {
  auto it =
      std::upper_bound(intervals.begin(), intervals.end(), r,
                       [](uint32_t x, const RankSpace::Interval& iv) { return x < iv.first; });
  return it != intervals.begin() && r < std::prev(it)->second;
}

// Name order, one term and a date range: the page is the first records of
// the term's walk (after the cursor, after the offset) whose rank lies in
// `intervals` (non-empty). The ranks are scanned as a flat array, the
// check being one subtraction and comparison against the intervals' hull
// (and the intervals themselves only when there are several).
absl::Status ScanWalk(const RankSpace::Walk& walk,
                      const std::vector<RankSpace::Interval>& intervals, const ListQuery& q,
                      ListPage* page) {
  const uint32_t lo = intervals.front().first;
  const uint32_t span = intervals.back().second - lo;
  const bool hull = intervals.size() == 1;
  const uint32_t* ranks = walk.ranks.data();
  const size_t n = walk.ranks.size();
  size_t i = 0;
  uint64_t skip = q.offset;
  if (q.after >= 0) {
    i = std::upper_bound(walk.positions.begin(), walk.positions.end(),
                         static_cast<uint32_t>(q.after)) -
        walk.positions.begin();
    skip = 0;
  }
  constexpr size_t kBlock = 4096;
  while (i < n) {
    if (i > 0 && q.cancelled && q.cancelled()) return Cancelled();
    const size_t end = std::min(n, i + kBlock);
    for (; i < end; ++i) {
      const uint32_t r = ranks[i];
      if (r - lo >= span) continue;
      if (!hull && !InIntervals(intervals, r)) continue;
      if (skip > 0) {
        --skip;
        continue;
      }
      page->positions.push_back(walk.positions[i]);
      if (page->positions.size() >= q.limit) return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

// Name order: the smallest positions among the matches (after the cursor).
// `matches()` returns the matches in rank space (materialized on first
// call); `total` is their number.
template <typename Matches>
absl::Status NameOrderPage(const Shape& s, const std::vector<RankSpace::Interval>& intervals,
                           Matches matches_in_rank_space, uint64_t total, const ListQuery& q,
                           ListPage* page) {
  const RankSpace& space = *s.space;
  const uint64_t wanted = (q.after >= 0 ? 0 : q.offset) + q.limit;
  // The smallest single-value term's position postings: a superset of the
  // matches, in name order.
  const Roaring* walk = nullptr;
  const Term* walk_term = nullptr;
  for (const Term& t : s.terms) {
    if (t.entries != 1) continue;
    const Roaring& p = t.index->entries()[t.runs.front().first].postings;
    if (walk == nullptr || p.cardinality() < walk->cardinality()) {
      walk = &p;
      walk_term = &t;
    }
  }
  // Walking probes about wanted * |walk| / total postings (an array read
  // and a bitmap probe each); gathering converts and selects every match.
  // With one term, walking it leaves only the date to check: whether the
  // rank falls in an interval, with no bitmap probe; the walked records'
  // ranks are scanned as a flat array (RanksByPosition), and a position is
  // read only for a record kept.
  const bool date_only = s.terms.size() == 1 && !intervals.empty();
  // Scanning costs about a nanosecond per rank; gathering builds the
  // matches (a bitmap intersection) and then reads, for each match, its
  // position at random and selects: a few microseconds and ~15 ns a match.
  if (date_only && walk != nullptr && wanted * walk->cardinality() / total <= 16 * total + 4096) {
    return ScanWalk(space.RanksByPosition(*walk_term->index)[walk_term->runs.front().first],
                    intervals, q, page);
  }
  // Several terms: each walked record is probed in the matches.
  auto matches = [&](uint32_t p) { return matches_in_rank_space().contains(space.rank(p)); };
  uint64_t n = 0;
  if (walk != nullptr && wanted * walk->cardinality() / total <= 3 * total) {
    uint64_t skip = q.after >= 0 ? 0 : q.offset;
    // Read the walk in batches (the iterator's per-element call costs more
    // than the check).
    roaring_uint32_iterator_t it;
    roaring_init_iterator(&walk->roaring, &it);
    if (q.after >= 0) {
      if (static_cast<uint32_t>(q.after) + 1 == 0) return absl::OkStatus();
      roaring_move_uint32_iterator_equalorlarger(&it, static_cast<uint32_t>(q.after) + 1);
    }
    constexpr uint32_t kBatch = 256;
    uint32_t batch[kBatch];
    while (page->positions.size() < q.limit) {
      const uint32_t got = roaring_read_uint32_iterator(&it, batch, kBatch);
      if (got == 0) break;
      if ((n += got) % kPollEvery < got && q.cancelled && q.cancelled()) return Cancelled();
      for (uint32_t k = 0; k < got && page->positions.size() < q.limit; ++k) {
        if (!matches(batch[k])) continue;
        if (skip > 0) {
          --skip;
          continue;
        }
        page->positions.push_back(batch[k]);
      }
    }
    return absl::OkStatus();
  }
  std::vector<uint32_t> positions;
  positions.reserve(total);
  for (uint32_t r : matches_in_rank_space()) {
    if (++n % kPollEvery == 0 && q.cancelled && q.cancelled()) return Cancelled();
    const uint32_t p = space.position(r);
    if (q.after < 0 || p > static_cast<uint32_t>(q.after)) positions.push_back(p);
  }
  const size_t skip = q.after >= 0 ? 0 : q.offset;
  if (skip >= positions.size()) return absl::OkStatus();
  const size_t stop = std::min(positions.size(), skip + q.limit);
  std::nth_element(positions.begin(), positions.begin() + (stop - 1), positions.end());
  std::sort(positions.begin(), positions.begin() + stop);
  page->positions.assign(positions.begin() + skip, positions.begin() + stop);
  return absl::OkStatus();
}

}  // namespace

RankPlan ChooseRankPlan(const serving::Collection& collection, const ListQuery& query) {
  return Analyze(collection, query).plan;
}

absl::StatusOr<bool> ListInRankSpace(const serving::Collection& collection, const ListQuery& q,
                                     ListPage* page) {
  const Shape s = Analyze(collection, q);
  if (s.plan == RankPlan::kNotApplicable) return false;
  const RankSpace& space = *s.space;
  page->positions.clear();
  page->total_size = 0;

  std::vector<RankSpace::Interval> intervals;
  const bool ranged = !s.on_date.empty();
  if (ranged) {
    intervals = space.Intervals(absl::MakeConstSpan(s.on_date));
    if (intervals.empty()) return true;
  }
  for (const Term& t : s.terms) {
    if (t.count == 0) return true;
  }

  // The terms' rank postings; a single-value term on a field with few
  // values (kind, state) and another single-value term read one pair
  // posting list instead of two.
  std::vector<const Roaring*> parts;
  std::deque<Roaring> owned;
  std::vector<bool> used(s.terms.size(), false);
  int by = -1;
  for (size_t i = 0; i < s.terms.size(); ++i) {
    const Term& t = s.terms[i];
    if (t.entries == 1 && !t.restriction->field->repeated &&
        t.index->entries().size() <= RankSpace::kMaxPairBy &&
        (by < 0 || t.count < s.terms[by].count)) {
      by = static_cast<int>(i);
    }
  }
  if (by >= 0) {
    int with = -1;
    for (size_t i = 0; i < s.terms.size(); ++i) {
      const Term& t = s.terms[i];
      if (static_cast<int>(i) == by || t.entries != 1 ||
          t.index->entries().size() > RankSpace::kMaxPairField) {
        continue;
      }
      if (with < 0 || t.count < s.terms[with].count) with = static_cast<int>(i);
    }
    if (with >= 0) {
      const Term& f = s.terms[with];
      const Term& b = s.terms[by];
      if (const std::vector<Roaring>* pairs = space.Pairs(*f.index, *b.index); pairs != nullptr) {
        parts.push_back(
            &(*pairs)[f.runs.front().first * b.index->entries().size() + b.runs.front().first]);
        used[with] = used[by] = true;
      }
    }
  }
  for (size_t i = 0; i < s.terms.size(); ++i) {
    if (used[i]) continue;
    const Term& t = s.terms[i];
    const std::vector<Roaring>& postings = space.Postings(*t.index);
    if (t.entries == 1) {
      parts.push_back(&postings[t.runs.front().first]);
      continue;
    }
    std::vector<const Roaring*> union_of;
    for (const auto& [b, e] : t.runs) {
      for (uint32_t j = b; j < e; ++j) union_of.push_back(&postings[j]);
    }
    owned.push_back(Roaring::fastunion(union_of.size(), union_of.data()));
    parts.push_back(&owned.back());
  }
  std::sort(parts.begin(), parts.end(),
            [](const Roaring* a, const Roaring* b) { return a->cardinality() < b->cardinality(); });

  auto interval_bitmap = [&] {
    Roaring r;
    for (const auto& [b, e] : intervals) roaring_bitmap_add_range(&r.roaring, b, e);
    return r;
  };
  const bool need_page = q.limit > 0;
  Roaring matches;
  const Roaring* m = nullptr;
  if (parts.empty()) {
    matches = interval_bitmap();
    m = &matches;
  } else if (!ranged && parts.size() == 1) {
    m = parts.front();
  } else if (parts.size() == 1 && (!need_page || s.plan == RankPlan::kNameOrder)) {
    // A count over date ranges: range cardinalities, nothing built; in
    // name order the matches are built only if the page needs them.
    for (const auto& [b, e] : intervals) {
      page->total_size += roaring_bitmap_range_cardinality(&parts.front()->roaring, b, e);
    }
    if (!need_page || page->total_size == 0) return true;
    bool built = false;
    auto lazily = [&]() -> const Roaring& {
      if (!built) {
        matches = *parts.front() & interval_bitmap();
        built = true;
      }
      return matches;
    };
    absl::Status st = NameOrderPage(s, intervals, lazily, page->total_size, q, page);
    if (!st.ok()) return st;
    return true;
  } else if (!need_page && !ranged && parts.size() == 2) {
    page->total_size = parts[0]->and_cardinality(*parts[1]);
    return true;
  } else {
    size_t i = 0;
    if (ranged) {
      matches = *parts[0] & interval_bitmap();
      i = 1;
    } else {
      matches = *parts[0] & *parts[1];
      i = 2;
    }
    for (; i < parts.size() && !matches.isEmpty(); ++i) matches &= *parts[i];
    m = &matches;
  }
  page->total_size = m->cardinality();
  if (!need_page || page->total_size == 0) return true;
  if (s.plan == RankPlan::kNameOrder) {
    absl::Status st = NameOrderPage(
        s, intervals, [m]() -> const Roaring& { return *m; }, page->total_size, q, page);
    if (!st.ok()) return st;
  } else if (s.desc) {
    absl::Status st = DescendingPage(space, *m, q, page);
    if (!st.ok()) return st;
  } else {
    AscendingPage(space, *m, q, page);
  }
  return true;
}

}  // namespace accord::engine
