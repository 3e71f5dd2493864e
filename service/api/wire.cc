#include "service/api/wire.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/message.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/support/slice.h"

namespace accord::api {
namespace {

constexpr uint32_t kWireVarint = 0;
constexpr uint32_t kWireLen = 2;

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

// Appends to `out` the top-level fields of the serialized message `bytes`
// whose numbers are in the sorted, non-empty `keep`, in their stored order.
// Stops at the first field numbered above every kept one: stored bytes are
// the record as Protobuf serializes it, known fields in number order
// (unknown ones, never kept, last). False if `bytes` does not parse.
bool KeepFields(absl::string_view bytes, const std::vector<int>& keep, std::string* out) {
  const int last = keep.back();
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  for (;;) {
    const int start = in.CurrentPosition();
    const uint32_t tag = in.ReadTag();
    if (tag == 0) return start == static_cast<int>(bytes.size());
    const int number = static_cast<int>(tag >> 3);
    if (number > last) return true;
    if (!google::protobuf::internal::WireFormatLite::SkipField(&in, tag)) return false;
    if (std::binary_search(keep.begin(), keep.end(), number)) {
      out->append(bytes.data() + start, in.CurrentPosition() - start);
    }
  }
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
