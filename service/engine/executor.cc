#include "service/engine/executor.h"

#include <algorithm>

#include "service/engine/planner.h"
#include "service/engine/rank_plan.h"
#include "service/index/collection_index.h"

namespace accord::engine {
namespace {

constexpr uint64_t kPollEvery = 4096;

absl::Status Cancelled() {
  return absl::CancelledError("the request was cancelled while reading results");
}

// Name order is position order: read the matches from the cursor. A lazy
// pair is merged: walk the smaller side, probe the other.
void NameOrderPage(const MatchSet& matches, const ListQuery& q, ListPage* page) {
  const Roaring* walk = &matches.base();
  const Roaring* probe = matches.also();
  if (probe != nullptr && probe->cardinality() < walk->cardinality()) std::swap(walk, probe);
  uint32_t start = 0;
  size_t skip = 0;
  if (q.after >= 0) {
    start = static_cast<uint32_t>(q.after) + 1;
    if (start == 0) return;  // wrapped: nothing after the last position
  } else if (probe == nullptr) {
    if (!walk->select(static_cast<uint32_t>(q.offset), &start)) return;
  } else {
    skip = q.offset;
  }
  auto it = walk->begin();
  it.equalorlarger(start);
  for (; it != walk->end() && page->positions.size() < q.limit; ++it) {
    if (probe != nullptr && !probe->contains(*it)) continue;
    if (skip > 0) {
      --skip;
      continue;
    }
    page->positions.push_back(*it);
  }
}

// The order of the query's keys, from their sorted columns.
class KeyOrder {
 public:
  KeyOrder(const CollectionIndex& index, const std::vector<query::OrderKey>& keys) {
    for (const query::OrderKey& k : keys) columns_.emplace_back(&index.sort(k.field), k.desc);
  }
  bool Less(uint32_t a, uint32_t b) const {
    for (const auto& [column, desc] : columns_) {
      const uint32_t ka = column->key(a), kb = column->key(b);
      if (ka != kb) return desc ? ka > kb : ka < kb;
    }
    return a < b;
  }

 private:
  std::vector<std::pair<const SortColumn*, bool>> columns_;
};

// One key: pack (key, position) into integers and select on those, with
// no indirection per comparison.
void SortedPageOneKey(const Roaring& matches, const ListQuery& q, const SortColumn& column,
                      bool desc, ListPage* page) {
  thread_local std::vector<uint32_t> all;
  all.resize(matches.cardinality());
  matches.toUint32Array(all.data());
  auto pack = [&](uint32_t p) {
    const uint32_t k = column.key(p);
    return (uint64_t{desc ? ~k : k} << 32) | p;
  };
  std::vector<uint64_t> keys;
  keys.reserve(all.size());
  size_t skip = q.offset;
  if (q.after >= 0) {
    const uint64_t cursor = pack(static_cast<uint32_t>(q.after));
    for (uint32_t p : all) {
      const uint64_t k = pack(p);
      if (k > cursor) keys.push_back(k);
    }
    skip = 0;
  } else {
    for (uint32_t p : all) keys.push_back(pack(p));
  }
  if (skip >= keys.size()) return;
  const size_t stop = std::min(keys.size(), skip + q.limit);
  std::nth_element(keys.begin(), keys.begin() + (stop - 1), keys.end());
  std::sort(keys.begin(), keys.begin() + stop);
  for (size_t i = skip; i < stop; ++i) page->positions.push_back(static_cast<uint32_t>(keys[i]));
}

// Sorts the matches (after the cursor) just enough to cut the page.
absl::Status SortedPage(const Roaring& matches, const ListQuery& q, const KeyOrder& order,
                        ListPage* page) {
  std::vector<uint32_t> all(matches.cardinality());
  matches.toUint32Array(all.data());
  size_t skip = q.offset;
  if (q.after >= 0) {
    const uint32_t after = static_cast<uint32_t>(q.after);
    all.erase(
        std::remove_if(all.begin(), all.end(), [&](uint32_t p) { return !order.Less(after, p); }),
        all.end());
    skip = 0;
  }
  if (skip >= all.size()) return absl::OkStatus();
  const size_t stop = std::min(all.size(), skip + q.limit);
  auto less = [&](uint32_t a, uint32_t b) { return order.Less(a, b); };
  std::nth_element(all.begin(), all.begin() + (stop - 1), all.end(), less);
  std::sort(all.begin(), all.begin() + stop, less);
  page->positions.assign(all.begin() + skip, all.begin() + stop);
  return absl::OkStatus();
}

// Probes a lazy pair.
struct LazyProbe {
  const MatchSet& m;
  bool contains(uint32_t p) const { return m.Contains(p); }
};

// A plain bitset copy of a Roaring bitmap, for many random probes.
class FlatBits {
 public:
  FlatBits(const Roaring& roaring, size_t n) : bits_(n / 64 + 1) {
    std::vector<uint32_t> all(roaring.cardinality());
    roaring.toUint32Array(all.data());
    for (uint32_t p : all) bits_[p >> 6] |= uint64_t{1} << (p & 63);
  }
  bool contains(uint32_t p) const { return (bits_[p >> 6] >> (p & 63)) & 1; }

