// The changes between two catalogues: which records each reload added,
// changed or removed.
#ifndef ACCORD_SERVICE_WATCH_CHANGE_SET_H_
#define ACCORD_SERVICE_WATCH_CHANGE_SET_H_

#include <string>
#include <vector>

#include "service/catalog/snapshot.h"

namespace accord::watch {

using catalog::CollectionId;

// One record that differs between two catalogues. The bytes are copies of
// the stored wire bytes (never re-serialized), so a change outlives both
// catalogues.
struct Change {
  enum class Type { kAdded, kModified, kRemoved };
  CollectionId collection = CollectionId::kCountries;
  Type type = Type::kAdded;
  std::string name;
  // The record before the change: empty for kAdded.
  std::string old_bytes;
  // The record after the change: empty for kRemoved.
  std::string new_bytes;
};

// The changes that turn `previous` into `next`, ordered by collection (in
// CollectionId order) and then by name. A record is kModified when its name
// is in both and its stored bytes differ. `previous` may be null (nothing
// before): every record of `next` is then kAdded. A merge walk over the
// name-sorted collections: O(records + bytes compared).
std::vector<Change> Diff(const catalog::Snapshot* previous, const catalog::Snapshot& next);

// The memory a change holds, for the change log's byte bound.
size_t ChangeBytes(const Change& change);

}  // namespace accord::watch

#endif  // ACCORD_SERVICE_WATCH_CHANGE_SET_H_
