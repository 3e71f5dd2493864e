#include "service/index/roaring_bytes.h"

#include <cstring>
#include <vector>

#include "service/catalog/fixed_width.h"

namespace accord::index {
namespace {

constexpr uint32_t kCookieNoRuns = 12346;
constexpr uint32_t kCookieRuns = 12347;
constexpr uint32_t kNoOffsetThreshold = 4;
constexpr uint32_t kMaxArray = 4096;
constexpr size_t kBitsetBytes = 8192;

// The set bits of a bitset container. With the popcnt instruction where
// the CPU has it (the portable build would call libgcc per word).
uint32_t CountBitsPortable(const char* p) {
  uint32_t bits = 0;
  for (size_t w = 0; w < kBitsetBytes / 8; ++w) {
    bits += static_cast<uint32_t>(__builtin_popcountll(catalog::LoadFixed<uint64_t>(p + 8 * w)));
  }
  return bits;
}
#if defined(__x86_64__)
__attribute__((target("popcnt"))) uint32_t CountBitsPopcnt(const char* p) {
  uint32_t bits = 0;
  for (size_t w = 0; w < kBitsetBytes / 8; ++w) {
    bits += static_cast<uint32_t>(__builtin_popcountll(catalog::LoadFixed<uint64_t>(p + 8 * w)));
  }
  return bits;
}
uint32_t CountBits(const char* p) {
  static const bool popcnt = __builtin_cpu_supports("popcnt");
  return popcnt ? CountBitsPopcnt(p) : CountBitsPortable(p);
}
#else
uint32_t CountBits(const char* p) { return CountBitsPortable(p); }
#endif

// Checks the layout; returns the number of bytes the bitmap takes, or 0.
size_t Check(absl::string_view bytes, uint64_t limit) {
  const char* p = bytes.data();
  const size_t size = bytes.size();
  size_t at = 0;
  if (size < 4) return 0;
  const uint32_t cookie = catalog::LoadFixed<uint32_t>(p);
  at = 4;
  uint32_t n;
  bool has_runs;
  std::vector<uint8_t> run_flags;
  if ((cookie & 0xFFFF) == kCookieRuns) {
    has_runs = true;
    n = (cookie >> 16) + 1;
    const size_t flag_bytes = (n + 7) / 8;
    if (size - at < flag_bytes) return 0;
    run_flags.assign(p + at, p + at + flag_bytes);
    at += flag_bytes;
  } else if (cookie == kCookieNoRuns) {
    has_runs = false;
    if (size - at < 4) return 0;
    n = catalog::LoadFixed<uint32_t>(p + at);
    at += 4;
    if (n > 65536) return 0;
  } else {
    return 0;
  }
  if ((size - at) / 4 < n) return 0;
  const size_t header = at;
  at += size_t{4} * n;
  if (!has_runs || n >= kNoOffsetThreshold) {
    if ((size - at) / 4 < n) return 0;
    at += size_t{4} * n;  // offsets: CRoaring reads containers sequentially
  }
  int64_t prev_key = -1;
  for (uint32_t i = 0; i < n; ++i) {
    const uint16_t key = catalog::LoadFixed<uint16_t>(p + header + 4 * i);
    const uint32_t card = uint32_t{catalog::LoadFixed<uint16_t>(p + header + 4 * i + 2)} + 1;
    if (key <= prev_key) return 0;
    prev_key = key;
    const bool run = has_runs && (run_flags[i / 8] >> (i % 8)) & 1;
    uint32_t high = 0;  // the container's largest low value
    if (run) {
      if (size - at < 2) return 0;
      const uint16_t runs = catalog::LoadFixed<uint16_t>(p + at);
      at += 2;
      if ((size - at) / 4 < runs || runs == 0) return 0;
      int64_t end = -1;
      for (uint16_t r = 0; r < runs; ++r) {
        const uint32_t start = catalog::LoadFixed<uint16_t>(p + at + 4 * r);
        const uint32_t length = catalog::LoadFixed<uint16_t>(p + at + 4 * r + 2);
        if (static_cast<int64_t>(start) <= end || start + length > 0xFFFF) return 0;
        end = start + length;
      }
      high = static_cast<uint32_t>(end);
      at += size_t{4} * runs;
    } else if (card <= kMaxArray) {
      if ((size - at) / 2 < card) return 0;
      int64_t prev = -1;
      for (uint32_t k = 0; k < card; ++k) {
        const uint16_t v = catalog::LoadFixed<uint16_t>(p + at + 2 * k);
        if (v <= prev) return 0;
        prev = v;
      }
      high = static_cast<uint32_t>(prev);
      at += size_t{2} * card;
    } else {
      if (size - at < kBitsetBytes) return 0;
      if (CountBits(p + at) != card) return 0;
      uint64_t last_word = 0;
      size_t last_index = kBitsetBytes / 8;
      while (last_word == 0 && last_index > 0) {
        --last_index;
        last_word = catalog::LoadFixed<uint64_t>(p + at + 8 * last_index);
      }
      high = static_cast<uint32_t>(last_index * 64 + 63 - __builtin_clzll(last_word));
      at += kBitsetBytes;
    }
    if (i + 1 == n && ((uint64_t{key} << 16) | high) >= limit) return 0;
  }
  return at;
}

}  // namespace

void AppendPortable(const Roaring& bitmap, std::string* out) {
  const size_t start = out->size();
  out->resize(start + bitmap.getSizeInBytes(/*portable=*/true));
  bitmap.write(out->data() + start, /*portable=*/true);
}

bool ReadPortable(absl::string_view bytes, uint64_t limit, Roaring* bitmap) {
  if (Check(bytes, limit) != bytes.size()) return false;
  roaring_bitmap_t* r = roaring_bitmap_portable_deserialize_safe(bytes.data(), bytes.size());
  if (r == nullptr) return false;
  *bitmap = Roaring(r);
  return true;
}

}  // namespace accord::index
