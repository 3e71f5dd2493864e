#include "service/serving/serving_catalog.h"

#include <filesystem>
#include <optional>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace accord::serving {
namespace {

using google::protobuf::Message;

// Aliases: another name a filter or order_by may use for a field.
struct Alias {
  CollectionId collection;
  absl::string_view alias;
  absl::string_view field;
};
constexpr Alias kAliases[] = {
    {CollectionId::kAgreements, "signed", "sign_date"},
};

// Adds fields to a parent collection's schema that reach into its children
// (a collection the registry names under it), e.g. agreements'
// `commitments.committed_by:"countries/my"`: the values are those of every
// child under the record. Returns the pairs (parent field path, child field)
// so that the index can build them from the child's index.
std::vector<std::pair<std::string, const query::Field*>> AddChildFields(
    const registry::Collection& child_info, const Collection& child, query::Schema* parent) {
  std::vector<std::pair<std::string, const query::Field*>> added;
  for (const auto& field : child.schema().fields()) {
    if (field->path == "name" || field->path == child_info.parent_field->name()) continue;
    query::Field f = *field;
    f.path = absl::StrCat(child_info.response_field, ".", field->path);
    f.repeated = true;
    f.description = absl::StrCat("`", field->path, "` of any ", child_info.singular, " under the ",
                                 registry::Get(*child_info.parent).singular);
    query::Extractor inner = field->extract;
    const registry::Collection* parent_info = &registry::Get(*child_info.parent);
    // The children are parsed on demand into a per-thread arena, reset on
    // each call: the values it appends stay valid until the next call of a
    // computed extractor on the same thread (the evaluator consumes them
    // before extracting again; computed fields are repeated, so never
    // sorted on, which would hold two records' values at once).
    f.extract = [&child, inner, parent_info](const Message& record,
                                             std::vector<query::Value>* out) {
      thread_local google::protobuf::Arena arena;
      arena.Reset();
      std::string scratch;
      const std::string& name =
          record.GetReflection()->GetStringReference(record, parent_info->name_field, &scratch);
      auto [begin, end] = child.RangeWithPrefix(absl::StrCat(name, "/"));
      for (size_t i = begin; i < end; ++i) inner(*child.Parse(i, &arena), out);
    };
    added.emplace_back(f.path, field.get());
    parent->AddField(std::move(f));
  }
  return added;
}

std::string IndexAttachmentName(const registry::Collection& info) {
  return absl::StrCat("@ix/", info.catalog_field->name());
}

}  // namespace

absl::StatusOr<std::shared_ptr<const ServingCatalog>> ServingCatalog::Load(
    const std::string& directory, const catalog::LoadLimits& limits) {
  absl::Time start = absl::Now();
  std::error_code ec;
  absl::StatusOr<std::shared_ptr<const ServingCatalog>> built;
  if (std::filesystem::is_regular_file(directory, ec)) {
    // A compiled catalogue: its indexes are read back.
    absl::StatusOr<std::shared_ptr<const catalog::Snapshot>> storage =
        catalog::Snapshot::Open(directory);
    if (!storage.ok()) return storage.status();
    built = FromStorage(*std::move(storage));
  } else {
    // Sources: the indexes are built from the parsed records before the
    // storage frees them (no second parse).
    absl::StatusOr<catalog::RawCatalog> raw = catalog::ReadCatalogDirectory(directory, limits);
    if (!raw.ok()) return raw.status();
    built = BuildFromSources(*std::move(raw), directory);
  }
  if (!built.ok()) return built.status();
  const_cast<ServingCatalog*>(built->get())->load_duration_ = absl::Now() - start;
  return built;
}

std::shared_ptr<const ServingCatalog> ServingCatalog::Build(
    std::shared_ptr<const catalog::Snapshot> storage) {
  // Without attachments nothing is read back, so nothing can fail.
  return *Compose(std::move(storage), /*use_attachments=*/false);
}

absl::StatusOr<std::shared_ptr<const ServingCatalog>> ServingCatalog::FromStorage(
    std::shared_ptr<const catalog::Snapshot> storage) {
  return Compose(std::move(storage), /*use_attachments=*/true);
}

std::vector<catalog::Attachment> ServingCatalog::IndexAttachments(const ServingCatalog& catalog) {
  std::vector<catalog::Attachment> out;
  for (const registry::Collection& info : registry::All()) {
    catalog::Attachment a;
    a.name = IndexAttachmentName(info);
    catalog.collection(info.id).index().Serialize(&a.bytes);
    out.push_back(std::move(a));
  }
  return out;
}

absl::StatusOr<std::shared_ptr<const ServingCatalog>> ServingCatalog::Compose(
    std::shared_ptr<const catalog::Snapshot> storage, bool use_attachments) {
  absl::Time start = absl::Now();
  std::shared_ptr<ServingCatalog> s(new ServingCatalog());
  s->storage_ = std::move(storage);
  if (absl::Status status = ComposeInto(s.get(), *s->storage_, use_attachments, nullptr);
      !status.ok()) {
    return status;
  }
  s->load_time_ = absl::Now();
  s->load_duration_ = s->storage_->load_duration() + (s->load_time_ - start);
  return std::shared_ptr<const ServingCatalog>(std::move(s));
}

