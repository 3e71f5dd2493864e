// Fuzzes the compiled-catalogue reader (Snapshot::FromCompiled, what
// `--catalog=file.accord` maps). The input is the file; when the last byte
// of its 64-byte header is odd, the header's file size, every section's
// checksum (for sections inside the input) and the section table's
// checksum are first recomputed over the input, so that mutations reach
// the section table, the record and name offsets behind the checksums.
// Besides crashes and sanitizer reports, it aborts when a rejection
// carries no message or is not one of the documented codes, or when an
// accepted file's records, names or offsets break the storage contract
// (records and names inside the input, names in strictly increasing
// order, found again by IndexOf; every record parses without reading
// outside its bytes; the index attachments lie inside the input and their
// checksum check answers OK or DATA_LOSS). Decoding the index attachments
// themselves (index::CollectionIndex::Load) is exercised by tests/engine/
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
#include "service/catalog/compiled_file.h"
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
    uint32_t sections;
    std::memcpy(&sections, buffer + 12, sizeof(sections));
    if (sections <= (size - 64) / 64) {
      for (uint32_t s = 0; s < sections; ++s) {
        char* entry = buffer + 64 + size_t{s} * 64;
        uint64_t at, length;
        std::memcpy(&at, entry + 32, 8);
        std::memcpy(&length, entry + 40, 8);
        if (at > size || length > size - at) continue;
        const uint64_t sum =
            accord::catalog::CompiledChecksum(absl::string_view(buffer + at, length));
        std::memcpy(entry + 48, &sum, 8);
      }
      const uint64_t checksum = XXH3_64bits(buffer + 64, size_t{sections} * 64);
      std::memcpy(buffer + 24, &checksum, sizeof(checksum));
    }
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
        if (record.data() < buffer || record.data() + record.size() > buffer + size) {
          Fail("a record outside the input");
        }
        if (name.data() < buffer || name.data() + name.size() > buffer + size) {
          Fail("a name outside the input");
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
        // A resealed attachment verifies unless it overlaps the section
        // table (whose checksums then changed its bytes): never a code
        // other than DATA_LOSS.
        const absl::Status verified = (*snapshot)->VerifyAttachments({attached});
        if (!verified.ok() && verified.code() != absl::StatusCode::kDataLoss) {
          Fail("an attachment check failed with a code other than DATA_LOSS");
        }
      }
    }
  }
  snapshot = absl::UnknownError("released");  // drop views into the buffer first
  std::free(buffer);
  return 0;
}
