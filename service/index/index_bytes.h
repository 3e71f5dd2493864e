// Little-endian byte encoding of the indexes, for the compiled catalogue
// (service/catalog/compiled_file.h stores the bytes; this folder reads
// them back). A Reader never reads outside its bytes: every read reports
// failure instead, and the caller turns that into DataLoss.
#ifndef ACCORD_SERVICE_INDEX_INDEX_BYTES_H_
#define ACCORD_SERVICE_INDEX_INDEX_BYTES_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace accord::index {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the index encoding is little-endian; add byte swapping for this host");

// Appends values to a string.
class ByteWriter {
 public:
  explicit ByteWriter(std::string* out) : out_(out) {}
  template <typename T>
  void Put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_->append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  // A uint32 length, then the bytes.
  void PutString(absl::string_view s) {
    Put<uint32_t>(static_cast<uint32_t>(s.size()));
    out_->append(s.data(), s.size());
  }
  // A uint64 count, then the values.
  void PutArray(absl::Span<const uint32_t> values) {
    Put<uint64_t>(values.size());
    out_->append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(uint32_t));
  }
  // Zero bytes up to a multiple of `n` bytes from the start of the output.
  void PadTo(size_t n) { out_->append((n - out_->size() % n) % n, '\0'); }

 private:
  std::string* out_;
};

// Reads what a ByteWriter wrote; each Get returns false (and reads nothing)
// when the bytes end first.
class ByteReader {
 public:
  explicit ByteReader(absl::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  bool Get(T* value) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (bytes_.size() - at_ < sizeof(T)) return false;
    std::memcpy(value, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return true;
  }
  bool GetString(absl::string_view* s) {
    uint32_t size;
    if (!Get(&size) || bytes_.size() - at_ < size) return false;
    *s = bytes_.substr(at_, size);
    at_ += size;
    return true;
  }
  bool GetBytes(uint64_t size, absl::string_view* s) {
    if (bytes_.size() - at_ < size) return false;
    *s = bytes_.substr(at_, size);
    at_ += size;
    return true;
  }
  // At most `max` values.
  bool GetArray(std::vector<uint32_t>* values, uint64_t max) {
    uint64_t count;
    if (!Get(&count) || count > max || (bytes_.size() - at_) / sizeof(uint32_t) < count) {
      return false;
    }
    values->resize(count);
    // An empty vector's data() may be null, which memcpy must not get.
    if (count != 0) std::memcpy(values->data(), bytes_.data() + at_, count * sizeof(uint32_t));
    at_ += count * sizeof(uint32_t);
    return true;
  }
  // The same as a view into the bytes when they are suitably aligned for
  // uint32 (`*owned` left empty), else copied into `*owned` and viewed
  // there.
  bool GetArrayView(absl::Span<const uint32_t>* view, std::vector<uint32_t>* owned, uint64_t max) {
    uint64_t count;
    if (!Get(&count) || count > max || (bytes_.size() - at_) / sizeof(uint32_t) < count) {
      return false;
    }
    const char* p = bytes_.data() + at_;
    if (reinterpret_cast<uintptr_t>(p) % alignof(uint32_t) == 0) {
      owned->clear();
      *view = absl::Span<const uint32_t>(reinterpret_cast<const uint32_t*>(p), count);
    } else {
      owned->resize(count);
      if (count != 0) std::memcpy(owned->data(), p, count * sizeof(uint32_t));
      *view = *owned;
    }
    at_ += count * sizeof(uint32_t);
    return true;
  }
  // Skips the zero bytes that ByteWriter::PadTo(n) wrote; false when they
  // are missing or not zero.
  bool SkipPadding(size_t n) {
    const size_t pad = (n - at_ % n) % n;
    if (bytes_.size() - at_ < pad) return false;
    for (size_t i = 0; i < pad; ++i) {
      if (bytes_[at_ + i] != '\0') return false;
    }
    at_ += pad;
    return true;
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  absl::string_view bytes_;
  size_t at_ = 0;
};

// The error for index bytes that do not decode.
inline absl::Status CorruptIndex(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("the compiled catalogue's index is corrupt: ", what,
                                          "; compile it again with `accord_catalog compile`"));
}

}  // namespace accord::index

#endif  // ACCORD_SERVICE_INDEX_INDEX_BYTES_H_
