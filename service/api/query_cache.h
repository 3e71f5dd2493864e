// A bounded cache of compiled List queries: a filter and an order_by,
// parsed and checked against one collection's schema. A client that repeats
// the same query (a dashboard polling one page, a pager walking a listing)
// then pays for parsing and checking once, not on every call.
//
// An entry belongs to one serving snapshot, and is found only with that
// same snapshot: a compiled query points into its snapshot's schema, so
// after a reload it is never served again, even if the new catalogue has
// the same version string. The cache holds the entries of one snapshot at a
// time; inserting for another snapshot drops them all. Only queries that
// compiled are cached (an error is recomputed, so its message and details
// are exactly those of a first call). Each entry also keeps the first pages
// of its query's answer (page_memo.h), so the cache holds at most about
// capacity x (kMaxKeyBytes + PageMemo::kMaxEntries x 450) bytes besides the
// compiled expressions. Thread-safe.
#ifndef ACCORD_SERVICE_API_QUERY_CACHE_H_
#define ACCORD_SERVICE_API_QUERY_CACHE_H_

#include <cstddef>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "service/api/page_memo.h"
#include "service/catalog/collections.h"
#include "service/query/checker.h"
#include "service/query/order_by.h"
#include "service/serving/serving_catalog.h"

namespace accord::api {

// A List query's filter and order_by, checked against a collection's schema.
struct CompiledQuery {
  std::optional<query::CheckedExpr> filter;  // empty: no filter
  std::vector<query::OrderKey> order;        // empty: name order
  // Its first pages as answered against the snapshot it was compiled
  // against (page_memo.h); never null. The memo is thread-safe, so it is
  // filled through a const CompiledQuery.
  std::unique_ptr<PageMemo> first_pages = std::make_unique<PageMemo>();
};

class QueryCache {
 public:
  // Entries kept before the least recently used is dropped.
  static constexpr size_t kDefaultCapacity = 256;
  // Longer filters (plus order_by) are compiled on every call, not kept, so
  // that the cache stays small (at most capacity x this many key bytes).
  static constexpr size_t kMaxKeyBytes = 4096;

  explicit QueryCache(size_t capacity = kDefaultCapacity) : capacity_(capacity) {}
  QueryCache(const QueryCache&) = delete;
  QueryCache& operator=(const QueryCache&) = delete;

  // The query compiled for (`collection`, `filter`, `order_by`) against
  // `snapshot`, or nullptr if there is none (never cached, evicted, or
  // compiled against another snapshot).
  std::shared_ptr<const CompiledQuery> Find(
      const std::shared_ptr<const serving::ServingCatalog>& snapshot,
      catalog::CollectionId collection, absl::string_view filter, absl::string_view order_by);

  // Keeps `query`, compiled for (`collection`, `filter`, `order_by`)
  // against `snapshot`. Drops every entry of another snapshot first, and
  // the least recently used entry when full.
  void Insert(const std::shared_ptr<const serving::ServingCatalog>& snapshot,
              catalog::CollectionId collection, absl::string_view filter,
              absl::string_view order_by, std::shared_ptr<const CompiledQuery> query);

  // Entries held now.
  size_t size() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const CompiledQuery> query;
  };
  using Lru = std::list<Entry>;  // most recently used first

  static std::string Key(catalog::CollectionId collection, absl::string_view filter,
                         absl::string_view order_by);
  bool SameSnapshot(const std::shared_ptr<const serving::ServingCatalog>& snapshot) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const size_t capacity_;
  mutable absl::Mutex mu_;
  // The snapshot every entry was compiled against. A weak reference: the
  // cache must not keep a replaced catalogue alive. It also keeps the
  // snapshot's control block, so that no later snapshot can share its
  // identity.
  std::weak_ptr<const serving::ServingCatalog> snapshot_ ABSL_GUARDED_BY(mu_);
  Lru lru_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<absl::string_view, Lru::iterator> index_ ABSL_GUARDED_BY(mu_);
};

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_QUERY_CACHE_H_
