#include "service/registry/registry.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "accord/v1/accord_service.pb.h"
#include "accord/v1/catalog.pb.h"

namespace accord::registry {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// The registry proper: the only list of collections. Everything else in a
// Collection is derived from the descriptors.
struct Entry {
  CollectionId id;
  absl::string_view catalog_field;  // a field of accord.v1.Catalog, by name
  IdRule id_rule = IdRule::kAip122;
  std::optional<CollectionId> parent = std::nullopt;
  absl::string_view parent_field = "";  // the child's field naming its parent
};

const Entry kEntries[kCollectionCount] = {
    {CollectionId::kCountries, "countries", IdRule::kIsoAlpha2},
    {CollectionId::kPartnerships, "partnerships"},
    {CollectionId::kAgreements, "agreements"},
    {CollectionId::kCommitments, "commitments", IdRule::kAip122, CollectionId::kAgreements,
     "agreement"},
    {CollectionId::kCooperationAreas, "cooperation_areas"},
    {CollectionId::kSectors, "sectors"},
    {CollectionId::kSources, "sources"},
    {CollectionId::kAssessments, "assessments"},
};

// "cooperation_areas" -> "CooperationAreas" (upper) or "cooperationAreas".
std::string Camel(absl::string_view snake, bool upper) {
  std::string out;
  bool up = upper;
  for (char c : snake) {
    if (c == '_') {
      up = true;
      continue;
    }
    out.push_back(up ? absl::ascii_toupper(c) : c);
    up = false;
  }
  return out;
}

// "CooperationArea" -> "cooperation_area".
std::string Snake(absl::string_view camel) {
  std::string out;
  for (size_t i = 0; i < camel.size(); ++i) {
    if (absl::ascii_isupper(camel[i]) && i > 0) out.push_back('_');
    out.push_back(absl::ascii_tolower(camel[i]));
  }
  return out;
}

absl::Status Mismatch(absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat("collection registry: ", what));
}

// Builds the collections, or explains the first disagreement between
// kEntries and the descriptors.
absl::Status Build(std::vector<Collection>* out) {
  const Descriptor* catalog = accord::v1::Catalog::descriptor();
  for (int i = 0; i < kCollectionCount; ++i) {
    const Entry& e = kEntries[i];
    if (static_cast<int>(e.id) != i) {
      return Mismatch(absl::StrCat("kEntries[", i, "] is out of CollectionId order"));
    }
    Collection c;
    c.id = e.id;
    c.id_rule = e.id_rule;
    c.parent = e.parent;
    c.catalog_field = catalog->FindFieldByName(std::string(e.catalog_field));
    if (c.catalog_field == nullptr || !c.catalog_field->is_repeated() ||
        c.catalog_field->message_type() == nullptr) {
      return Mismatch(absl::StrCat("accord.v1.Catalog has no repeated message field \"",
                                   e.catalog_field, "\""));
    }
    c.message = c.catalog_field->message_type();
    c.name_field = c.message->FindFieldByName("name");
    if (c.name_field == nullptr || c.name_field->is_repeated() ||
        c.name_field->type() != FieldDescriptor::TYPE_STRING) {
      return Mismatch(absl::StrCat(c.message->full_name(), " has no string field \"name\""));
    }
    if (!e.parent_field.empty()) {
      c.parent_field = c.message->FindFieldByName(std::string(e.parent_field));
      if (c.parent_field == nullptr || c.parent_field->type() != FieldDescriptor::TYPE_STRING) {
        return Mismatch(
            absl::StrCat(c.message->full_name(), " has no string field \"", e.parent_field, "\""));
      }
    }
    c.collection_id = Camel(e.catalog_field, /*upper=*/false);
    c.singular = Snake(c.message->name());
    c.response_field = std::string(e.catalog_field);
    std::string plural = Camel(e.catalog_field, /*upper=*/true);
    c.get_method = absl::StrCat("Get", c.message->name());
    c.batch_get_method = absl::StrCat("BatchGet", plural);
    c.list_method = absl::StrCat("List", plural);
    out->push_back(std::move(c));
  }
  if (catalog->field_count() != kCollectionCount) {
    for (int i = 0; i < catalog->field_count(); ++i) {
      bool known = false;
      for (const Entry& e : kEntries) known = known || catalog->field(i)->name() == e.catalog_field;
      if (!known) {
        return Mismatch(absl::StrCat("accord.v1.Catalog field \"", catalog->field(i)->name(),
                                     "\" has no entry in service/registry/registry.cc"));
      }
    }
  }
  return absl::OkStatus();
}

// The request of `method`, checked to carry `field` (a string, or repeated
// for BatchGet) when `field` is not empty.
absl::Status CheckMethod(const google::protobuf::ServiceDescriptor* service,
                         const std::string& method, const Descriptor* output,
                         const std::string& response_field, const Collection& c) {
  const google::protobuf::MethodDescriptor* m = service->FindMethodByName(method);
  if (m == nullptr) {
    return Mismatch(
        absl::StrCat(service->full_name(), " has no method ", method, " for ", c.collection_id));
  }
  if (output != nullptr && m->output_type() != output) {
    return Mismatch(absl::StrCat(method, " returns ", m->output_type()->full_name(), ", not ",
                                 output->full_name()));
  }
  if (!response_field.empty()) {
    const FieldDescriptor* f = m->output_type()->FindFieldByName(response_field);
    if (f == nullptr || !f->is_repeated() || f->message_type() != c.message) {
      return Mismatch(absl::StrCat(m->output_type()->full_name(), " has no field repeated ",
                                   c.message->full_name(), " ", response_field));
    }
  }
  return absl::OkStatus();
}

struct Registry {
  std::vector<Collection> collections;
  absl::Status status;
};

const Registry& Instance() {
  static const Registry* registry = [] {
    auto* r = new Registry;
    r->status = Build(&r->collections);
    return r;
  }();
  return *registry;
}

const std::vector<Collection>& Checked() {
  const Registry& r = Instance();
  if (!r.status.ok()) {
    std::cerr << r.status.message() << "\n";
    std::abort();
  }
  return r.collections;
}

}  // namespace

const Collection& Get(CollectionId id) { return Checked()[static_cast<int>(id)]; }

const std::vector<Collection>& All() { return Checked(); }

const Collection* FindByCollectionId(absl::string_view collection_id) {
  for (const Collection& c : Checked()) {
    if (c.collection_id == collection_id) return &c;
  }
  return nullptr;
}

absl::Status Check() {
  const Registry& r = Instance();
  if (!r.status.ok()) return r.status;
  // Touching a message of accord_service.proto makes sure its file is in the
  // generated pool.
  const google::protobuf::ServiceDescriptor* service =
      accord::v1::GetCatalogStatusRequest::descriptor()->file()->FindServiceByName("AccordService");
  if (service == nullptr) return Mismatch("accord.v1.AccordService is not linked in");
  for (const Collection& c : r.collections) {
    if (absl::Status s = CheckMethod(service, c.get_method, c.message, "", c); !s.ok()) return s;
    if (absl::Status s = CheckMethod(service, c.batch_get_method, nullptr, c.response_field, c);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckMethod(service, c.list_method, nullptr, c.response_field, c);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace accord::registry
