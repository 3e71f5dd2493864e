// Cooccurrence: pair postings equal the intersection of the two values'
// postings, for every pair of values.
#include "service/index/cooccurrence.h"

#include <algorithm>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "service/index/field_index.h"

namespace accord::index {
namespace {

using query::Type;
using query::Value;

FieldIndex Repeated(const std::vector<std::vector<int>>& values) {
  FieldIndex::Builder b(Type::kInt);
  for (size_t p = 0; p < values.size(); ++p) {
    std::vector<Value> vs;
    for (int x : values[p]) {
      Value v;
      v.type = Type::kInt;
      v.num = x;
      vs.push_back(v);
    }
    b.Add(static_cast<uint32_t>(p), vs.data(), vs.size());
  }
  return std::move(b).Finish();
}

TEST(CooccurrenceTest, PairsAreIntersections) {
  std::mt19937 rng(5);
  std::vector<std::vector<int>> values(5000);
  for (auto& v : values) {
    for (int i = static_cast<int>(rng() % 5); i > 0; --i) {
      const int x = static_cast<int>(rng() % 12);
      if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
    }
  }
  const FieldIndex f = Repeated(values);
  auto pairs = Cooccurrence::Build(f, values.size());
  ASSERT_NE(pairs, nullptr);
  const auto& e = f.entries();
  for (uint32_t a = 0; a < e.size(); ++a) {
    for (uint32_t b = 0; b < e.size(); ++b) {
      if (a == b) continue;
      const Roaring both = e[a].postings & e[b].postings;
      EXPECT_EQ(pairs->Both(a, b), both) << a << " " << b;
    }
  }
  EXPECT_GT(pairs->MemoryBytes(), 0u);
}

TEST(CooccurrenceTest, RecordsWithManyValuesAreNotPaired) {
  // 40 values on every record: 780 pairs per record, 19.5 per posting.
  std::vector<std::vector<int>> values(100);
  for (auto& v : values) {
    for (int x = 0; x < 40; ++x) v.push_back(x);
  }
  EXPECT_EQ(Cooccurrence::Build(Repeated(values), values.size()), nullptr);
}

// Pairs split by a field with few values: every split pair's triples are
// the three-way intersections; pairs held by fewer than MinSplitPair
// records are not split (Find is null), and neither the paired field itself
// nor a field with too many values splits anything.
TEST(CooccurrenceTest, SplitPairsAreThreeWayIntersections) {
  std::mt19937 rng(11);
  const size_t n = 6000;
  std::vector<std::vector<int>> parties(n), areas(n), codes(n);
  for (size_t p = 0; p < n; ++p) {
    // Skewed parties (0 and 1 common, 2..39 rarer), 0-4 per record.
    for (int i = static_cast<int>(rng() % 5); i > 0; --i) {
      const int x = rng() % 3 == 0 ? static_cast<int>(rng() % 2) : static_cast<int>(rng() % 40);
      if (std::find(parties[p].begin(), parties[p].end(), x) == parties[p].end()) {
        parties[p].push_back(x);
      }
    }
    for (int i = static_cast<int>(rng() % 3); i > 0; --i) {
      const int x = static_cast<int>(rng() % 5);
      if (std::find(areas[p].begin(), areas[p].end(), x) == areas[p].end()) areas[p].push_back(x);
    }
    codes[p].push_back(static_cast<int>(p % 100));  // 100 values: too many
  }
  const FieldIndex f = Repeated(parties);
  const FieldIndex by = Repeated(areas);
  auto pairs = Cooccurrence::Build(f, n);
  ASSERT_NE(pairs, nullptr);
  const Cooccurrence::Split* split = pairs->By(by);
  ASSERT_NE(split, nullptr);
  EXPECT_EQ(pairs->By(by), split);  // built once
  const auto& e = f.entries();
  const auto& g = by.entries();
  int split_pairs = 0, unsplit_pairs = 0;
  for (uint32_t a = 0; a < e.size(); ++a) {
    for (uint32_t b = 0; b < e.size(); ++b) {
      if (a == b) continue;
      const Roaring both = e[a].postings & e[b].postings;
      const bool splits = both.cardinality() >= Cooccurrence::MinSplitPair(n);
      (splits ? split_pairs : unsplit_pairs)++;
      for (uint32_t k = 0; k < g.size(); ++k) {
        const Roaring* triple = split->Find(a, b, k);
        if (!splits) {
          EXPECT_EQ(triple, nullptr) << a << " " << b << " " << k;
          continue;
        }
        ASSERT_NE(triple, nullptr) << a << " " << b << " " << k;
        EXPECT_EQ(*triple, both & g[k].postings) << a << " " << b << " " << k;
      }
    }
  }
  // Both kinds occur in this data.
  EXPECT_GT(split_pairs, 0);
  EXPECT_GT(unsplit_pairs, 0);
  const size_t without = pairs->MemoryBytes();
  EXPECT_GT(split->MemoryBytes(), 0u);
  EXPECT_EQ(pairs->By(f), nullptr);
  EXPECT_EQ(pairs->By(Repeated(codes)), nullptr);
  EXPECT_GE(pairs->MemoryBytes(), without);
}

}  // namespace
}  // namespace accord::index
