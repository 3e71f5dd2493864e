// Get and List of agreements and partnerships "as of" a date (the `as_of`
// request field): records as they stood then (service/temporal).
#ifndef ACCORD_SERVICE_API_AS_OF_METHODS_H_
#define ACCORD_SERVICE_API_AS_OF_METHODS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "service/api/resource_methods.h"
#include "service/api/wire.h"
#include "service/serving/serving_catalog.h"

namespace accord::api {

// True for the collections that take `as_of` (agreements, partnerships).
bool SupportsAsOf(catalog::CollectionId collection);

// Get with `as_of`: the record as it stood at the end of `as_of`, encoded
// into `*bytes` (the Get reply). INVALID_ARGUMENT (reason INVALID_AS_OF,
// field as_of) for a malformed date; NOT_FOUND (reason NOT_YET_SIGNED) for
// an agreement not signed by then; otherwise as GetResource.
absl::Status GetResourceAsOf(const serving::ServingCatalog& snapshot,
                             catalog::CollectionId collection, absl::string_view name,
                             absl::string_view as_of, const google::protobuf::FieldMask& read_mask,
                             std::string* bytes);

// List with `request.as_of`: every record is rewritten as it stood,
// agreements not yet signed are left out, and the filter is evaluated on
// the rewritten records one by one (no index: the indexes describe today's
// records), in name order. The reply is encoded into `*bytes` as a List
// response with field numbers `fields`. INVALID_ARGUMENT for a malformed
// date and for a non-empty order_by (reason ORDER_BY_WITH_AS_OF); page
// tokens are tied to as_of too.
absl::Status ListResourcesAsOf(const serving::ServingCatalog& snapshot,
                               catalog::CollectionId collection, const ListRequest& request,
                               const ResponseFields& fields, std::string* bytes);

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_AS_OF_METHODS_H_
