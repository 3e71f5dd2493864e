#include "service/index/cooccurrence.h"

#include <utility>
#include <vector>

namespace accord::index {

namespace {

// Each position's entries of `field`, in entry order (compressed rows):
// the entries of position p are values[begin[p] .. begin[p + 1]).
struct Rows {
  std::vector<uint32_t> begin;
  std::vector<uint32_t> values;
};

Rows RowsOf(const FieldIndex& field, size_t n) {
  const auto& entries = field.entries();
  Rows rows;
  rows.begin.assign(n + 1, 0);
  for (const FieldIndex::Entry& e : entries) {
    for (uint32_t p : e.postings) ++rows.begin[p + 1];
  }
  for (size_t p = 0; p < n; ++p) rows.begin[p + 1] += rows.begin[p];
  rows.values.resize(rows.begin[n]);
  std::vector<uint32_t> fill(rows.begin.begin(), rows.begin.end() - 1);
  for (uint32_t e = 0; e < entries.size(); ++e) {
    for (uint32_t p : entries[e].postings) rows.values[fill[p]++] = e;
  }
  return rows;
}

// One bitmap per list, shrunk, freeing the lists as it goes.
void ToBitmaps(absl::flat_hash_map<uint64_t, std::vector<uint32_t>>* lists,
               absl::flat_hash_map<uint64_t, Roaring>* out) {
  out->reserve(lists->size());
  for (auto& [key, list] : *lists) {
    Roaring r;
    r.addMany(list.size(), list.data());
    r.shrinkToFit();
    out->emplace(key, std::move(r));
    std::vector<uint32_t>().swap(list);
  }
}

}  // namespace

std::unique_ptr<Cooccurrence> Cooccurrence::Build(const FieldIndex& field, size_t n) {
  const auto& entries = field.entries();
  if (entries.size() > kMaxValues) return nullptr;
  const Rows rows = RowsOf(field, n);
  const std::vector<uint32_t>& begin = rows.begin;
  const std::vector<uint32_t>& values = rows.values;
  uint64_t pairs = 0;
  for (size_t p = 0; p < n; ++p) {
    const uint64_t k = begin[p + 1] - begin[p];
    pairs += k * (k - 1) / 2;
  }
  if (pairs > kMaxPairsPerPosting * values.size()) return nullptr;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> lists;
  for (uint32_t p = 0; p < n; ++p) {
    for (uint32_t i = begin[p]; i < begin[p + 1]; ++i) {
      for (uint32_t j = i + 1; j < begin[p + 1]; ++j) lists[Key(values[i], values[j])].push_back(p);
    }
  }
  auto out = std::make_unique<Cooccurrence>();
  out->field_ = &field;
  out->n_ = n;
  ToBitmaps(&lists, &out->pairs_);
  return out;
}

const Roaring& Cooccurrence::Both(uint32_t a, uint32_t b) const {
  auto it = pairs_.find(Key(a, b));
  return it == pairs_.end() ? empty_ : it->second;
}

const Cooccurrence::Split* Cooccurrence::By(const FieldIndex& by) const {
  if (&by == field_ || by.entries().empty() || by.entries().size() > kMaxByValues) return nullptr;
  LazySplit* lazy;
  {
    absl::MutexLock lock(&mu_);
    std::unique_ptr<LazySplit>& slot = splits_[&by];
    if (slot == nullptr) slot = std::make_unique<LazySplit>();
    lazy = slot.get();
  }
  std::call_once(lazy->once, [&] {
    lazy->split = BuildSplit(by);
    lazy->built.store(true, std::memory_order_release);
  });
  return lazy->split.get();
}

std::unique_ptr<Cooccurrence::Split> Cooccurrence::BuildSplit(const FieldIndex& by) const {
  const Rows by_rows = RowsOf(by, n_);
  uint64_t field_postings = 0;
  for (const FieldIndex::Entry& e : field_->entries()) field_postings += e.count;
  const size_t nb = by.entries().size();
  auto split = std::make_unique<Split>();
  std::vector<std::vector<uint32_t>> buckets(nb);
  uint64_t triples = 0;
  for (const auto& [key, pair] : pairs_) {
    if (pair.cardinality() < MinSplitPair(n_)) continue;
    for (auto& bucket : buckets) bucket.clear();
    for (uint32_t p : pair) {
      for (uint32_t g = by_rows.begin[p]; g < by_rows.begin[p + 1]; ++g) {
        buckets[by_rows.values[g]].push_back(p);
      }
    }
    split->split_pairs_.insert(key);
    for (uint32_t g = 0; g < nb; ++g) {
      if (buckets[g].empty()) continue;
      triples += buckets[g].size();
      if (triples > kMaxTriplesPerPosting * field_postings) return nullptr;
      Roaring r;
      r.addMany(buckets[g].size(), buckets[g].data());
      r.shrinkToFit();
      split->triples_.emplace((key << 8) | g, std::move(r));
    }
  }
  return split;
}

const Roaring* Cooccurrence::Split::Find(uint32_t a, uint32_t b, uint32_t g) const {
  const uint64_t pair = Cooccurrence::Key(a, b);
  if (!split_pairs_.contains(pair)) return nullptr;
  auto it = triples_.find((pair << 8) | g);
  return it == triples_.end() ? &empty_ : &it->second;
}

size_t Cooccurrence::Split::MemoryBytes() const {
  size_t bytes = triples_.capacity() * (sizeof(uint64_t) + sizeof(Roaring)) +
                 split_pairs_.capacity() * sizeof(uint64_t);
  for (const auto& [key, r] : triples_) bytes += r.getSizeInBytes(false);
  return bytes;
}

size_t Cooccurrence::MemoryBytes() const {
  size_t bytes = pairs_.capacity() * (sizeof(uint64_t) + sizeof(Roaring));
  for (const auto& [key, r] : pairs_) bytes += r.getSizeInBytes(false);
  absl::MutexLock lock(&mu_);
  for (const auto& [by, lazy] : splits_) {
    if (lazy->built.load(std::memory_order_acquire) && lazy->split != nullptr) {
      bytes += lazy->split->MemoryBytes();
    }
  }
  return bytes;
}

}  // namespace accord::index
