#include "service/api/wire.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "google/protobuf/message.h"
#include "grpcpp/support/slice.h"

namespace accord::api {
namespace {

constexpr uint32_t kWireVarint = 0;
constexpr uint32_t kWireFixed64 = 1;
constexpr uint32_t kWireLen = 2;
constexpr uint32_t kWireFixed32 = 5;

void PutVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

size_t VarintSize(uint64_t value) {
  size_t n = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++n;
  }
  return n;
}

// Reads the varint at `*p` (before `end`) into `out` and moves `*p` past
// it. False if it is cut off or longer than ten bytes.
bool ReadVarint(const char** p, const char* end, uint64_t* out) {
  uint64_t value = 0;
  for (int shift = 0; shift < 70 && *p < end; shift += 7) {
    const uint8_t byte = static_cast<uint8_t>(*(*p)++);
    value |= uint64_t{byte & 0x7fu} << shift;
    if (byte < 0x80) {
      *out = value;
      return true;
    }
  }
  return false;
}

// Appends to `out` the top-level fields of the serialized message `bytes`
// whose numbers are in the sorted, non-empty `keep`, in their stored order.
// Stops at the first field numbered above every kept one: stored bytes are
// the record as Protobuf serializes it, known fields in number order
// (unknown ones, never kept, last). False if `bytes` does not parse, or
// holds a group (no Accord message has one; the caller then copies through
// a parsed message). A hand-written scan of tags and lengths: it runs for
// every record of every masked page.
bool KeepFields(absl::string_view bytes, const std::vector<int>& keep, std::string* out) {
  const uint64_t last = static_cast<uint64_t>(keep.back());
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p < end) {
    const char* const start = p;
    uint64_t tag = 0;
    if (!ReadVarint(&p, end, &tag) || tag > 0xffffffffu) return false;
    const uint64_t number = tag >> 3;
    if (number == 0) return false;
    if (number > last) return true;
    uint64_t value = 0;
    switch (tag & 7) {
      case kWireVarint:
        if (!ReadVarint(&p, end, &value)) return false;
        break;
      case kWireFixed64:
        if (end - p < 8) return false;
        p += 8;
        break;
      case kWireLen:
        if (!ReadVarint(&p, end, &value) || value > static_cast<uint64_t>(end - p)) return false;
        p += value;
        break;
      case kWireFixed32:
        if (end - p < 4) return false;
        p += 4;
        break;
      default:  // groups, or not a wire type
        return false;
    }
    if (std::binary_search(keep.begin(), keep.end(), static_cast<int>(number))) {
      out->append(start, p - start);
    }
  }
  return true;
}

}  // namespace

absl::string_view RecordBytes(const serving::Collection& collection, uint32_t position,
                              const ReadMask& mask, std::string* scratch) {
  if (mask.all()) return collection.bytes(position);
  if (const std::vector<int>* keep = mask.top_level_numbers(); keep != nullptr && !keep->empty()) {
    // Top-level paths only: keep the selected fields' bytes as stored, in
    // field order, exactly as serializing the trimmed message would.
    scratch->clear();
    if (KeepFields(collection.bytes(position), *keep, scratch)) return *scratch;
  }
  google::protobuf::Arena arena;
  const google::protobuf::Message& record = *collection.Parse(position, &arena);
  google::protobuf::Message* trimmed = record.New(&arena);
  mask.CopySelected(record, trimmed);
  scratch->clear();
  trimmed->SerializeToString(scratch);
  return *scratch;
}

void AppendLengthDelimited(uint32_t number, absl::string_view bytes, std::string* out) {
  PutVarint((uint64_t{number} << 3) | kWireLen, out);
  PutVarint(bytes.size(), out);
  out->append(bytes.data(), bytes.size());
}

void AppendVarint(uint32_t number, uint64_t value, std::string* out) {
  PutVarint((uint64_t{number} << 3) | kWireVarint, out);
  PutVarint(value, out);
}

std::string EncodeResponse(const serving::Collection& collection, const Selection& selection,
                           const ResponseFields& fields, absl::string_view next_page_token,
                           int32_t total_size) {
  std::string out;
  std::string scratch;
  if (selection.mask.all()) {
    // One allocation: the size of every frame is known up front.
    size_t size = next_page_token.size() + 24;
    for (uint32_t p : selection.positions) {
      size_t n = collection.bytes(p).size();
      size += VarintSize(uint64_t{fields.items} << 3) + VarintSize(n) + n;
    }
    out.reserve(size);
  } else {
    // Trimmed records are small; one allocation covers a typical page.
    out.reserve(next_page_token.size() + 24 + 128 * selection.positions.size());
  }
  const std::vector<int>* keep = selection.mask.top_level_numbers();
  for (uint32_t p : selection.positions) {
    if (keep != nullptr && !keep->empty()) {
      // The kept fields go straight into `out` after a one-byte length,
      // widened afterwards in the rare case that they take 128 bytes or more.
      PutVarint((uint64_t{fields.items} << 3) | kWireLen, &out);
      const size_t at = out.size();
      out.push_back(0);
      if (KeepFields(collection.bytes(p), *keep, &out)) {
        const size_t n = out.size() - at - 1;
        std::string length;
        PutVarint(n, &length);
        out[at] = length[0];
        if (length.size() > 1) out.insert(at + 1, length, 1, std::string::npos);
        continue;
      }
      out.resize(at - VarintSize((uint64_t{fields.items} << 3) | kWireLen));
    }
    AppendLengthDelimited(fields.items, RecordBytes(collection, p, selection.mask, &scratch), &out);
  }
  if (fields.next_page_token != 0 && !next_page_token.empty()) {
    AppendLengthDelimited(fields.next_page_token, next_page_token, &out);
  }
  if (fields.total_size != 0 && total_size != 0) {
    // int32 is encoded as a sign-extended varint.
    AppendVarint(fields.total_size, static_cast<uint64_t>(static_cast<int64_t>(total_size)), &out);
  }
  return out;
}

grpc::ByteBuffer BorrowedBuffer(std::shared_ptr<const serving::ServingCatalog> snapshot,
                                absl::string_view bytes) {
  auto* keep = new std::shared_ptr<const serving::ServingCatalog>(std::move(snapshot));
  grpc::Slice slice(
      const_cast<char*>(bytes.data()), bytes.size(),
      [](void* p) { delete static_cast<std::shared_ptr<const serving::ServingCatalog>*>(p); },
      keep);
  return grpc::ByteBuffer(&slice, 1);
}

grpc::ByteBuffer OwnedBuffer(std::string bytes) {
  auto* owned = new std::string(std::move(bytes));
  grpc::Slice slice(
      owned->data(), owned->size(), [](void* p) { delete static_cast<std::string*>(p); }, owned);
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace accord::api
