// The compiled catalogue: one file holding a validated catalogue's records
// as wire bytes, ready to be memory-mapped and served without parsing
// (`accord_catalog compile DIR OUT`, `accord_server --catalog=OUT`).
//
// Layout (little-endian; every section starts 8-byte aligned):
//   header, 64 bytes:
//     [0, 8)    magic "ACCORDCC"
//     [8, 12)   format version (kCompiledFormatVersion)
//     [12, 16)  section count
//     [16, 24)  file size in bytes
//     [24, 32)  XXH3-64 of bytes [64, file size)
//     [32, 48)  content version of the catalogue (16 hex digits, as
//               Snapshot::version() reports for the source directory)
//     [48, 64)  zero
//   section table, 48 bytes per section:
//     [0, 24)   the accord.v1.Catalog field holding the collection
//               ("agreements"), NUL-padded
//     [24, 32)  record count n
//     [32, 40)  offset of the section in the file
//     [40, 48)  size of the section
//   collection section: n+1 uint64 record offsets (relative to the records' bytes),
//     n uint32 name starts and n uint32 name lengths (relative to the
//     record), zero padding to 8 bytes, then the records' bytes in name
//     order.
//   attachment section (format 2): a name starting with '@' in the table
//     (record count 0) and opaque bytes that a layer above storage wrote
//     beside the records and reads back itself: the serving catalogue's
//     indexes, "@index/agreements" (service/serving/serving_catalog.h).
//     Covered by the same checksum.
// A reader checks everything before use (Snapshot::FromCompiled), so a
// truncated or corrupt file is an error, never a crash.
#ifndef ACCORD_SERVICE_CATALOG_COMPILED_FILE_H_
#define ACCORD_SERVICE_CATALOG_COMPILED_FILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "service/catalog/snapshot.h"

namespace accord::catalog {

// The format this build writes and reads. Bumped on any layout change; a
// file of another version is refused with both versions named.
inline constexpr uint32_t kCompiledFormatVersion = 2;
inline constexpr char kCompiledMagic[8] = {'A', 'C', 'C', 'O', 'R', 'D', 'C', 'C'};

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
