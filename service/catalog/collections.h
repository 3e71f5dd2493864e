// The collections of the catalogue and the rules for their resource names.
#ifndef ACCORD_SERVICE_CATALOG_COLLECTIONS_H_
#define ACCORD_SERVICE_CATALOG_COLLECTIONS_H_

#include <array>
#include <optional>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace accord::catalog {

// One collection per resource type. The order is stable and used as an
// index into per-collection arrays.
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
    CollectionId::kCountries,        CollectionId::kPartnerships,
    CollectionId::kAgreements,       CollectionId::kCommitments,
    CollectionId::kCooperationAreas, CollectionId::kSectors,
    CollectionId::kSources,          CollectionId::kAssessments,
};

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
