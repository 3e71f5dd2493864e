#include "service/index/sort_column.h"

#include <climits>
#include <cstdint>
#include <cstring>
#include <string>
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

// Dates and numbers take a keyed sort; the order must be CompareForOrder's
// (signed values, a date by first then last day), missing values first,
// ties by position, and keys dense.
TEST(SortColumnTest, DatesAndSignedNumbersSortByValueThenPosition) {
  struct Row {
    bool has;
    int32_t first, last;
  };
  const std::vector<Row> dates = {
      {true, 20250101, 20250131}, {false, 0, 0}, {true, -5, 3}, {true, 20250101, 20250101},
      {true, 20250101, 20250131}, {false, 0, 0}, {true, -5, -7}};
  SortColumn d =
      SortColumn::Build(query::Type::kDate, dates.size(), [&](size_t p, query::Value* v) {
        if (!dates[p].has) return false;
        v->type = query::Type::kDate;
        v->date.first = dates[p].first;
        v->date.last = dates[p].last;
        return true;
      });
  EXPECT_EQ(d.sorted(), (std::vector<uint32_t>{1, 5, 6, 2, 3, 0, 4}));
  EXPECT_EQ(d.key_count(), 5u);
  EXPECT_EQ(d.key(1), 0u);
  EXPECT_EQ(d.key(5), 0u);
  EXPECT_EQ(d.key(6), 1u);
  EXPECT_EQ(d.key(2), 2u);
  EXPECT_EQ(d.key(3), 3u);
  EXPECT_EQ(d.key(0), 4u);
  EXPECT_EQ(d.key(4), 4u);
  EXPECT_EQ(d.group_begin(4), 5u);
  for (uint32_t i = 0; i < dates.size(); ++i) EXPECT_EQ(d.sorted()[d.where(i)], i);

  const std::vector<int64_t> nums = {0, INT64_MIN, -1, INT64_MAX, 7, -1};
  SortColumn n = SortColumn::Build(query::Type::kInt, nums.size(), [&](size_t p, query::Value* v) {
    v->type = query::Type::kInt;
    v->num = nums[p];
    return true;
  });
  EXPECT_EQ(n.sorted(), (std::vector<uint32_t>{1, 2, 5, 0, 4, 3}));
  EXPECT_EQ(n.key(1), 1u);  // key 0 is "no value", unused here
  EXPECT_EQ(n.key(2), n.key(5));
  EXPECT_EQ(n.key(3), 5u);
  EXPECT_EQ(n.group_begin(0), 0u);
  EXPECT_EQ(n.group_begin(1), 0u);
  for (uint32_t i = 0; i < nums.size(); ++i) EXPECT_EQ(n.sorted()[n.where(i)], i);
}

TEST(SortColumnTest, IdentityIsPositionOrder) {
  SortColumn c = SortColumn::Identity(3);
  EXPECT_EQ(c.sorted(), (std::vector<uint32_t>{0, 1, 2}));
  EXPECT_LT(c.key(0), c.key(1));
  EXPECT_EQ(c.key_count(), 4u);
}

TEST(SortColumnTest, ReadsBackInPlaceWhenAlignedAndCopiesOtherwise) {
  const std::vector<int> values = {5, -1, 3, 5, 3};
  SortColumn built =
      SortColumn::Build(query::Type::kInt, values.size(), [&](size_t p, query::Value* v) {
        if (values[p] < 0) return false;
        v->type = query::Type::kInt;
        v->num = values[p];
        return true;
      });
  std::string bytes;
  built.Serialize(&bytes);
  // 8-byte aligned memory, and the same bytes one byte further on.
  std::vector<uint64_t> words((bytes.size() + 16) / 8);
  char* aligned = reinterpret_cast<char*>(words.data());
  for (size_t shift : {size_t{0}, size_t{1}}) {
    SCOPED_TRACE(shift);
    std::memcpy(aligned + shift, bytes.data(), bytes.size());
    absl::StatusOr<SortColumn> read =
        SortColumn::Deserialize(absl::string_view(aligned + shift, bytes.size()), values.size());
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->is_view(), shift == 0);
    EXPECT_EQ(read->sorted(), built.sorted());
    if (shift == 0)
      EXPECT_EQ(read->sorted().data(),
                reinterpret_cast<const uint32_t*>(aligned + 16 + 4 * values.size()));
    for (uint32_t p = 0; p < values.size(); ++p) {
      EXPECT_EQ(read->key(p), built.key(p));
      EXPECT_EQ(read->where(p), built.where(p));
    }
    // Moving keeps the views valid (they point at the bytes or at the
    // moved arrays).
    SortColumn moved = *std::move(read);
    EXPECT_EQ(moved.sorted(), built.sorted());
  }
  EXPECT_FALSE(built.is_view());
}

}  // namespace
}  // namespace accord::index
