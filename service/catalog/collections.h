// The collections of the catalogue and the rules for their resource names.
#ifndef ACCORD_SERVICE_CATALOG_COLLECTIONS_H_
#define ACCORD_SERVICE_CATALOG_COLLECTIONS_H_

#include <optional>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "service/registry/registry.h"

namespace accord::catalog {

// The collections come from the registry (service/registry); these names
// keep the catalogue's code short.
using registry::CollectionId;
using registry::kAllCollections;
using registry::kCollectionCount;

// The collection id as it appears in resource names, e.g. "cooperationAreas".
absl::string_view CollectionName(CollectionId id);
// The full name of the resource message, e.g. "accord.v1.Agreement".
absl::string_view MessageTypeName(CollectionId id);

// The maximum length of one resource id (AIP-122).
inline constexpr size_t kMaxIdLength = 63;

// True if `id` matches [a-z][a-z0-9-]* and is at most 63 characters, and
// does not end with '-'. Country ids are exactly two lowercase letters.
bool IsValidResourceId(absl::string_view id);

// Which collection a well-formed resource name belongs to, or nullopt if
// `name` is not a well-formed name of any collection. Commitment names are
// "agreements/{a}/commitments/{c}".
std::optional<CollectionId> CollectionOf(absl::string_view name);

// OK if `name` is a well-formed name in `collection`; otherwise
// InvalidArgument explaining the expected form, e.g.
// `"agreements/My ART" is not a valid agreement name: expected
// "agreements/{agreement}" where {agreement} matches [a-z][a-z0-9-]{0,62}`.
absl::Status ValidateName(absl::string_view name, CollectionId collection);

// For a commitment name "agreements/{a}/commitments/{c}", the parent
// "agreements/{a}". Assumes the name is valid.
absl::string_view ParentOfCommitment(absl::string_view name);

}  // namespace accord::catalog

#endif  // ACCORD_SERVICE_CATALOG_COLLECTIONS_H_
