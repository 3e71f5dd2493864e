#include "service/api/page_memo.h"

#include <algorithm>
#include <utility>

namespace accord::api {

bool PageMemo::Find(const Key& key, std::vector<uint32_t>* positions, size_t* total_size) const {
  absl::MutexLock lock(&mu_);
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& e) { return e.key == key; });
  if (it == entries_.end()) return false;
  positions->assign(it->positions.begin(), it->positions.end());
  *total_size = it->total_size;
  // Most recently used first.
  std::rotate(entries_.begin(), it, it + 1);
  return true;
}

bool PageMemo::FindTotal(size_t begin, size_t end, size_t* total_size) const {
  absl::MutexLock lock(&mu_);
  for (const Entry& e : entries_) {
    if (e.key.begin == begin && e.key.end == end) {
      *total_size = e.total_size;
      return true;
    }
  }
  return false;
}

void PageMemo::Insert(const Key& key, const std::vector<uint32_t>& positions, size_t total_size) {
  if (positions.size() > kMaxPositions) return;
  absl::MutexLock lock(&mu_);
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& e) { return e.key == key; });
  if (it == entries_.end()) {
    if (entries_.size() >= kMaxEntries) entries_.pop_back();
    entries_.emplace_back();
    it = entries_.end() - 1;
  }
  it->key = key;
  it->positions = positions;
  it->total_size = total_size;
  std::rotate(entries_.begin(), it, it + 1);
}

size_t PageMemo::size() const {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

}  // namespace accord::api
