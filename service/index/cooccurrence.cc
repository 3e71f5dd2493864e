#include "service/index/cooccurrence.h"

#include <utility>
#include <vector>

namespace accord::index {

std::unique_ptr<Cooccurrence> Cooccurrence::Build(const FieldIndex& field, size_t n) {
  const auto& entries = field.entries();
  if (entries.size() > kMaxValues) return nullptr;
  // Each position's entries, in entry order (compressed rows).
  std::vector<uint32_t> begin(n + 1, 0);
  uint64_t postings = 0;
  for (const FieldIndex::Entry& e : entries) {
    for (uint32_t p : e.postings) ++begin[p + 1];
    postings += e.count;
  }
  uint64_t pairs = 0;
  for (size_t p = 0; p < n; ++p) {
    const uint64_t k = begin[p + 1];
    pairs += k * (k - 1) / 2;
    begin[p + 1] += begin[p];
  }
  if (pairs > kMaxPairsPerPosting * postings) return nullptr;
  std::vector<uint32_t> values(begin[n]);
  std::vector<uint32_t> fill(begin.begin(), begin.end() - 1);
  for (uint32_t e = 0; e < entries.size(); ++e) {
    for (uint32_t p : entries[e].postings) values[fill[p]++] = e;
  }
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> lists;
  for (uint32_t p = 0; p < n; ++p) {
    for (uint32_t i = begin[p]; i < begin[p + 1]; ++i) {
      for (uint32_t j = i + 1; j < begin[p + 1]; ++j) lists[Key(values[i], values[j])].push_back(p);
    }
  }
  auto out = std::make_unique<Cooccurrence>();
  out->pairs_.reserve(lists.size());
  for (auto& [key, list] : lists) {
    Roaring r;
    r.addMany(list.size(), list.data());
    r.shrinkToFit();
    out->pairs_.emplace(key, std::move(r));
    std::vector<uint32_t>().swap(list);
  }
  return out;
}

const Roaring& Cooccurrence::Both(uint32_t a, uint32_t b) const {
  auto it = pairs_.find(Key(a, b));
  return it == pairs_.end() ? empty_ : it->second;
}

size_t Cooccurrence::MemoryBytes() const {
  size_t bytes = pairs_.capacity() * (sizeof(uint64_t) + sizeof(Roaring));
  for (const auto& [key, r] : pairs_) bytes += r.getSizeInBytes(false);
  return bytes;
}

}  // namespace accord::index
