// The first-page memo of a compiled List query: what was kept is found
// for the same key only, bounded in pages and in page size, the least
// recently used dropped first.
#include "service/api/page_memo.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace accord::api {
namespace {

using ::testing::ElementsAre;

TEST(PageMemoTest, FindsAPageForTheSameRangeAndLimitOnly) {
  PageMemo memo;
  std::vector<uint32_t> positions = {99};
  size_t total = 7;
  EXPECT_FALSE(memo.Find({0, 100, 10}, &positions, &total));
  EXPECT_THAT(positions, ElementsAre(99));  // untouched on a miss
  EXPECT_EQ(total, 7u);
  memo.Insert({0, 100, 10}, {3, 5, 8}, 42);
  ASSERT_TRUE(memo.Find({0, 100, 10}, &positions, &total));
  EXPECT_THAT(positions, ElementsAre(3, 5, 8));
  EXPECT_EQ(total, 42u);
  EXPECT_FALSE(memo.Find({0, 100, 11}, &positions, &total));  // another page size
  EXPECT_FALSE(memo.Find({1, 100, 10}, &positions, &total));  // another parent range
  EXPECT_FALSE(memo.Find({0, 99, 10}, &positions, &total));
}

TEST(PageMemoTest, AKeptPageGivesItsTotalForItsRangeAtAnyPageSize) {
  PageMemo memo;
  size_t total = 0;
  EXPECT_FALSE(memo.FindTotal(0, 100, &total));
  memo.Insert({0, 100, 10}, {3, 5, 8}, 42);
  memo.Insert({100, 200, 10}, {150}, 1);
  ASSERT_TRUE(memo.FindTotal(0, 100, &total));
  EXPECT_EQ(total, 42u);
  ASSERT_TRUE(memo.FindTotal(100, 200, &total));
  EXPECT_EQ(total, 1u);
  EXPECT_FALSE(memo.FindTotal(0, 200, &total));
  EXPECT_FALSE(memo.FindTotal(1, 100, &total));
}

TEST(PageMemoTest, AnEmptyPageIsKeptWithItsTotal) {
  PageMemo memo;
  memo.Insert({0, 100, 10}, {}, 0);
  std::vector<uint32_t> positions = {1};
  size_t total = 9;
  ASSERT_TRUE(memo.Find({0, 100, 10}, &positions, &total));
  EXPECT_TRUE(positions.empty());
  EXPECT_EQ(total, 0u);
}

TEST(PageMemoTest, InsertingTheSameKeyAgainReplacesThePage) {
  PageMemo memo;
  memo.Insert({0, 100, 2}, {1, 2}, 5);
  memo.Insert({0, 100, 2}, {3, 4}, 6);
  EXPECT_EQ(memo.size(), 1u);
  std::vector<uint32_t> positions;
  size_t total = 0;
  ASSERT_TRUE(memo.Find({0, 100, 2}, &positions, &total));
  EXPECT_THAT(positions, ElementsAre(3, 4));
  EXPECT_EQ(total, 6u);
}

TEST(PageMemoTest, DoesNotKeepLargePages) {
  PageMemo memo;
  std::vector<uint32_t> big(PageMemo::kMaxPositions + 1, 1);
  memo.Insert({0, 1000, big.size()}, big, 5000);
  EXPECT_EQ(memo.size(), 0u);
  std::vector<uint32_t> largest(PageMemo::kMaxPositions, 1);
  memo.Insert({0, 1000, largest.size()}, largest, 5000);
  EXPECT_EQ(memo.size(), 1u);
}

TEST(PageMemoTest, DropsTheLeastRecentlyUsedPageWhenFull) {
  PageMemo memo;
  for (size_t limit = 1; limit <= PageMemo::kMaxEntries; ++limit) {
    memo.Insert({0, 100, limit}, {static_cast<uint32_t>(limit)}, limit);
  }
  std::vector<uint32_t> positions;
  size_t total = 0;
  ASSERT_TRUE(memo.Find({0, 100, 1}, &positions, &total));  // limit 2 is now the oldest
  memo.Insert({0, 100, 99}, {99}, 99);
  EXPECT_EQ(memo.size(), PageMemo::kMaxEntries);
  EXPECT_FALSE(memo.Find({0, 100, 2}, &positions, &total));
  ASSERT_TRUE(memo.Find({0, 100, 1}, &positions, &total));
  EXPECT_THAT(positions, ElementsAre(1));
  ASSERT_TRUE(memo.Find({0, 100, 99}, &positions, &total));
  EXPECT_THAT(positions, ElementsAre(99));
  EXPECT_EQ(total, 99u);
}

}  // namespace
}  // namespace accord::api
