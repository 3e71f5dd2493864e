// Fuzzes the compiled-catalogue reader (Snapshot::FromCompiled, what
// `--catalog=file.accord` maps). The input is the file; when the last byte
// of its 64-byte header is odd, the header's file size and XXH3 checksum
// are first recomputed over the input, so that mutations reach the section
// table and the record offsets behind the checksum. Besides crashes and
// sanitizer reports, it aborts when a rejection carries no message or is
// not one of the documented codes, or when an accepted file's records,
// names or offsets break the storage contract (names inside their record,
// in strictly increasing order, found again by IndexOf; every record
// parses without reading outside its bytes; the index attachments lie
// inside the input). Decoding the index attachments themselves
// (index::CollectionIndex::Load) is exercised by tests/engine/
// compiled_index_test.cc with resealed random damage, under the sanitizer
// stage.
#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "google/protobuf/arena.h"
#include "google/protobuf/stubs/logging.h"
#include "service/catalog/snapshot.h"

namespace {

void Fail(const char* what) {
  std::fprintf(stderr, "compiled catalogue reader contract broken: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel, const char*, int, const std::string&) {});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A copy in memory the reader may assume 8-byte aligned, exactly the
  // input's size so that ASan sees any read past the end.
  auto* buffer = static_cast<char*>(std::aligned_alloc(8, (size + 7) / 8 * 8 + 8));
  std::memcpy(buffer, data, size);
  if (size >= 64 && (buffer[63] & 1)) {
    const uint64_t file_size = size;
    std::memcpy(buffer + 16, &file_size, sizeof(file_size));
    const uint64_t checksum = XXH3_64bits(buffer + 64, size - 64);
    std::memcpy(buffer + 24, &checksum, sizeof(checksum));
  }
  auto snapshot = accord::catalog::Snapshot::FromCompiled(nullptr, absl::string_view(buffer, size),
                                                          "fuzz.accord");
  if (!snapshot.ok()) {
    const absl::StatusCode code = snapshot.status().code();
    if (snapshot.status().message().empty()) Fail("rejected without a message");
    if (code != absl::StatusCode::kDataLoss && code != absl::StatusCode::kFailedPrecondition) {
      Fail("rejected with a code other than DATA_LOSS or FAILED_PRECONDITION");
    }
  } else {
    google::protobuf::Arena arena;
    for (accord::catalog::CollectionId id : accord::catalog::kAllCollections) {
      const accord::catalog::Collection& c = (*snapshot)->collection(id);
      for (size_t i = 0; i < c.size(); ++i) {
        const absl::string_view record = c.bytes(i);
        const absl::string_view name = c.name(i);
        if (name.data() < record.data() ||
            name.data() + name.size() > record.data() + record.size()) {
          Fail("a name outside its record");
        }
        if (i > 0 && !(c.name(i - 1) < name)) Fail("names not in strictly increasing order");
        if (c.IndexOf(name) != static_cast<int64_t>(i)) Fail("IndexOf does not find a name");
        c.Parse(i, &arena);
      }
      const std::string attached = "@ix/" + accord::registry::Get(id).catalog_field->name();
      if (auto bytes = (*snapshot)->attachment(attached)) {
        if (bytes->data() < buffer || bytes->data() + bytes->size() > buffer + size) {
          Fail("an attachment outside the input");
        }
      }
    }
  }
  snapshot = absl::UnknownError("released");  // drop views into the buffer first
  std::free(buffer);
  return 0;
}
