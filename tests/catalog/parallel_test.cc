#include "service/catalog/parallel.h"

#include <mutex>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace accord::catalog {
namespace {

using ::testing::ElementsAre;

// The ranges each chunk was given, by chunk.
std::vector<std::pair<size_t, size_t>> Ranges(size_t n, size_t chunks) {
  std::vector<std::pair<size_t, size_t>> got(chunks, {999, 999});
  std::mutex mu;
  ParallelChunks(n, chunks, [&](size_t c, size_t begin, size_t end) {
    std::lock_guard<std::mutex> lock(mu);
    got[c] = {begin, end};
  });
  return got;
}

TEST(ParallelChunksTest, CoversTheRangeInOrderedContiguousChunks) {
  using P = std::pair<size_t, size_t>;
  EXPECT_THAT(Ranges(10, 3), ElementsAre(P{0, 4}, P{4, 7}, P{7, 10}));
  EXPECT_THAT(Ranges(9, 3), ElementsAre(P{0, 3}, P{3, 6}, P{6, 9}));
  EXPECT_THAT(Ranges(2, 3), ElementsAre(P{0, 1}, P{1, 2}, P{2, 2}));
  EXPECT_THAT(Ranges(0, 2), ElementsAre(P{0, 0}, P{0, 0}));
  EXPECT_THAT(Ranges(5, 1), ElementsAre(P{0, 5}));
}

TEST(ParallelChunksTest, VisitsEveryItemOnce) {
  std::vector<int> seen(100000, 0);
  ParallelChunks(seen.size(), 4, [&](size_t, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) ++seen[i];
  });
  for (size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], 1) << i;
}

TEST(ChunkCountTest, OneChunkForSmallRanges) {
  EXPECT_EQ(ChunkCount(0), 1u);
  EXPECT_EQ(ChunkCount(100, 4096), 1u);
  EXPECT_EQ(ChunkCount(1 << 20, 4096, 1), 1u);
  EXPECT_GE(ChunkCount(1 << 20, 4096), 1u);
  EXPECT_LE(ChunkCount(1 << 20, 4096, 2), 2u);
}

}  // namespace
}  // namespace accord::catalog
