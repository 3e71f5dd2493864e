// Cooccurrence: pair postings equal the intersection of the two values'
// postings, for every pair of values.
#include "service/index/cooccurrence.h"

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

}  // namespace
}  // namespace accord::index
