// Replies framed from stored wire bytes: Get, BatchGet and List answer with
// the bytes each record was stored as, without building or serializing a
// message. Only a read_mask that trims fields costs a re-encode.
#ifndef ACCORD_SERVICE_API_WIRE_H_
#define ACCORD_SERVICE_API_WIRE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/support/byte_buffer.h"
#include "service/api/resource_methods.h"
#include "service/catalog/snapshot.h"

namespace accord::api {

// The reply bytes of record `position` of `collection` trimmed to `mask`: a
// view of the stored bytes when the mask selects every field, else the
// selected fields encoded into `*scratch` (and a view of it).
absl::string_view RecordBytes(const catalog::Collection& collection, uint32_t position,
                              const ReadMask& mask, std::string* scratch);

// Appends field `number` with wire type LEN (a tag, a varint length, the
// bytes) to `out`.
void AppendLengthDelimited(uint32_t number, absl::string_view bytes, std::string* out);

// Appends field `number` with wire type VARINT to `out`.
void AppendVarint(uint32_t number, uint64_t value, std::string* out);

// Field numbers of a List or BatchGet response, found by name.
struct ResponseFields {
  uint32_t items = 0;            // the repeated resource field
  uint32_t next_page_token = 0;  // 0: the response has none (BatchGet)
  uint32_t total_size = 0;       // 0: the response has none (BatchGet)
};

// The encoded response: each selected record as an element of the repeated
// field, then next_page_token and total_size when not empty or zero (as
// proto3 serialization would write them).
std::string EncodeResponse(const catalog::Collection& collection, const Selection& selection,
                           const ResponseFields& fields, absl::string_view next_page_token,
                           int32_t total_size);

// A ByteBuffer over `bytes`, which lie inside `*snapshot`, without copying
// them: the buffer's slice holds a reference to the snapshot until gRPC has
// sent it.
grpc::ByteBuffer BorrowedBuffer(std::shared_ptr<const catalog::Snapshot> snapshot,
                                absl::string_view bytes);

// A ByteBuffer owning `bytes`.
grpc::ByteBuffer OwnedBuffer(std::string bytes);

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_WIRE_H_
