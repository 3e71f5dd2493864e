#include "service/watch/change_set.h"

namespace accord::watch {

std::vector<Change> Diff(const catalog::Snapshot* previous, const catalog::Snapshot& next) {
  std::vector<Change> out;
  for (CollectionId id : catalog::kAllCollections) {
    const catalog::Collection& after = next.collection(id);
    const catalog::Collection* before = previous != nullptr ? &previous->collection(id) : nullptr;
    const size_t n_before = before != nullptr ? before->size() : 0;
    size_t i = 0;
    size_t j = 0;
    auto removed = [&](size_t k) {
      out.push_back(Change{id, Change::Type::kRemoved, std::string(before->name(k)),
                           std::string(before->bytes(k)), ""});
    };
    auto added = [&](size_t k) {
      out.push_back(Change{id, Change::Type::kAdded, std::string(after.name(k)), "",
                           std::string(after.bytes(k))});
    };
    while (i < n_before && j < after.size()) {
      absl::string_view a = before->name(i);
      absl::string_view b = after.name(j);
      if (a < b) {
        removed(i++);
      } else if (b < a) {
        added(j++);
      } else {
        if (before->bytes(i) != after.bytes(j)) {
          out.push_back(Change{id, Change::Type::kModified, std::string(b),
                               std::string(before->bytes(i)), std::string(after.bytes(j))});
        }
        ++i;
        ++j;
      }
    }
    while (i < n_before) removed(i++);
    while (j < after.size()) added(j++);
  }
  return out;
}

size_t ChangeBytes(const Change& change) {
  return sizeof(Change) + change.name.size() + change.old_bytes.size() + change.new_bytes.size();
}

}  // namespace accord::watch
