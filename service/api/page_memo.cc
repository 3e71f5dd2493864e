#include "service/api/page_memo.h"

namespace accord::api {

int PageMemo::IndexOf(const Key& key) const {
  for (size_t i = 0; i < count_; ++i) {
    if (entries_[i].key == key) return static_cast<int>(i);
  }
  return -1;
}

void PageMemo::Touch(const Entry& e) const {
  // A page found again and again (the common case) is already the latest:
  // then nothing is written.
  if (e.used.load(std::memory_order_relaxed) == clock_.load(std::memory_order_relaxed)) return;
  e.used.store(clock_.fetch_add(1, std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

bool PageMemo::Find(const Key& key, std::vector<uint32_t>* positions, size_t* total_size) const {
  absl::ReaderMutexLock lock(&mu_);
  const int i = IndexOf(key);
  if (i < 0) return false;
  const Entry& e = entries_[i];
  positions->assign(e.positions.begin(), e.positions.end());
  *total_size = e.total_size;
  Touch(e);
  return true;
}

bool PageMemo::FindTotal(size_t begin, size_t end, size_t* total_size) const {
  absl::ReaderMutexLock lock(&mu_);
  for (size_t i = 0; i < count_; ++i) {
    if (entries_[i].key.begin == begin && entries_[i].key.end == end) {
      *total_size = entries_[i].total_size;
      return true;
    }
  }
  return false;
}

void PageMemo::Insert(const Key& key, const std::vector<uint32_t>& positions, size_t total_size) {
  if (positions.size() > kMaxPositions) return;
  absl::MutexLock lock(&mu_);
  const int found = IndexOf(key);
  Entry* e = found >= 0 ? &entries_[found] : nullptr;
  if (e == nullptr) {
    if (count_ < kMaxEntries) {
      e = &entries_[count_++];
    } else {
      // The least recently used.
      e = &entries_[0];
      for (size_t i = 1; i < count_; ++i) {
        if (entries_[i].used.load(std::memory_order_relaxed) <
            e->used.load(std::memory_order_relaxed)) {
          e = &entries_[i];
        }
      }
    }
  }
  e->key = key;
  e->positions = positions;
  e->total_size = total_size;
  e->used.store(clock_.fetch_add(1, std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

size_t PageMemo::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return count_;
}

}  // namespace accord::api
