#include "service/index/sort_column.h"

#include <algorithm>
#include <numeric>

#include "service/index/index_bytes.h"

namespace accord::index {
namespace {

// Compares values as query::CompareForOrder does (see order_by.h).
int Compare(query::Type type, const query::Value& a, const query::Value& b) {
  switch (type) {
    case query::Type::kString: {
      const int c = a.str.compare(b.str);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case query::Type::kDate:
      if (a.date.first != b.date.first) return a.date.first < b.date.first ? -1 : 1;
      return a.date.last < b.date.last ? -1 : (a.date.last > b.date.last ? 1 : 0);
    default:
      return a.num < b.num ? -1 : (a.num > b.num ? 1 : 0);
  }
}

}  // namespace

void SortColumn::Own() {
  keys_ = owned_keys_;
  sorted_ = owned_sorted_;
}

uint64_t SortColumn::OrderKey(query::Type type, const query::Value& v) {
  if (type == query::Type::kDate) {
    const uint32_t first = static_cast<uint32_t>(v.date.first) ^ 0x80000000u;
    const uint32_t last = static_cast<uint32_t>(v.date.last) ^ 0x80000000u;
    return (uint64_t{first} << 32) | last;
  }
  return static_cast<uint64_t>(v.num) ^ (uint64_t{1} << 63);
}

SortColumn SortColumn::BuildFromKeys(const std::vector<uint64_t>& keys,
                                     const std::vector<uint8_t>& has) {
  // Sorted as (key, position) pairs, the same order as Build's comparator
  // (records without a value first, ties by position), with no
  // indirection per comparison.
  const size_t n = has.size();
  std::vector<std::pair<uint64_t, uint32_t>> keyed;
  keyed.reserve(n);
  SortColumn c;
  c.owned_sorted_.reserve(n);
  for (size_t p = 0; p < n; ++p) {
    if (has[p]) {
      keyed.emplace_back(keys[p], static_cast<uint32_t>(p));
    } else {
      c.owned_sorted_.push_back(static_cast<uint32_t>(p));
    }
  }
  std::sort(keyed.begin(), keyed.end());
  c.owned_keys_.assign(n, 0);
  c.where_.resize(n);
  c.group_begin_.push_back(0);
  const size_t none = c.owned_sorted_.size();
  for (size_t i = 0; i < none; ++i) c.where_[c.owned_sorted_[i]] = static_cast<uint32_t>(i);
  uint32_t key = 0;
  for (size_t k = 0; k < keyed.size(); ++k) {
    const uint32_t p = keyed[k].second;
    const uint32_t i = static_cast<uint32_t>(none + k);
    if (k == 0 || keyed[k - 1].first != keyed[k].first) {
      ++key;
      c.group_begin_.push_back(i);
    }
    c.owned_sorted_.push_back(p);
    c.owned_keys_[p] = key;
    c.where_[p] = i;
  }
  c.group_begin_.push_back(static_cast<uint32_t>(n));
  c.Own();
  return c;
}

SortColumn SortColumn::Build(query::Type type, size_t n,
                             const std::function<bool(size_t, query::Value*)>& first_value) {
  if (type != query::Type::kString) {
    std::vector<uint64_t> keys(n);
    std::vector<uint8_t> has(n);
    query::Value v;
    for (size_t p = 0; p < n; ++p) {
      if (first_value(p, &v)) {
        has[p] = 1;
        keys[p] = OrderKey(type, v);
      }
    }
    return BuildFromKeys(keys, has);
  }
  std::vector<query::Value> values(n);
  std::vector<uint8_t> has(n);
  for (size_t p = 0; p < n; ++p) has[p] = first_value(p, &values[p]) ? 1 : 0;
  SortColumn c;
  c.owned_sorted_.resize(n);
  std::iota(c.owned_sorted_.begin(), c.owned_sorted_.end(), 0u);
  auto cmp = [&](uint32_t a, uint32_t b) {
    if (has[a] != has[b]) return has[a] < has[b] ? -1 : 1;
    return has[a] ? Compare(type, values[a], values[b]) : 0;
  };
  std::sort(c.owned_sorted_.begin(), c.owned_sorted_.end(), [&](uint32_t a, uint32_t b) {
    const int r = cmp(a, b);
    return r != 0 ? r < 0 : a < b;
  });
  c.owned_keys_.resize(n);
  c.where_.resize(n);
  // Key 0 is reserved for "no value", so that group k starts where key k
  // first appears; an empty group 0 is harmless.
  uint32_t key = 0;
  c.group_begin_.push_back(0);
  for (size_t i = 0; i < n; ++i) {
    const uint32_t p = c.owned_sorted_[i];
    if (has[p] && (i == 0 || !has[c.owned_sorted_[i - 1]] || cmp(c.owned_sorted_[i - 1], p) != 0)) {
      ++key;
      c.group_begin_.push_back(static_cast<uint32_t>(i));
    }
    c.owned_keys_[p] = key;
    c.where_[p] = static_cast<uint32_t>(i);
  }
  c.group_begin_.push_back(static_cast<uint32_t>(n));
  c.Own();
  return c;
}

SortColumn SortColumn::Identity(size_t n) {
  SortColumn c;
  c.owned_sorted_.resize(n);
  std::iota(c.owned_sorted_.begin(), c.owned_sorted_.end(), 0u);
  c.where_ = c.owned_sorted_;
  c.owned_keys_.resize(n);
  std::iota(c.owned_keys_.begin(), c.owned_keys_.end(), 1u);
  c.group_begin_.push_back(0);
  for (uint32_t i = 0; i < n; ++i) c.group_begin_.push_back(i);
  c.group_begin_.push_back(static_cast<uint32_t>(n));
  c.Own();
  return c;
}

void SortColumn::Serialize(std::string* out) const {
  ByteWriter w(out);
  w.PutArray(keys_);
  w.PutArray(sorted_);
}

absl::StatusOr<SortColumn> SortColumn::Deserialize(absl::string_view bytes, size_t records) {
  ByteReader r(bytes);
  SortColumn c;
  if (!r.GetArrayView(&c.keys_, &c.owned_keys_, records) ||
      !r.GetArrayView(&c.sorted_, &c.owned_sorted_, records) || !r.done()) {
    return CorruptIndex("a sorted column ends early or has bytes left over");
  }
  if (c.keys_.size() != records || c.sorted_.size() != records) {
    return CorruptIndex("a sorted column does not cover the collection");
  }
  constexpr uint32_t kUnseen = ~uint32_t{0};
  c.where_.assign(records, kUnseen);
  c.group_begin_.push_back(0);
  uint32_t key = 0;
  for (size_t i = 0; i < records; ++i) {
    const uint32_t p = c.sorted_[i];
    if (p >= records || c.where_[p] != kUnseen) {
      return CorruptIndex("a sorted column is not a permutation of the records");
    }
    c.where_[p] = static_cast<uint32_t>(i);
    const uint32_t k = c.keys_[p];
    if (k == key + 1) {
      key = k;
      c.group_begin_.push_back(static_cast<uint32_t>(i));
    } else if (k != key || (i > 0 && c.sorted_[i - 1] > p)) {
      return CorruptIndex("a sorted column is out of order");
    }
  }
  c.group_begin_.push_back(static_cast<uint32_t>(records));
  return c;
}

}  // namespace accord::index
