// Roaring bitmaps in CRoaring's portable format (the documented
// RoaringFormatSpec layout), checked before they are deserialized:
// CRoaring 0.2.66 trusts a container's contents (array order, a bitset's
// cardinality, run bounds), so bytes from a file are validated here first.
#ifndef ACCORD_SERVICE_INDEX_ROARING_BYTES_H_
#define ACCORD_SERVICE_INDEX_ROARING_BYTES_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "roaring/roaring.hh"

namespace accord::index {

// Appends `bitmap` in the portable format.
void AppendPortable(const Roaring& bitmap, std::string* out);

// Sets `*bitmap` to the bitmap `bytes` hold, exactly (no bytes left over),
// and returns true when they are a well-formed portable bitmap whose
// values are all below `limit`: keys strictly increasing, arrays strictly
// increasing, bitsets' cardinalities matching their bits, runs ordered,
// disjoint and inside their container. Returns false otherwise, without
// reading outside `bytes`.
bool ReadPortable(absl::string_view bytes, uint64_t limit, Roaring* bitmap);

}  // namespace accord::index

#endif  // ACCORD_SERVICE_INDEX_ROARING_BYTES_H_
