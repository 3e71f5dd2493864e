// RankSpace: rank postings, pair postings and date intervals equal what
// the position-space value indexes say, mapped through the sorted column.
#include "service/index/rank_space.h"

#include <algorithm>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "service/index/field_index.h"
#include "service/index/sort_column.h"

namespace accord::index {
namespace {

using query::Comparator;
using query::DateRange;
using query::Restriction;
using query::Type;
using query::Value;

// A small collection: a date (day, month or year precision, or empty),
// a kind (enum 0..3) and 0-3 parties (ints 0..9) per record.
struct Data {
  std::vector<DateRange> dates;
  std::vector<int> kinds;
  std::vector<std::vector<int>> parties;
};

DateRange Day(int y, int m, int d) { return {y * 10000 + m * 100 + d, y * 10000 + m * 100 + d}; }

Data Generate(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  auto below = [&](int k) { return static_cast<int>(rng() % k); };
  Data d;
  for (size_t p = 0; p < n; ++p) {
    const int y = 2000 + below(6), m = 1 + below(12), day = 1 + below(28);
    switch (below(6)) {
      case 0:
        d.dates.push_back({});  // no date
        break;
      case 1:
        d.dates.push_back({y * 10000 + 101, y * 10000 + 1231});
        break;
      case 2:
        d.dates.push_back({y * 10000 + m * 100 + 1, y * 10000 + m * 100 + 28});
        break;
      default:
        d.dates.push_back(Day(y, m, day));
    }
    d.kinds.push_back(below(4));
    std::vector<int> ps;
    for (int i = below(4); i > 0; --i) ps.push_back(below(10));
    std::sort(ps.begin(), ps.end());
    ps.erase(std::unique(ps.begin(), ps.end()), ps.end());
    d.parties.push_back(ps);
  }
  return d;
}

struct Built {
  SortColumn column;
  FieldIndex dates, kinds, parties;
};

void Build(const Data& d, Built* b) {
  const size_t n = d.dates.size();
  FieldIndex::Builder dates(Type::kDate), kinds(Type::kEnum), parties(Type::kInt);
  for (size_t p = 0; p < n; ++p) {
    Value v;
    v.type = Type::kDate;
    v.date = d.dates[p];
    dates.Add(static_cast<uint32_t>(p), &v, 1);
    Value k;
    k.type = Type::kEnum;
    k.num = d.kinds[p];
    kinds.Add(static_cast<uint32_t>(p), &k, 1);
    std::vector<Value> ps;
    for (int x : d.parties[p]) {
      Value pv;
      pv.type = Type::kInt;
      pv.num = x;
      ps.push_back(pv);
    }
    parties.Add(static_cast<uint32_t>(p), ps.data(), ps.size());
  }
  b->dates = std::move(dates).Finish();
  b->kinds = std::move(kinds).Finish();
  b->parties = std::move(parties).Finish();
  b->column = SortColumn::Build(Type::kDate, n, [&](size_t p, Value* v) {
    v->type = Type::kDate;
    v->date = d.dates[p];
    return true;  // an unset Date extracts as the empty date
  });
}

std::vector<uint32_t> Sorted(const Roaring& r) {
  std::vector<uint32_t> out(r.cardinality());
  r.toUint32Array(out.data());
  return out;
}

// Positions of a set of ranks, sorted.
std::vector<uint32_t> ToPositions(const RankSpace& s, const Roaring& ranks) {
  std::vector<uint32_t> out;
  for (uint32_t r : ranks) out.push_back(s.position(r));
  std::sort(out.begin(), out.end());
  return out;
}

TEST(RankSpaceTest, PostingsArePositionPostingsInDateOrder) {
  const Data d = Generate(3000, 1);
  Built b;
  Build(d, &b);
  auto space = RankSpace::Build(&b.column, &b.dates);
  ASSERT_NE(space, nullptr);
  for (const FieldIndex* f : {&b.kinds, &b.parties}) {
    const std::vector<Roaring>& ranks = space->Postings(*f);
    ASSERT_EQ(ranks.size(), f->entries().size());
    for (size_t e = 0; e < ranks.size(); ++e) {
      EXPECT_EQ(ToPositions(*space, ranks[e]), Sorted(f->entries()[e].postings));
      // In rank order the records come by date, then by name (position).
      uint32_t prev_pos = 0, prev_key = 0;
      bool first = true;
      for (uint32_t r : ranks[e]) {
        const uint32_t p = space->position(r), key = b.column.key(p);
        if (!first) EXPECT_TRUE(prev_key < key || (prev_key == key && prev_pos < p));
        prev_pos = p;
        prev_key = key;
        first = false;
      }
    }
  }
  EXPECT_GT(space->MemoryBytes(), 0u);
}

TEST(RankSpaceTest, RanksByPositionFollowThePostings) {
  const Data d = Generate(2000, 6);
  Built b;
  Build(d, &b);
  auto space = RankSpace::Build(&b.column, &b.dates);
  ASSERT_NE(space, nullptr);
  const auto& walks = space->RanksByPosition(b.parties);
  ASSERT_EQ(walks.size(), b.parties.entries().size());
  for (size_t e = 0; e < walks.size(); ++e) {
    std::vector<uint32_t> want_positions, want_ranks;
    for (uint32_t p : b.parties.entries()[e].postings) {
      want_positions.push_back(p);
      want_ranks.push_back(b.column.where(p));
    }
    EXPECT_EQ(walks[e].positions, want_positions) << e;
    EXPECT_EQ(walks[e].ranks, want_ranks) << e;
  }
}

TEST(RankSpaceTest, PairsAreIntersectionsOfBothFields) {
  const Data d = Generate(3000, 2);
  Built b;
  Build(d, &b);
  auto space = RankSpace::Build(&b.column, &b.dates);
  ASSERT_NE(space, nullptr);
  const std::vector<Roaring>* pairs = space->Pairs(b.parties, b.kinds);
  ASSERT_NE(pairs, nullptr);
  const size_t nk = b.kinds.entries().size();
  ASSERT_EQ(pairs->size(), b.parties.entries().size() * nk);
  for (size_t e = 0; e < b.parties.entries().size(); ++e) {
    for (size_t k = 0; k < nk; ++k) {
      const Roaring both = b.parties.entries()[e].postings & b.kinds.entries()[k].postings;
      EXPECT_EQ(ToPositions(*space, (*pairs)[e * nk + k]), Sorted(both)) << e << " " << k;
    }
  }
  // A `by` field with many values gets no pair table.
  EXPECT_EQ(space->Pairs(b.kinds, b.dates), nullptr);
}

TEST(RankSpaceTest, IntervalsCoverExactlyTheMatchingDates) {
  const Data d = Generate(4000, 3);
  Built b;
  Build(d, &b);
  auto space = RankSpace::Build(&b.column, &b.dates);
  ASSERT_NE(space, nullptr);
  const Comparator kOps[] = {Comparator::kEq, Comparator::kLt, Comparator::kLe, Comparator::kGt,
                             Comparator::kGe};
  const DateRange kLiterals[] = {{20020101, 20021231},
                                 {20030601, 20030630},
                                 Day(2004, 2, 14),
                                 {20000101, 20051231},
                                 Day(1999, 1, 1)};
  for (Comparator op : kOps) {
    for (const DateRange& lit : kLiterals) {
      Restriction r;
      r.op = op;
      r.literal.type = Type::kDate;
      r.literal.date = lit;
      const Restriction* one = &r;
      const FieldIndex::Conjunction all(&one, 1);
      Roaring ranks;
      uint32_t prev_end = 0;
      for (const auto& [lo, hi] : space->Intervals(all)) {
        EXPECT_LT(lo, hi);
        if (prev_end > 0) EXPECT_LT(prev_end, lo);  // disjoint and not adjacent
        prev_end = hi;
        roaring_bitmap_add_range(&ranks.roaring, lo, hi);
      }
      EXPECT_EQ(ToPositions(*space, ranks), Sorted(b.dates.PositiveAll(all)))
          << static_cast<int>(op) << " " << lit.first << ".." << lit.last;
    }
  }
  // Two-sided: a conjunction.
  Restriction ge, le;
  ge.op = Comparator::kGe;
  ge.literal.type = Type::kDate;
  ge.literal.date = {20010101, 20011231};
  le.op = Comparator::kLe;
  le.literal.type = Type::kDate;
  le.literal.date = {20020101, 20021231};
  const Restriction* both[] = {&ge, &le};
  const FieldIndex::Conjunction all(both, 2);
  const std::vector<RankSpace::Interval> iv = space->Intervals(all);
  ASSERT_FALSE(iv.empty());
  Roaring ranks;
  for (const auto& [lo, hi] : iv) roaring_bitmap_add_range(&ranks.roaring, lo, hi);
  EXPECT_EQ(ToPositions(*space, ranks), Sorted(b.dates.PositiveAll(all)));
}

TEST(RankSpaceTest, RefusesAColumnThatIsNotTheIndexedField) {
  const Data d = Generate(500, 4);
  Built b;
  Build(d, &b);
  // The kinds' value index does not describe the date column's keys.
  EXPECT_EQ(RankSpace::Build(&b.column, &b.kinds), nullptr);
  EXPECT_EQ(RankSpace::Build(&b.column, nullptr), nullptr);
}

}  // namespace
}  // namespace accord::index
