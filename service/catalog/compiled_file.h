// The compiled catalogue: one file holding a validated catalogue's records
// as wire bytes, ready to be memory-mapped and served without parsing
// (`accord_catalog compile DIR OUT`, `accord_server --catalog=OUT`).
//
// Layout, format 3 (little-endian; every section starts 8-byte aligned):
//   header, 64 bytes:
//     [0, 8)    magic "ACCORDCC"
//     [8, 12)   format version (kCompiledFormatVersion)
//     [12, 16)  section count
//     [16, 24)  file size in bytes
//     [24, 32)  XXH3-64 of the section table
//     [32, 48)  content version of the catalogue (16 hex digits, as
//               Snapshot::version() reports for the source directory)
//     [48, 64)  zero
//   section table, 64 bytes per section:
//     [0, 24)   the accord.v1.Catalog field holding the collection
//               ("agreements"), NUL-padded; or an attachment's name
//     [24, 32)  record count n (0 for an attachment)
//     [32, 40)  offset of the section in the file
//     [40, 48)  size of the section
//     [48, 56)  CompiledChecksum of the section's bytes
//     [56, 64)  zero
//   collection section: n+1 uint64 record offsets (relative to the records'
//     bytes), n+1 uint32 name offsets (relative to the names' bytes), zero
//     padding to 8 bytes, the names' bytes (each record's name, in name
//     order), zero padding to 8 bytes, then the records' bytes in name
//     order. The names are stored apart from the records so that checking
//     their order at start-up touches only them, not the records' pages.
//   attachment section: a name starting with '@' and opaque bytes that a
//     layer above storage wrote beside the records and reads back itself
//     (the serving catalogue's indexes, "@ix/agreements"; see
//     service/serving/serving_catalog.h). Its checksum is checked when its
//     reader asks (Snapshot::VerifyAttachments), not at start-up.
// A reader checks everything it uses before use (Snapshot::FromCompiled),
// so a truncated or corrupt file is an error, never a crash.
#ifndef ACCORD_SERVICE_CATALOG_COMPILED_FILE_H_
#define ACCORD_SERVICE_CATALOG_COMPILED_FILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "service/catalog/snapshot.h"

namespace accord::catalog {

// The format this build writes and reads. Bumped on any layout change; a
// file of another version is refused with both versions named.
inline constexpr uint32_t kCompiledFormatVersion = 3;
inline constexpr char kCompiledMagic[8] = {'A', 'C', 'C', 'O', 'R', 'D', 'C', 'C'};

// The checksum of a section's bytes: XXH3-64 over the little-endian array
// of the XXH3-64 of each kCompiledChecksumChunk-byte piece (the last one
// shorter), so that one large section is verified on several cores.
inline constexpr size_t kCompiledChecksumChunk = size_t{4} << 20;
uint64_t CompiledChecksum(absl::string_view bytes);

// Writes `snapshot` (loaded from sources, hence validated) as a compiled
// catalogue at `path`: into a temporary file beside it, flushed, then
// renamed over `path`, so that a server watching `path` never maps a
// half-written file. Unavailable naming the path when it cannot be written.
// `attachments` are written as attachment sections, in order; each name
// starts with '@', is at most 23 bytes and appears once (InvalidArgument
// otherwise), and Snapshot::attachment reads it back.
absl::Status WriteCompiledCatalog(const Snapshot& snapshot, const std::string& path,
                                  const std::vector<Attachment>& attachments = {});

}  // namespace accord::catalog

#endif  // ACCORD_SERVICE_CATALOG_COMPILED_FILE_H_
