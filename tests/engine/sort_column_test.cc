#include "service/index/sort_column.h"

#include <vector>

#include "gtest/gtest.h"

namespace accord::index {
namespace {

TEST(SortColumnTest, OrdersByValueThenPositionWithMissingValuesFirst) {
  // Positions 0..4 with values 5, none, 3, 5, 3.
  const std::vector<int> values = {5, -1, 3, 5, 3};
  SortColumn c =
      SortColumn::Build(query::Type::kInt, values.size(), [&](size_t p, query::Value* v) {
        if (values[p] < 0) return false;
        v->type = query::Type::kInt;
        v->num = values[p];
        return true;
      });
  EXPECT_EQ(c.sorted(), (std::vector<uint32_t>{1, 2, 4, 0, 3}));
  EXPECT_EQ(c.key(1), 0u);
  EXPECT_EQ(c.key(2), c.key(4));
  EXPECT_LT(c.key(2), c.key(0));
  EXPECT_EQ(c.key(0), c.key(3));
  EXPECT_EQ(c.key_count(), 3u);
  EXPECT_EQ(c.group_begin(1), 1u);
  EXPECT_EQ(c.group_begin(2), 3u);
  EXPECT_EQ(c.group_begin(3), 5u);
  for (uint32_t i = 0; i < 5; ++i) EXPECT_EQ(c.sorted()[c.where(i)], i);
}

TEST(SortColumnTest, IdentityIsPositionOrder) {
  SortColumn c = SortColumn::Identity(3);
  EXPECT_EQ(c.sorted(), (std::vector<uint32_t>{0, 1, 2}));
  EXPECT_LT(c.key(0), c.key(1));
  EXPECT_EQ(c.key_count(), 4u);
}

}  // namespace
}  // namespace accord::index
