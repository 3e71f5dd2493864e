#include "service/index/collection_index.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <numeric>
#include <optional>
#include <string>
#include <thread>

#include "absl/container/flat_hash_set.h"
#include "google/protobuf/arena.h"
#include "service/index/index_bytes.h"
#include "service/index/wire_fields.h"

namespace accord::index {
namespace {

using google::protobuf::Message;

// Below this many sampled values a field is always indexed.
constexpr size_t kMinSampleValues = 64;
constexpr size_t kSampleRecords = 2048;

// Records parsed per arena during a build: large enough to amortize the
// arena, small enough that a chunk stays in cache.
constexpr size_t kChunk = 1024;

// At most this many threads share a build's record pass.
constexpr size_t kMaxBuildThreads = 8;

// Whether a string field repeats its values enough for posting lists to
// pay: identifiers, references and enums-as-strings do; prose does not.
bool LooksCategorical(const query::Field& field, const std::vector<const Message*>& sample) {
  if (field.type != query::Type::kString) return true;
  std::vector<query::Value> values;
  absl::flat_hash_set<absl::string_view> distinct;
  size_t total = 0;
  for (const Message* record : sample) {
    values.clear();
    field.extract(*record, &values);
    for (const query::Value& v : values) {
      distinct.insert(v.str);
      ++total;
    }
  }
  return total < kMinSampleValues || distinct.size() * 4 <= total;
}

// A sorted column from the first value of each record, collected by
// `collect` (called once per record, in order); strings are copied, since
// the records they came from are gone by the time the column sorts.
struct FirstValues {
  explicit FirstValues(query::Type type, size_t n) : type(type), has(n) {
    if (type == query::Type::kString) {
      values.resize(n);
    } else {
      keys.resize(n);  // 8 bytes a record, not a whole query::Value
    }
  }
  void Add(uint32_t p, const query::Value* v, size_t count) {
    if (count == 0) return;
    has[p] = 1;
    if (type != query::Type::kString) {
      keys[p] = SortColumn::OrderKey(type, v[0]);
      return;
    }
    values[p] = v[0];
    values[p].str = strings.emplace_back(v[0].str);
  }
  SortColumn Finish() const {
    if (type != query::Type::kString) return SortColumn::BuildFromKeys(keys, has);
    return SortColumn::Build(type, values.size(), [&](size_t p, query::Value* v) {
      if (!has[p]) return false;
      *v = values[p];
      return true;
    });
  }
  // Frees the values once the column is built.
  void Release() {
    std::vector<query::Value>().swap(values);
    std::vector<uint64_t>().swap(keys);
    std::vector<uint8_t>().swap(has);
    std::deque<std::string>().swap(strings);
  }
  query::Type type;
  std::vector<query::Value> values;  // kString
  std::vector<uint64_t> keys;        // other types
  std::vector<uint8_t> has;
  std::deque<std::string> strings;
};

}  // namespace

std::vector<const Message*> CollectionIndex::Sample(google::protobuf::Arena* arena) const {
  const size_t n = records_->size();
  const size_t step = std::max<size_t>(1, n / kSampleRecords);
  std::vector<const Message*> sample;
  for (size_t p = 0; p < n; p += step) {
    sample.push_back(parsed_ != nullptr ? (*parsed_)[p] : records_->Parse(p, arena));
  }
  return sample;
}

std::vector<int> CollectionIndex::TopLevelNumbers(
    const std::vector<const query::Field*>& fields) const {
  std::vector<int> numbers;
  const google::protobuf::Descriptor* d = records_->descriptor();
  for (const query::Field* f : fields) {
    const auto* top = d->FindFieldByName(f->path.substr(0, f->path.find('.')));
    if (top == nullptr) return {};
    numbers.push_back(top->number());
  }
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  return numbers;
}

void CollectionIndex::ForEachRecord(
    const std::vector<int>& fields,
    const std::function<void(uint32_t, const Message&)>& visit) const {
  const size_t n = records_->size();
  if (parsed_ != nullptr) {
    for (size_t p = 0; p < n; ++p) visit(static_cast<uint32_t>(p), *(*parsed_)[p]);
    return;
  }
  google::protobuf::Arena arena;
  std::string scratch;
  for (size_t begin = 0; begin < n; begin += kChunk) {
    const size_t end = std::min(n, begin + kChunk);
    for (size_t p = begin; p < end; ++p) {
      visit(static_cast<uint32_t>(p), fields.empty()
                                          ? *records_->Parse(p, &arena)
                                          : *records_->ParseFields(p, fields, &arena, &scratch));
    }
    arena.Reset();
  }
}

std::unique_ptr<CollectionIndex> CollectionIndex::Empty(const catalog::Collection* records,
                                                        const query::Schema& schema,
                                                        const ChildFields* children) {
  auto index = std::unique_ptr<CollectionIndex>(new CollectionIndex());
  index->records_ = records;
  index->name_field_ = schema.Find("name");
  absl::flat_hash_map<const query::Field*, const query::Field*> derived;
  if (children != nullptr) {
    index->child_ = children->child;
    index->parent_of_ = children->parent_of;
    for (const auto& [parent, child] : children->fields) derived[parent] = child;
  }
  for (const auto& owned : schema.fields()) {
    const query::Field* f = owned.get();
    if (!f->repeated) index->columns_.emplace(f, std::make_unique<LazyColumn>());
    if (f == index->name_field_ || !f->extract) continue;
    auto lazy = std::make_unique<LazyField>();
    if (auto it = derived.find(f); it != derived.end()) lazy->child = it->second;
    index->fields_.emplace(f, std::move(lazy));
  }
  return index;
}

std::unique_ptr<CollectionIndex> CollectionIndex::Build(const catalog::Collection* records,
                                                        const query::Schema& schema,
                                                        const ChildFields* children) {
  return BuildImpl(records, schema, children, nullptr);
}

std::unique_ptr<CollectionIndex> CollectionIndex::BuildFromParsed(
    const catalog::Collection* records, const query::Schema& schema, const ChildFields* children,
    const std::vector<const Message*>& parsed) {
  return BuildImpl(records, schema, children, &parsed);
}

std::unique_ptr<CollectionIndex> CollectionIndex::BuildImpl(
    const catalog::Collection* records, const query::Schema& schema, const ChildFields* children,
    const std::vector<const Message*>* parsed) {
  std::unique_ptr<CollectionIndex> index = Empty(records, schema, children);
  if (parsed != nullptr && parsed->size() == records->size()) index->parsed_ = parsed;
  google::protobuf::Arena sample_arena;
  const std::vector<const Message*> sample = index->Sample(&sample_arena);
  std::vector<std::pair<const query::Field*, LazyField*>> eager;  // built from extractors now
  for (const auto& owned : schema.fields()) {
    const query::Field* f = owned.get();
    auto it = index->fields_.find(f);
    if (it == index->fields_.end()) continue;
    LazyField* lazy = it->second.get();
    const bool nested =
        (lazy->child != nullptr ? lazy->child->path : f->path).find('.') != std::string::npos;
    // Derived fields are built from the child's index after the loop.
    if (!nested && lazy->child == nullptr && LooksCategorical(*f, sample)) {
      eager.emplace_back(f, lazy);
    }
  }
  std::vector<const query::Field*> derived;
  for (const auto& [f, lazy] : index->fields_) {
    if (lazy->child != nullptr) derived.push_back(f);
  }
  // Dates, enums, bools and numbers sort cheaply: their columns are built
  // now, in the same pass, so that the first ordered request doesn't pay
  // for it.
  std::vector<std::pair<const query::Field*, LazyColumn*>> eager_columns;
  for (const auto& [f, lazy] : index->columns_) {
    if (f->type != query::Type::kString && f != index->name_field_ && f->extract &&
        std::find(derived.begin(), derived.end(), f) == derived.end()) {
      eager_columns.emplace_back(f, lazy.get());
    }
  }
  // Record-major: each record is parsed once and visited for all its eager
  // fields while it is in cache, instead of once per field.
  std::vector<FieldIndex::Builder> builders;
  builders.reserve(eager.size());
  for (const auto& e : eager) builders.emplace_back(e.first->type);
  std::vector<FirstValues> firsts;
  firsts.reserve(eager_columns.size());
  for (const auto& e : eager_columns) firsts.emplace_back(e.first->type, records->size());
  // The fields are split between a few threads (each builder is touched by
  // one thread only; extractors of stored fields only read the record), each
  // streaming through every record for its share.
  const size_t jobs = eager.size() + eager_columns.size();
  const size_t threads =
      std::min<size_t>({jobs, std::max(1u, std::thread::hardware_concurrency()), kMaxBuildThreads});
  // Which thread builds each job (value indexes, then columns): the
  // heaviest first, each to the least loaded thread. A field read through
  // its extractor from the parsed record (one under a repeated message)
  // costs several times one read from the wire bytes (WireFields).
  std::vector<size_t> owner(jobs, 0);
  {
    auto field_of = [&](size_t k) {
      return k < eager.size() ? eager[k].first : eager_columns[k - eager.size()].first;
    };
    auto weight = [&](size_t k) -> size_t {
      return WireFields::Create(records->descriptor(), {field_of(k)}) ? 1 : 4;
    };
    std::vector<size_t> by_weight(jobs);
    std::iota(by_weight.begin(), by_weight.end(), size_t{0});
    std::stable_sort(by_weight.begin(), by_weight.end(),
                     [&](size_t a, size_t b) { return weight(a) > weight(b); });
    std::vector<size_t> load(std::max<size_t>(threads, 1), 0);
    for (size_t k : by_weight) {
      const size_t t =
          static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
      owner[k] = t;
      load[t] += weight(k);
    }
  }
  auto pass = [&](size_t t) {
    std::vector<query::Value> values;
    std::vector<size_t> mine_eager, mine_columns;
    std::vector<const query::Field*> read;
    for (size_t i = 0; i < eager.size(); ++i) {
      if (owner[i] != t) continue;
      mine_eager.push_back(i);
      read.push_back(eager[i].first);
    }
    for (size_t j = 0; j < eager_columns.size(); ++j) {
      if (owner[eager.size() + j] != t) continue;
      mine_columns.push_back(j);
      read.push_back(eager_columns[j].first);
    }
    // Fields reached through singular messages (most of them) are read
    // from the stored wire bytes, in name order and contiguous, in one pass
    // per record, without reflection; the others (under a repeated
    // message) through their extractors, from the parsed record.
    std::vector<const query::Field*> top;
    for (const query::Field* f : read) {
      if (WireFields::Create(records->descriptor(), {f})) top.push_back(f);
    }
    std::sort(top.begin(), top.end());
    top.erase(std::unique(top.begin(), top.end()), top.end());
    std::optional<WireFields> wire = WireFields::Create(records->descriptor(), top);
    if (!wire) top.clear();
    auto slot_of = [&](const query::Field* f) -> size_t {
      auto it = std::lower_bound(top.begin(), top.end(), f);
      return it != top.end() && *it == f ? static_cast<size_t>(it - top.begin()) : SIZE_MAX;
    };
    std::vector<size_t> eager_slot, column_slot;
    std::vector<const query::Field*> parsed_fields;
    for (size_t i : mine_eager) {
      eager_slot.push_back(slot_of(eager[i].first));
      if (eager_slot.back() == SIZE_MAX) parsed_fields.push_back(eager[i].first);
    }
    for (size_t j : mine_columns) {
      column_slot.push_back(slot_of(eager_columns[j].first));
      if (column_slot.back() == SIZE_MAX) parsed_fields.push_back(eager_columns[j].first);
    }
    std::vector<std::vector<query::Value>> wire_values;
    // The values of `field` in the current record: read from its wire bytes
    // when WireFields covers the field (`slot`), else from its parse.
    auto values_of = [&](size_t slot, const query::Field* field,
                         const Message* record) -> const std::vector<query::Value>& {
      if (slot != SIZE_MAX) return wire_values[slot];
      values.clear();
      field->extract(*record, &values);
      return values;
    };
    auto visit = [&](uint32_t p, const Message* record) {
      if (wire) wire->Read(records->bytes(p), &wire_values);
      for (size_t m = 0; m < mine_eager.size(); ++m) {
        const auto& v = values_of(eager_slot[m], eager[mine_eager[m]].first, record);
        builders[mine_eager[m]].Add(p, v.data(), v.size());
      }
      for (size_t m = 0; m < mine_columns.size(); ++m) {
        const auto& v = values_of(column_slot[m], eager_columns[mine_columns[m]].first, record);
        firsts[mine_columns[m]].Add(p, v.data(), v.size());
      }
    };
    if (parsed_fields.empty()) {
      for (size_t p = 0; p < records->size(); ++p) visit(static_cast<uint32_t>(p), nullptr);
      return;
    }
    index->ForEachRecord(index->TopLevelNumbers(parsed_fields),
                         [&](uint32_t p, const Message& record) { visit(p, &record); });
  };
  if (threads <= 1) {
    if (jobs > 0) pass(0);
  } else {
    std::vector<std::thread> helpers;
    for (size_t t = 1; t < threads; ++t) helpers.emplace_back(pass, t);
    pass(0);
    for (std::thread& h : helpers) h.join();
  }
  // Then every field's bitmaps and every column's sort, the fields derived
  // from the children, and the remaining non-string columns (the name's,
  // computed ones): independent jobs (each builds its own lazy slot, under
  // its once flag), shared between the same threads, the largest kinds
  // first.
  std::vector<std::function<void()>> finish;
  for (size_t i = 0; i < eager.size(); ++i) {
    finish.push_back([&, i] {
      LazyField* lazy = eager[i].second;
      std::call_once(lazy->once, [&] {
        lazy->index = std::make_unique<FieldIndex>(std::move(builders[i]).Finish());
      });
    });
  }
  for (size_t i = 0; i < eager_columns.size(); ++i) {
    finish.push_back([&, i] {
      LazyColumn* lazy = eager_columns[i].second;
      std::call_once(lazy->once,
                     [&] { lazy->column = std::make_unique<SortColumn>(firsts[i].Finish()); });
      firsts[i].Release();
    });
  }
  for (const auto& [f, lazy] : index->fields_) {
    if (lazy->child != nullptr && lazy->child->path.find('.') == std::string::npos) {
      finish.push_back([&index, f = f] { index->field(f); });
    }
  }
  for (const auto& [f, lazy] : index->columns_) {
    if (f->type != query::Type::kString) finish.push_back([&index, f = f] { index->sort(f); });
  }
  std::atomic<size_t> next_job{0};
  auto finish_jobs = [&] {
    for (size_t k = next_job++; k < finish.size(); k = next_job++) finish[k]();
  };
  {
    std::vector<std::thread> helpers;
    for (size_t t = 1; t < threads; ++t) helpers.emplace_back(finish_jobs);
    finish_jobs();
    for (std::thread& h : helpers) h.join();
  }
  index->parsed_ = nullptr;
  return index;
}

void CollectionIndex::Serialize(std::string* out) const {
  ByteWriter w(out);
  w.Put<uint64_t>(size());
  w.PutArray(parent_of_);
  std::string bytes;
  uint64_t built = 0;
  for (const auto& [f, lazy] : fields_) built += lazy->index != nullptr;
  w.Put<uint64_t>(built);
  for (const auto& [f, lazy] : fields_) {
    if (lazy->index == nullptr) continue;
    w.PutString(f->path);
    bytes.clear();
    lazy->index->Serialize(&bytes);
    w.Put<uint64_t>(bytes.size());
    out->append(bytes);
  }
  built = 0;
  for (const auto& [f, lazy] : columns_) built += lazy->column != nullptr;
  w.Put<uint64_t>(built);
  for (const auto& [f, lazy] : columns_) {
    if (lazy->column == nullptr) continue;
    w.PutString(f->path);
    w.PadTo(8);  // so that the column's arrays are read in place (SortColumn::Deserialize)
    bytes.clear();
    lazy->column->Serialize(&bytes);
    w.Put<uint64_t>(bytes.size());
    out->append(bytes);
  }
}

absl::StatusOr<std::unique_ptr<CollectionIndex>> CollectionIndex::Load(
    const catalog::Collection* records, const query::Schema& schema, const ChildFields* children,
    absl::string_view bytes) {
  std::unique_ptr<CollectionIndex> index = Empty(records, schema, children);
  const size_t n = records->size();
  ByteReader r(bytes);
  uint64_t size;
  if (!r.Get(&size)) return CorruptIndex("a collection index ends early");
  if (size != n) {
    return CorruptIndex(absl::StrCat("a collection index covers ", size, " records, not ", n));
  }
  std::vector<uint32_t> parent_of;
  const size_t children_count = index->child_ != nullptr ? index->child_->size() : 0;
  if (!r.GetArray(&parent_of, children_count)) {
    return CorruptIndex("a collection index's parents end early");
  }
  if (index->child_ != nullptr) {
    if (parent_of.size() != children_count) {
      return CorruptIndex("a collection index's parents do not cover the children");
    }
    for (uint32_t p : parent_of) {
      if (p >= n) return CorruptIndex("a collection index names a parent beyond its records");
    }
    if (index->parent_of_.empty()) index->parent_of_ = std::move(parent_of);
  }
  // A path, then a length and the bytes: the value indexes, then the
  // sorted columns.
  auto next = [&r](int part, absl::string_view* path, absl::string_view* blob) {
    uint64_t length;
    if (!r.GetString(path)) return false;
    if (part == 1 && !r.SkipPadding(8)) return false;  // columns start 8-byte aligned
    if (!r.Get(&length)) return false;
    return r.GetBytes(length, blob);
  };
  for (int part = 0; part < 2; ++part) {
    uint64_t count;
    if (!r.Get(&count)) return CorruptIndex("a collection index ends early");
    for (uint64_t i = 0; i < count; ++i) {
      absl::string_view path, blob;
      if (!next(part, &path, &blob)) return CorruptIndex("a collection index ends early");
      const query::Field* f = schema.Find(path);
      if (part == 0) {
        auto it = f == nullptr ? index->fields_.end() : index->fields_.find(f);
        if (it == index->fields_.end() || f->path != path) {
          return CorruptIndex(absl::StrCat("a value index of an unknown field \"", path, "\""));
        }
        absl::StatusOr<FieldIndex> loaded = FieldIndex::Deserialize(blob, n);
        if (!loaded.ok()) return loaded.status();
        if (loaded->type() != f->type) return CorruptIndex("a value index has another type");
        LazyField& lazy = *it->second;
        std::call_once(lazy.once,
                       [&] { lazy.index = std::make_unique<FieldIndex>(*std::move(loaded)); });
      } else {
        auto it = f == nullptr ? index->columns_.end() : index->columns_.find(f);
        if (it == index->columns_.end() || f->path != path) {
          return CorruptIndex(absl::StrCat("a sorted column of an unknown field \"", path, "\""));
        }
        absl::StatusOr<SortColumn> loaded = SortColumn::Deserialize(blob, n);
        if (!loaded.ok()) return loaded.status();
        LazyColumn& lazy = *it->second;
        std::call_once(lazy.once,
                       [&] { lazy.column = std::make_unique<SortColumn>(*std::move(loaded)); });
      }
    }
  }
  if (!r.done()) return CorruptIndex("a collection index has bytes left over");
  return index;
}

const FieldIndex* CollectionIndex::field(const query::Field* field) const {
  auto it = fields_.find(field);
  if (it == fields_.end()) return nullptr;
  LazyField& lazy = *it->second;
  std::call_once(lazy.once, [&] {
    if (lazy.child != nullptr) {
      const FieldIndex* child = child_->field(lazy.child);
      if (child != nullptr) {
        lazy.index = std::make_unique<FieldIndex>(FieldIndex::FromChildren(*child, parent_of_));
      }
      return;
    }
    {
      google::protobuf::Arena arena;
      if (!LooksCategorical(*field, Sample(&arena))) return;
    }
    FieldIndex::Builder builder(field->type);
    std::vector<query::Value> values;
    ForEachRecord(TopLevelNumbers({field}), [&](uint32_t p, const Message& record) {
      values.clear();
      field->extract(record, &values);
      builder.Add(p, values.data(), values.size());
    });
    lazy.index = std::make_unique<FieldIndex>(std::move(builder).Finish());
  });
  return lazy.index.get();
}

const SortColumn& CollectionIndex::sort(const query::Field* field) const {
  LazyColumn& lazy = *columns_.at(field);
  std::call_once(lazy.once, [&] {
    if (field == name_field_) {
      lazy.column = std::make_unique<SortColumn>(SortColumn::Identity(size()));
      return;
    }
    FirstValues firsts(field->type, size());
    std::vector<query::Value> values;
    ForEachRecord(TopLevelNumbers({field}), [&](uint32_t p, const Message& record) {
      values.clear();
      field->extract(record, &values);
      firsts.Add(p, values.data(), values.size());
    });
    lazy.column = std::make_unique<SortColumn>(firsts.Finish());
  });
  return *lazy.column;
}

const Cooccurrence* CollectionIndex::cooccurrence(const query::Field* f) const {
  if (f == nullptr || !f->repeated) return nullptr;
  auto it = fields_.find(f);
  if (it == fields_.end()) return nullptr;
  LazyField& lazy = *it->second;
  std::call_once(lazy.pairs_once, [&] {
    const FieldIndex* values = field(f);
    if (values != nullptr) lazy.pairs = Cooccurrence::Build(*values, size());
  });
  return lazy.pairs.get();
}

const RankSpace* CollectionIndex::rank_space(const query::Field* field) const {
  if (field == nullptr || field->repeated || field->type != query::Type::kDate) return nullptr;
  auto it = columns_.find(field);
  if (it == columns_.end()) return nullptr;
  LazyColumn& lazy = *it->second;
  std::call_once(lazy.rank_once, [&] {
    const FieldIndex* values = this->field(field);
    if (values != nullptr) lazy.rank = RankSpace::Build(&sort(field), values);
  });
  return lazy.rank.get();
}

size_t CollectionIndex::MemoryBytes() const {
  size_t bytes = 0;
  for (const auto& [f, lazy] : fields_) {
    if (lazy->index != nullptr) bytes += lazy->index->MemoryBytes();
    if (lazy->pairs != nullptr) bytes += lazy->pairs->MemoryBytes();
  }
  for (const auto& [f, lazy] : columns_) {
    if (lazy->column != nullptr) bytes += lazy->column->sorted().size() * 12;
    if (lazy->rank != nullptr) bytes += lazy->rank->MemoryBytes();
  }
  return bytes;
}

}  // namespace accord::index