absl::StatusOr<std::shared_ptr<const ServingCatalog>> ServingCatalog::BuildFromSources(
    catalog::RawCatalog raw, std::string directory, catalog::Reclaimer* reclaimer) {
  absl::Time start = absl::Now();
  std::shared_ptr<ServingCatalog> s(new ServingCatalog());
  absl::Status composed;
  absl::StatusOr<std::shared_ptr<const catalog::Snapshot>> storage = catalog::Snapshot::Build(
      std::move(raw), std::move(directory),
      [&](const catalog::Snapshot& arranged, const catalog::Snapshot::ParsedCollections& parsed) {
        composed = ComposeInto(s.get(), arranged, /*use_attachments=*/false, &parsed);
      },
      reclaimer);
  if (!storage.ok()) return storage.status();
  if (!composed.ok()) return composed;
  s->storage_ = *std::move(storage);
  s->load_time_ = absl::Now();
  s->load_duration_ = s->load_time_ - start;
  return std::shared_ptr<const ServingCatalog>(std::move(s));
}

absl::Status ServingCatalog::ComposeInto(ServingCatalog* s, const catalog::Snapshot& storage,
                                         bool use_attachments,
                                         const catalog::Snapshot::ParsedCollections* parsed) {
  for (const registry::Collection& info : registry::All()) {
    Collection& c = s->collections_[static_cast<int>(info.id)];
    c.records_ = &storage.collection(info.id);
    c.schema_ = query::Schema::FromDescriptor(info.message);
  }
  for (const Alias& a : kAliases) {
    s->collections_[static_cast<int>(a.collection)].schema_->AddAlias(std::string(a.alias),
                                                                      std::string(a.field));
  }
  // Children first: a parent's computed fields are indexed from its
  // children's index.
  std::array<std::vector<std::pair<std::string, const query::Field*>>, registry::kCollectionCount>
      computed;
  std::array<CollectionId, registry::kCollectionCount> child_of{};
  std::array<bool, registry::kCollectionCount> has_child{};
  for (const registry::Collection& info : registry::All()) {
    if (!info.parent) continue;
    Collection& parent = s->collections_[static_cast<int>(*info.parent)];
    computed[static_cast<int>(*info.parent)] =
        AddChildFields(info, s->collections_[static_cast<int>(info.id)], parent.schema_.get());
    child_of[static_cast<int>(*info.parent)] = info.id;
    has_child[static_cast<int>(*info.parent)] = true;
  }
  if (use_attachments) {
    // The index sections' checksums (storage checked the records' own), on
    // every core, before their bytes are read.
    std::vector<std::string> names;
    for (const registry::Collection& info : registry::All()) {
      names.push_back(IndexAttachmentName(info));
    }
    if (absl::Status verified =
            s->storage_->VerifyAttachments(names, catalog::Snapshot::AttachmentUse::kReadWhole);
        !verified.ok()) {
      return verified;
    }
  }
  auto attached = [&](const registry::Collection& info) -> std::optional<absl::string_view> {
    if (!use_attachments) return std::nullopt;
    return storage.attachment(IndexAttachmentName(info));
  };
  for (const registry::Collection& info : registry::All()) {
    if (has_child[static_cast<int>(info.id)]) continue;
    Collection& c = s->collections_[static_cast<int>(info.id)];
    if (std::optional<absl::string_view> bytes = attached(info)) {
      absl::StatusOr<std::unique_ptr<CollectionIndex>> loaded =
          CollectionIndex::Load(c.records_, *c.schema_, nullptr, *bytes);
      if (!loaded.ok()) return loaded.status();
      c.index_ = *std::move(loaded);
    } else if (parsed != nullptr) {
      c.index_ = CollectionIndex::BuildFromParsed(c.records_, *c.schema_, nullptr,
                                                  (*parsed)[static_cast<int>(info.id)]);
    } else {
      c.index_ = CollectionIndex::Build(c.records_, *c.schema_);
    }
  }
  for (const registry::Collection& info : registry::All()) {
    int p = static_cast<int>(info.id);
    if (!has_child[p]) continue;
    Collection& parent = s->collections_[p];
    const Collection& child = s->collections_[static_cast<int>(child_of[p])];
    const registry::Collection& child_info = registry::Get(child_of[p]);
    CollectionIndex::ChildFields children;
    children.child = child.index_.get();
    for (const auto& [path, child_field] : computed[p]) {
      children.fields.emplace_back(parent.schema_->Find(path), child_field);
    }
    if (std::optional<absl::string_view> bytes = attached(info)) {
      // The children's parents are read back with the index.
      absl::StatusOr<std::unique_ptr<CollectionIndex>> loaded =
          CollectionIndex::Load(parent.records_, *parent.schema_, &children, *bytes);
      if (!loaded.ok()) return loaded.status();
      parent.index_ = *std::move(loaded);
      continue;
    }
    children.parent_of.reserve(child.size());
    // A parent's children are adjacent in name order (they share the
    // prefix "{parent}/"), so the parent is looked up once per run.
    absl::string_view last_name;
    uint32_t last_parent = 0;
    for (size_t i = 0; i < child.size(); ++i) {
      const absl::string_view parent_name = child.records().StringField(i, child_info.parent_field);
      if (i == 0 || parent_name != last_name) {
        last_parent = static_cast<uint32_t>(parent.IndexOf(parent_name));
        last_name = parent_name;
      }
      children.parent_of.push_back(last_parent);
    }
    parent.index_ = parsed != nullptr
                        ? CollectionIndex::BuildFromParsed(parent.records_, *parent.schema_,
                                                           &children, (*parsed)[p])
                        : CollectionIndex::Build(parent.records_, *parent.schema_, &children);
  }
  return absl::OkStatus();
}

}  // namespace accord::serving
