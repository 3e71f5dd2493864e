#include "service/api/query_cache.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace accord::api {

std::string QueryCache::Key(catalog::CollectionId collection, absl::string_view filter,
                            absl::string_view order_by) {
  // Lengths first, so that no two (filter, order_by) pairs share a key.
  return absl::StrCat(static_cast<int>(collection), ":", filter.size(), ":", filter, order_by);
}

bool QueryCache::SameSnapshot(
    const std::shared_ptr<const serving::ServingCatalog>& snapshot) const {
  // Same control block: the weak reference keeps ours allocated, so a
  // different snapshot cannot have it, even at the same address.
  return !snapshot_.owner_before(snapshot) && !snapshot.owner_before(snapshot_) &&
         !snapshot_.expired();
}

std::shared_ptr<const CompiledQuery> QueryCache::Find(
    const std::shared_ptr<const serving::ServingCatalog>& snapshot,
    catalog::CollectionId collection, absl::string_view filter, absl::string_view order_by) {
  if (snapshot == nullptr || filter.size() + order_by.size() > kMaxKeyBytes) return nullptr;
  const std::string key = Key(collection, filter, order_by);
  {
    // Most calls repeat the most recently used query: a shared lock, so
    // that concurrent calls do not queue behind each other.
    absl::ReaderMutexLock lock(&mu_);
    if (!SameSnapshot(snapshot)) return nullptr;
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    if (it->second == lru_.begin()) return it->second->query;
  }
  absl::MutexLock lock(&mu_);
  if (!SameSnapshot(snapshot)) return nullptr;
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->query;
}

void QueryCache::Insert(const std::shared_ptr<const serving::ServingCatalog>& snapshot,
                        catalog::CollectionId collection, absl::string_view filter,
                        absl::string_view order_by, std::shared_ptr<const CompiledQuery> query) {
  if (snapshot == nullptr || query == nullptr || capacity_ == 0 ||
      filter.size() + order_by.size() > kMaxKeyBytes) {
    return;
  }
  std::string key = Key(collection, filter, order_by);
  absl::MutexLock lock(&mu_);
  if (!SameSnapshot(snapshot)) {
    index_.clear();
    lru_.clear();
    snapshot_ = snapshot;
  }
  if (auto it = index_.find(key); it != index_.end()) {
    it->second->query = std::move(query);
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  if (lru_.size() >= capacity_) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
  lru_.push_front(Entry{std::move(key), std::move(query)});
  // The view points into the list node's string, which never moves.
  index_.emplace(lru_.front().key, lru_.begin());
}

size_t QueryCache::size() const {
  absl::MutexLock lock(&mu_);
  return lru_.size();
}

}  // namespace accord::api
