// Fixed-width little-endian integers at byte offsets of a buffer: the
// encoding of every header and table in a compiled catalogue file and in
// the sections written into it (the search index's header, the index
// bytes). One place, so every reader and writer agrees on the byte order.
#ifndef ACCORD_SERVICE_CATALOG_FIXED_WIDTH_H_
#define ACCORD_SERVICE_CATALOG_FIXED_WIDTH_H_

#include <cstddef>
#include <cstring>
#include <string>
#include <type_traits>

#include "absl/strings/string_view.h"

namespace accord::catalog {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "compiled catalogue sections are little-endian; add byte swapping for this host");

// Writes `value` at byte `at` of `out`, which must already hold at least
// `at + sizeof(T)` bytes. No alignment is required.
template <typename T>
void PutFixed(std::string* out, size_t at, T value) {
  static_assert(std::is_trivially_copyable_v<T>);
  std::memcpy(out->data() + at, &value, sizeof(T));
}

// Reads a `T` from byte `at` of `in`; the caller has checked that
// `at + sizeof(T) <= in.size()`. No alignment is required.
template <typename T>
T GetFixed(absl::string_view in, size_t at) {
  static_assert(std::is_trivially_copyable_v<T>);
  T value;
  std::memcpy(&value, in.data() + at, sizeof(T));
  return value;
}

// Reads a `T` from `p`, which points at `sizeof(T)` readable bytes.
template <typename T>
T LoadFixed(const char* p) {
  static_assert(std::is_trivially_copyable_v<T>);
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

}  // namespace accord::catalog

#endif  // ACCORD_SERVICE_CATALOG_FIXED_WIDTH_H_
