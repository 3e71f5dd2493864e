// The collection registry: the one place that lists the collections of the
// catalogue. Everything else that needs "for each collection" (the loader,
// the snapshot, schemas and indexes, the RPC handlers, docs/filtering.md and
// the client list emitted by accord_filter_fields --json) asks the registry.
//
// Each entry names a field of accord.v1.Catalog; the rest (resource message,
// its `name` field, the collection id used in resource names, the RPC
// names) is derived from the descriptors by name, never by field number.
//
// Adding a collection: add the repeated field to accord.v1.Catalog, its
// Get/BatchGet/List RPCs to AccordService, a CollectionId value and an entry
// in kEntries (registry.cc), and the three one-line handlers in
// service/api/accord_service.{h,cc}. tests/registry/registry_test.cc and
// tests/e2e/served_collections_test.cc fail until all of that is done.
#ifndef ACCORD_SERVICE_REGISTRY_REGISTRY_H_
#define ACCORD_SERVICE_REGISTRY_REGISTRY_H_

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace accord::registry {

// One collection per resource type. The order is that of kEntries and is
// used as an index into per-collection arrays; it is not a field number.
enum class CollectionId {
  kCountries = 0,
  kPartnerships,
  kAgreements,
  kCommitments,
  kCooperationAreas,
  kSectors,
  kSources,
  kAssessments,
};
inline constexpr int kCollectionCount = 8;

inline constexpr std::array<CollectionId, kCollectionCount> kAllCollections = {
    CollectionId::kCountries,   CollectionId::kPartnerships,     CollectionId::kAgreements,
    CollectionId::kCommitments, CollectionId::kCooperationAreas, CollectionId::kSectors,
    CollectionId::kSources,     CollectionId::kAssessments,
};

// How the last segment of a resource name is spelled.
enum class IdRule {
  kAip122,     // [a-z][a-z0-9-]{0,62}, not ending in '-'
  kIsoAlpha2,  // two lowercase letters (ISO 3166-1 alpha-2)
};

// Everything the server needs to know about one collection.
struct Collection {
  CollectionId id;
  // The repeated field of accord.v1.Catalog holding the records, e.g.
  // `cooperation_areas`.
  const google::protobuf::FieldDescriptor* catalog_field = nullptr;
  // The resource message, e.g. accord.v1.CooperationArea.
  const google::protobuf::Descriptor* message = nullptr;
  // The resource's `string name` field (AIP-122), found by name.
  const google::protobuf::FieldDescriptor* name_field = nullptr;
  // The collection id as it appears in resource names: the lowerCamelCase of
  // the Catalog field, e.g. "cooperationAreas".
  std::string collection_id;
  // The resource's singular in snake_case, e.g. "cooperation_area".
  std::string singular;
  // The RPC names, e.g. "GetCooperationArea", "BatchGetCooperationAreas",
  // "ListCooperationAreas".
  std::string get_method;
  std::string batch_get_method;
  std::string list_method;
  // The repeated field of the List and BatchGet responses holding the
  // resources: the Catalog field's name, e.g. "cooperation_areas".
  std::string response_field;
  // For a collection named under another one (commitments under agreements):
  // the parent collection, and the field of the child naming its parent
  // (`agreement`). Names are "{parent name}/{collection_id}/{id}".
  std::optional<CollectionId> parent;
  const google::protobuf::FieldDescriptor* parent_field = nullptr;
  IdRule id_rule = IdRule::kAip122;
};

// The description of `id`. Built once from the generated descriptors; the
// process aborts at first use if the registry and accord.v1.Catalog disagree
// (a unit test checks this first, with a readable message: Check()).
const Collection& Get(CollectionId id);

// Every collection, in CollectionId order.
const std::vector<Collection>& All();

// The collection whose collection_id (e.g. "agreements") is `collection_id`,
// or nullptr.
const Collection* FindByCollectionId(absl::string_view collection_id);

// OK if every field of accord.v1.Catalog has a registry entry and the other
// way round, every resource has a string `name` field, and AccordService
// declares the Get/BatchGet/List methods of every collection with the
// expected request and response types. Otherwise FailedPrecondition naming
// the first mismatch.
absl::Status Check();

}  // namespace accord::registry

#endif  // ACCORD_SERVICE_REGISTRY_REGISTRY_H_
