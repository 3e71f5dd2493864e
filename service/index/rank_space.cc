#include "service/index/rank_space.h"

#include <algorithm>

namespace accord::index {

std::unique_ptr<RankSpace> RankSpace::Build(const SortColumn* column,
                                            const FieldIndex* column_index) {
  if (column == nullptr || column_index == nullptr) return nullptr;
  const auto& entries = column_index->entries();
  // Key 0 is "no value"; keys 1.. are the distinct values in order, as
  // the index's entries are.
  if (column->key_count() != entries.size() + 1) return nullptr;
  for (size_t e = 0; e < entries.size(); ++e) {
    const uint32_t b = column->group_begin(static_cast<uint32_t>(e + 1));
    const uint32_t end = column->group_begin(static_cast<uint32_t>(e + 2));
    if (end - b != entries[e].count) return nullptr;
    if (entries[e].count > 0 && column->key(entries[e].postings.minimum()) != e + 1) return nullptr;
  }
  auto space = std::unique_ptr<RankSpace>(new RankSpace());
  space->column_ = column;
  space->column_index_ = column_index;
  return space;
}

std::vector<RankSpace::Interval> RankSpace::Intervals(FieldIndex::Conjunction all) const {
  std::vector<Interval> out;
  for (const auto& [b, e] : column_index_->MatchingEntries(all)) {
    const uint32_t lo = column_->group_begin(b + 1), hi = column_->group_begin(e + 1);
    if (lo == hi) continue;
    if (!out.empty() && out.back().second == lo) {
      out.back().second = hi;
    } else {
      out.emplace_back(lo, hi);
    }
  }
  return out;
}

RankSpace::Lazy& RankSpace::Slot(const FieldIndex* field, const FieldIndex* by, Table what) const {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<Lazy>& slot = lazy_[Key(field, by, what)];
  if (slot == nullptr) slot = std::make_unique<Lazy>();
  return *slot;
}

const std::vector<Roaring>& RankSpace::Postings(const FieldIndex& field) const {
  Lazy& lazy = Slot(&field, nullptr, Table::kPostings);
  std::call_once(lazy.once, [&] {
    std::vector<uint32_t> ranks;
    lazy.postings.reserve(field.entries().size());
    for (const FieldIndex::Entry& e : field.entries()) {
      ranks.clear();
      ranks.reserve(e.count);
      for (uint32_t p : e.postings) ranks.push_back(column_->where(p));
      std::sort(ranks.begin(), ranks.end());
      Roaring r;
      r.addMany(ranks.size(), ranks.data());
      r.shrinkToFit();
      lazy.postings.push_back(std::move(r));
    }
    lazy.built.store(true, std::memory_order_release);
  });
  return lazy.postings;
}

const std::vector<Roaring>* RankSpace::Pairs(const FieldIndex& field, const FieldIndex& by) const {
  const size_t nb = by.entries().size();
  if (nb == 0 || nb > kMaxPairBy || field.entries().size() > kMaxPairField) return nullptr;
  Lazy& lazy = Slot(&field, &by, Table::kPairs);
  std::call_once(lazy.once, [&] {
    // The `by` entry of each position (at most one), or nb for none.
    std::vector<uint8_t> by_of(size(), static_cast<uint8_t>(nb));
    for (size_t b = 0; b < nb; ++b) {
      for (uint32_t p : by.entries()[b].postings) by_of[p] = static_cast<uint8_t>(b);
    }
    std::vector<std::vector<uint32_t>> buckets(nb);
    lazy.postings.reserve(field.entries().size() * nb);
    for (const FieldIndex::Entry& e : field.entries()) {
      for (auto& bucket : buckets) bucket.clear();
      for (uint32_t p : e.postings) {
        if (by_of[p] < nb) buckets[by_of[p]].push_back(column_->where(p));
      }
      for (auto& bucket : buckets) {
        std::sort(bucket.begin(), bucket.end());
        Roaring r;
        r.addMany(bucket.size(), bucket.data());
        r.shrinkToFit();
        lazy.postings.push_back(std::move(r));
      }
    }
    lazy.built.store(true, std::memory_order_release);
  });
  return &lazy.postings;
}

const std::vector<RankSpace::Walk>& RankSpace::RanksByPosition(const FieldIndex& field) const {
  Lazy& lazy = Slot(&field, nullptr, Table::kRanksByPosition);
  std::call_once(lazy.once, [&] {
    lazy.walks.resize(field.entries().size());
    for (size_t e = 0; e < field.entries().size(); ++e) {
      const FieldIndex::Entry& entry = field.entries()[e];
      Walk& walk = lazy.walks[e];
      walk.positions.resize(entry.postings.cardinality());
      entry.postings.toUint32Array(walk.positions.data());
      walk.ranks.reserve(walk.positions.size());
      for (uint32_t p : walk.positions) walk.ranks.push_back(column_->where(p));
    }
    lazy.built.store(true, std::memory_order_release);
  });
  return lazy.walks;
}

size_t RankSpace::MemoryBytes() const {
  absl::MutexLock lock(&mu_);
  size_t bytes = 0;
  for (const auto& [key, lazy] : lazy_) {
    // Only tables whose build has finished (call_once has returned).
    if (!lazy->built.load(std::memory_order_acquire)) continue;
    bytes += lazy->postings.capacity() * sizeof(Roaring);
    for (const Roaring& r : lazy->postings) bytes += r.getSizeInBytes(false);
    bytes += lazy->walks.capacity() * sizeof(Walk);
    for (const Walk& w : lazy->walks) {
      bytes += (w.positions.capacity() + w.ranks.capacity()) * sizeof(uint32_t);
    }
  }
  return bytes;
}

}  // namespace accord::index
