// Portable Roaring bytes are read back only when every container is
// well-formed and every value is below the limit.
#include "service/index/roaring_bytes.h"

#include <cstring>
#include <string>

#include "gtest/gtest.h"

namespace accord::index {
namespace {

std::string Portable(const Roaring& r) {
  std::string out;
  AppendPortable(r, &out);
  return out;
}

// A bitmap with an array container (key 0), a bitset container (key 1)
// and, after runOptimize, a run container (key 2).
Roaring Mixed() {
  Roaring r;
  for (uint32_t v : {3u, 9u, 700u}) r.add(v);
  for (uint32_t v = 65536; v < 65536 + 20000; v += 2) r.add(v);
  r.addRange(2 * 65536 + 100, 2 * 65536 + 5000);
  r.runOptimize();
  return r;
}

TEST(RoaringBytesTest, RoundTripsArraysBitsetsAndRuns) {
  const Roaring want = Mixed();
  Roaring got;
  ASSERT_TRUE(ReadPortable(Portable(want), 1u << 20, &got));
  EXPECT_EQ(got, want);
  Roaring empty;
  ASSERT_TRUE(ReadPortable(Portable(Roaring()), 1, &empty));
  EXPECT_TRUE(empty.isEmpty());
}

TEST(RoaringBytesTest, RefusesValuesAtOrAboveTheLimit) {
  Roaring got;
  EXPECT_FALSE(ReadPortable(Portable(Mixed()), 2 * 65536 + 4999, &got));
  EXPECT_TRUE(ReadPortable(Portable(Mixed()), 2 * 65536 + 5000, &got));
  EXPECT_FALSE(ReadPortable(Portable(Roaring::bitmapOf(1, 10u)), 10, &got));
}

TEST(RoaringBytesTest, RefusesTruncatedOrTrailingBytes) {
  const std::string bytes = Portable(Mixed());
  Roaring got;
  for (size_t keep = 0; keep < bytes.size(); keep += 97) {
    EXPECT_FALSE(ReadPortable(bytes.substr(0, keep), 1u << 20, &got)) << keep;
  }
  EXPECT_FALSE(ReadPortable(bytes + "x", 1u << 20, &got));
}

TEST(RoaringBytesTest, RefusesMalformedContainers) {
  Roaring got;
  // An array container (no runs: cookie 12346, count, key/card, offset,
  // values) with its values out of order.
  Roaring small = Roaring::bitmapOf(3, 1u, 2u, 3u);
  std::string bytes = Portable(small);
  ASSERT_TRUE(ReadPortable(bytes, 100, &got));
  const size_t values = bytes.size() - 6;
  std::string swapped = bytes;
  std::swap(swapped[values], swapped[values + 2]);
  EXPECT_FALSE(ReadPortable(swapped, 100, &got));
  // A bitset whose stated cardinality is not its bit count.
  Roaring dense;
  for (uint32_t v = 0; v < 10000; v += 2) dense.add(v);
  bytes = Portable(dense);
  ASSERT_TRUE(ReadPortable(bytes, 1u << 20, &got));
  std::string extra_bit = bytes;
  extra_bit[bytes.size() - 1] |= 0x40;
  EXPECT_FALSE(ReadPortable(extra_bit, 1u << 20, &got));
  // A run reaching past its container.
  Roaring run;
  run.addRange(60000, 65000);
  run.runOptimize();
  bytes = Portable(run);
  ASSERT_TRUE(ReadPortable(bytes, 1u << 20, &got));
  std::string long_run = bytes;
  const uint16_t length = 9000;
  std::memcpy(long_run.data() + bytes.size() - 2, &length, 2);
  EXPECT_FALSE(ReadPortable(long_run, 1u << 20, &got));
  // Keys out of order (two array containers, keys swapped).
  Roaring two = Roaring::bitmapOf(2, 5u, 65536u + 5u);
  bytes = Portable(two);
  ASSERT_TRUE(ReadPortable(bytes, 1u << 20, &got));
  std::string keys = bytes;
  std::swap(keys[8], keys[12]);
  std::swap(keys[9], keys[13]);
  EXPECT_FALSE(ReadPortable(keys, 1u << 20, &got));
  // An unknown cookie.
  std::string cookie = bytes;
  cookie[0] ^= 0x10;
  EXPECT_FALSE(ReadPortable(cookie, 1u << 20, &got));
}

}  // namespace
}  // namespace accord::index
