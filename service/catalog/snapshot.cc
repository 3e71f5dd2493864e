#include "service/catalog/snapshot.h"

#include <algorithm>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "service/catalog/derive.h"
#include "service/catalog/validator.h"

namespace accord::catalog {
namespace {

using google::protobuf::Message;

// The Catalog field that holds `id`'s records, found by name (registry).
const google::protobuf::FieldDescriptor* CatalogField(CollectionId id) {
  return registry::Get(id).catalog_field;
}

}  // namespace

const Message* Collection::Find(absl::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : records_[it->second];
}

int64_t Collection::IndexOf(absl::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? -1 : static_cast<int64_t>(it->second);
}

std::pair<size_t, size_t> Collection::RangeWithPrefix(absl::string_view prefix) const {
  auto begin = std::lower_bound(names_.begin(), names_.end(), prefix);
  auto end = begin;
  while (end != names_.end() && end->substr(0, prefix.size()) == prefix) ++end;
  return {static_cast<size_t>(begin - names_.begin()), static_cast<size_t>(end - names_.begin())};
}

absl::StatusOr<std::shared_ptr<const Snapshot>> Snapshot::Load(const std::string& directory,
                                                               const LoadLimits& limits) {
  absl::Time start = absl::Now();
  absl::StatusOr<RawCatalog> raw = ReadCatalogDirectory(directory, limits);
  if (!raw.ok()) return raw.status();
  absl::StatusOr<std::shared_ptr<const Snapshot>> built = Build(*std::move(raw), directory);
  if (!built.ok()) return built.status();
  auto* snapshot = const_cast<Snapshot*>(built->get());
  snapshot->load_duration_ = absl::Now() - start;
  return built;
}

absl::StatusOr<std::shared_ptr<const Snapshot>> Snapshot::Build(RawCatalog raw,
                                                                std::string directory) {
  absl::Time start = absl::Now();
  if (absl::Status s = ValidateCatalog(raw); !s.ok()) return s;
  DeriveOutputFields(raw.texts, raw.catalog);
  std::shared_ptr<Snapshot> snapshot(new Snapshot());
  snapshot->raw_ = std::move(raw);
  snapshot->directory_ = std::move(directory);
  snapshot->Arrange();
  snapshot->load_time_ = absl::Now();
  snapshot->load_duration_ = snapshot->load_time_ - start;
  return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

void Snapshot::Arrange() {
  const Message& catalog = *raw_.catalog;
  const auto* refl = catalog.GetReflection();
  for (CollectionId id : kAllCollections) {
    Collection& c = collections_[static_cast<int>(id)];
    c.id_ = id;
    const auto* field = CatalogField(id);
    int n = refl->FieldSize(catalog, field);
    std::vector<std::pair<absl::string_view, const Message*>> rows;
    rows.reserve(n);
    for (int i = 0; i < n; ++i) {
      const Message& m = refl->GetRepeatedMessage(catalog, field, i);
      std::string scratch;
      const std::string& name =
          m.GetReflection()->GetStringReference(m, registry::Get(id).name_field, &scratch);
      rows.emplace_back(name, &m);
    }
    std::sort(rows.begin(), rows.end());
    c.records_.reserve(n);
    c.names_.reserve(n);
    c.index_.reserve(n);
    for (const auto& [name, m] : rows) {
      c.index_.emplace(name, static_cast<uint32_t>(c.records_.size()));
      c.names_.push_back(name);
      c.records_.push_back(m);
    }
    // The wire bytes, serialized once: Get, BatchGet and List answer from
    // them without serializing again.
    c.offsets_.reserve(n + 1);
    c.offsets_.push_back(0);
    for (const Message* m : c.records_) c.offsets_.push_back(c.offsets_.back() + m->ByteSizeLong());
    c.arena_.resize(c.offsets_.back());
    for (size_t i = 0; i < c.records_.size(); ++i) {
      c.records_[i]->SerializeWithCachedSizesToArray(
          reinterpret_cast<uint8_t*>(c.arena_.data() + c.offsets_[i]));
    }
  }
}

}  // namespace accord::catalog