 private:
  std::vector<uint64_t> bits_;
};

// Walks one key's sorted column from the cursor, keeping the matches:
// cheap when matches are dense, as it stops after one page.
template <typename Matches>
absl::Status WalkPage(const Matches& matches, const ListQuery& q, const SortColumn& column,
                      bool desc, ListPage* page) {
  size_t skip = q.after >= 0 ? 0 : q.offset;
  uint64_t probes = 0;
  const auto& sorted = column.sorted();
  // Visits sorted[i] for i in [from, to); false when the page is full or
  // the request was cancelled.
  absl::Status status;
  auto visit = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      if (++probes % kPollEvery == 0 && q.cancelled && q.cancelled()) {
        status = Cancelled();
        return false;
      }
      const uint32_t p = sorted[i];
      if (!matches.contains(p)) continue;
      if (skip > 0) {
        --skip;
        continue;
      }
      page->positions.push_back(p);
      if (page->positions.size() == q.limit) return false;
    }
    return true;
  };
  if (!desc) {
    visit(q.after >= 0 ? column.where(static_cast<uint32_t>(q.after)) + 1 : 0, sorted.size());
    return status;
  }
  // Descending keys, but ties still by ascending name: groups in reverse,
  // each group forwards.
  int64_t g = column.key_count() - 1;
  size_t from = column.group_begin(static_cast<uint32_t>(g));
  if (q.after >= 0) {
    g = column.key(static_cast<uint32_t>(q.after));
    from = column.where(static_cast<uint32_t>(q.after)) + 1;
  }
  for (; g >= 0; --g) {
    if (!visit(from, column.group_begin(static_cast<uint32_t>(g) + 1))) break;
    if (g > 0) from = column.group_begin(static_cast<uint32_t>(g) - 1);
  }
  return status;
}

}  // namespace

absl::StatusOr<ListPage> ExecuteList(const serving::Collection& collection,
                                     const ListQuery& query) {
  ListPage page;
  const size_t end = std::min(query.end, collection.size());
  if (query.begin >= end) return page;
  // Ordered by a date, or in name order with a date range: composite
  // postings in the date's rank space, when the filter fits them.
  if (absl::StatusOr<bool> ranked = ListInRankSpace(collection, query, &page); !ranked.ok()) {
    return ranked.status();
  } else if (*ranked) {
    return page;
  }
  Roaring universe;
  roaring_bitmap_add_range(&universe.roaring, query.begin, end);
  MatchSet lazy = MatchSet::Borrow(&universe);
  if (query.filter != nullptr) {
    absl::StatusOr<MatchSet> filtered =
        EvaluateFilterLazily(collection, *query.filter, universe, query.cancelled);
    if (!filtered.ok()) return filtered.status();
    lazy = *std::move(filtered);
  }
  static const std::vector<query::OrderKey> kNameOrder;
  const auto& keys = query.order != nullptr ? *query.order : kNameOrder;
  const CollectionIndex& index = collection.index();
  if (query.limit == 0 || keys.empty() ||
      (keys.size() == 1 && index.IsName(keys.front().field) && !keys.front().desc)) {
    // Counting and name order read the lazy pair directly.
    page.total_size =
        query.known_total >= 0 ? static_cast<size_t>(query.known_total) : lazy.Count();
    if (query.limit > 0 && page.total_size > 0) NameOrderPage(lazy, query, &page);
    return page;
  }
  if (keys.size() == 1) {
    const SortColumn& column = index.sort(keys.front().field);
    const uint64_t wanted = (query.after >= 0 ? 0 : query.offset) + query.limit;
    // Walking the column probes about wanted * size / matches records.
    // Few probes into many matches: probe the lazy pair itself (~20 ns a
    // probe, a search through containers) rather than intersect it. An
    // upper bound on the matches tells when that is out of the question,
    // and the pair is then intersected once, its count read off the result.
    auto few_probes = [&](uint64_t m) {
      return m > 0 && wanted * collection.size() / m * 20 < m * 2 + collection.size() / 64;
    };
    uint64_t bound = lazy.base().cardinality();
    if (lazy.also() != nullptr) bound = std::min<uint64_t>(bound, lazy.also()->cardinality());
    if (few_probes(bound)) {
      page.total_size =
          query.known_total >= 0 ? static_cast<size_t>(query.known_total) : lazy.Count();
      if (page.total_size == 0) return page;
      if (few_probes(page.total_size)) {
        absl::Status s = WalkPage(LazyProbe{lazy}, query, column, keys.front().desc, &page);
        if (!s.ok()) return s;
        return page;
      }
    }
    const Roaring matches = lazy.Materialize();
    const uint64_t m = matches.cardinality();
    page.total_size = m;
    if (m == 0) return page;
    // A flat bitset answers a probe in ~2 ns but costs ~1.5 ns per match
    // and 1/64 word per record to build; sorting costs ~10 ns per match (a
    // random key read, then selection). Take the cheaper.
    if (wanted * collection.size() / m <= 3 * m + 1024) {
      absl::Status s =
          WalkPage(FlatBits(matches, collection.size()), query, column, keys.front().desc, &page);
      if (!s.ok()) return s;
    } else {
      SortedPageOneKey(matches, query, column, keys.front().desc, &page);
    }
    return page;
  }
  const Roaring matches = lazy.Materialize();
  page.total_size = matches.cardinality();
  if (page.total_size == 0) return page;
  absl::Status s = SortedPage(matches, query, KeyOrder(index, keys), &page);
  if (!s.ok()) return s;
  return page;
}

}  // namespace accord::engine
