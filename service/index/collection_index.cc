#include "service/index/collection_index.h"

#include "absl/container/flat_hash_set.h"

namespace accord::index {
namespace {

using google::protobuf::Message;

// Below this many sampled values a field is always indexed.
constexpr size_t kMinSampleValues = 64;
constexpr size_t kSampleRecords = 2048;

// Whether a string field repeats its values enough for posting lists to
// pay: identifiers, references and enums-as-strings do; prose does not.
bool LooksCategorical(const query::Field& field, const std::vector<const Message*>& records) {
  if (field.type != query::Type::kString) return true;
  const size_t n = records.size();
  const size_t step = std::max<size_t>(1, n / kSampleRecords);
  std::vector<query::Value> values;
  absl::flat_hash_set<absl::string_view> distinct;
  size_t total = 0;
  for (size_t p = 0; p < n; p += step) {
    values.clear();
    field.extract(*records[p], &values);
    for (const query::Value& v : values) {
      distinct.insert(v.str);
      ++total;
    }
  }
  return total < kMinSampleValues || distinct.size() * 4 <= total;
}

}  // namespace

std::unique_ptr<CollectionIndex> CollectionIndex::Build(const std::vector<const Message*>* records,
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
  const size_t n = records->size();
  std::vector<std::pair<const query::Field*, LazyField*>> eager;  // built from extractors now
  for (const auto& owned : schema.fields()) {
    const query::Field* f = owned.get();
    if (!f->repeated) index->columns_.emplace(f, std::make_unique<LazyColumn>());
    if (f == index->name_field_ || !f->extract) continue;
    auto lazy = std::make_unique<LazyField>();
    if (auto it = derived.find(f); it != derived.end()) lazy->child = it->second;
    const bool nested =
        (lazy->child != nullptr ? lazy->child->path : f->path).find('.') != std::string::npos;
    // Derived fields are built from the child's index after the loop.
    if (!nested && lazy->child == nullptr && LooksCategorical(*f, *records)) {
      eager.emplace_back(f, lazy.get());
    }
    index->fields_.emplace(f, std::move(lazy));
  }
  // Record-major: each record is visited once for all its eager fields
  // while it is in cache, instead of once per field.
  std::vector<FieldIndex::Builder> builders;
  builders.reserve(eager.size());
  for (const auto& e : eager) builders.emplace_back(e.first->type);
  std::vector<query::Value> values;
  for (size_t p = 0; p < n; ++p) {
    const Message& record = *(*records)[p];
    for (size_t i = 0; i < eager.size(); ++i) {
      values.clear();
      eager[i].first->extract(record, &values);
      builders[i].Add(static_cast<uint32_t>(p), values.data(), values.size());
    }
  }
  for (size_t i = 0; i < eager.size(); ++i) {
    LazyField* lazy = eager[i].second;
    std::call_once(lazy->once, [&] {
      lazy->index = std::make_unique<FieldIndex>(std::move(builders[i]).Finish());
    });
  }
  for (const auto& [f, lazy] : index->fields_) {
    if (lazy->child != nullptr && lazy->child->path.find('.') == std::string::npos) index->field(f);
  }
  // Dates, enums, bools and numbers sort cheaply: build their columns now
  // so that the first ordered request doesn't pay for it.
  for (const auto& [f, lazy] : index->columns_) {
    if (f->type != query::Type::kString) index->sort(f);
  }
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
    if (!LooksCategorical(*field, *records_)) return;
    FieldIndex::Builder builder(field->type);
    std::vector<query::Value> values;
    for (size_t p = 0; p < records_->size(); ++p) {
      values.clear();
      field->extract(*(*records_)[p], &values);
      builder.Add(static_cast<uint32_t>(p), values.data(), values.size());
    }
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
    std::vector<query::Value> scratch;
    lazy.column = std::make_unique<SortColumn>(
        SortColumn::Build(field->type, size(), [&](size_t p, query::Value* v) {
          scratch.clear();
          field->extract(*(*records_)[p], &scratch);
          if (scratch.empty()) return false;
          *v = scratch.front();
          return true;
        }));
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
