// The first pages of one compiled List query, as the engine answered them
// against one snapshot: the positions of the page and total_size. A
// snapshot never changes, so a query that is asked again (a dashboard
// polling its first page, many clients opening the same listing) is then
// answered without reading the indexes again; and a later page of it (a
// page_token) reports the total_size its first page counted instead of
// counting again.
//
// A PageMemo lives in a CompiledQuery (query_cache.h), so it belongs to the
// snapshot that query was compiled against and is dropped with it: an entry
// is never served for another snapshot. Only first pages are kept (no
// page_token: offset 0 and no resume cursor), of at most kMaxPositions
// records, and at most kMaxEntries of them (one per parent range and page
// size), the least recently used dropped first; so a memo holds at most
// about kMaxEntries x (kMaxPositions x 4 + 48) bytes. Thread-safe.
#ifndef ACCORD_SERVICE_API_PAGE_MEMO_H_
#define ACCORD_SERVICE_API_PAGE_MEMO_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace accord::api {

class PageMemo {
 public:
  // Pages of more records than this are not kept.
  static constexpr size_t kMaxPositions = 100;
  // Pages kept per query.
  static constexpr size_t kMaxEntries = 4;

  // A first page: candidates [begin, end) (the parent's range), `limit`
  // records at most.
  struct Key {
    size_t begin = 0;
    size_t end = 0;
    size_t limit = 0;
    bool operator==(const Key& other) const {
      return begin == other.begin && end == other.end && limit == other.limit;
    }
  };

  PageMemo() = default;
  PageMemo(const PageMemo&) = delete;
  PageMemo& operator=(const PageMemo&) = delete;

  // True, with the page's positions in `positions` and its total_size in
  // `total_size`, if the page for `key` was kept.
  bool Find(const Key& key, std::vector<uint32_t>* positions, size_t* total_size) const;

  // True, with it in `total_size`, if a page kept for candidates [begin,
  // end) (of any page size) knows the query's total_size there: what a
  // later page of the same query over the same range reports too.
  bool FindTotal(size_t begin, size_t end, size_t* total_size) const;

  // Keeps the page for `key` (`positions`, `total_size`), unless it holds
  // more than kMaxPositions records. Drops the least recently used page when
  // kMaxEntries are kept.
  void Insert(const Key& key, const std::vector<uint32_t>& positions, size_t total_size);

  // Pages kept now.
  size_t size() const;

 private:
  struct Entry {
    Key key;
    std::vector<uint32_t> positions;
    size_t total_size = 0;
    // When it was last found or kept (a tick of clock_); written under a
    // shared lock, so that lookups do not queue behind each other.
    mutable std::atomic<uint64_t> used{0};
  };

  // The index in entries_ of the page kept for `key`, or -1.
  int IndexOf(const Key& key) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Marks `e` as the most recently used.
  void Touch(const Entry& e) const;

  mutable absl::Mutex mu_;
  mutable std::atomic<uint64_t> clock_{0};
  Entry entries_[kMaxEntries] ABSL_GUARDED_BY(mu_);
  size_t count_ ABSL_GUARDED_BY(mu_) = 0;  // entries_[0, count_) are kept
};

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_PAGE_MEMO_H_
