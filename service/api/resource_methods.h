// Get, BatchGet and List, written once for every resource type.
#ifndef ACCORD_SERVICE_API_RESOURCE_METHODS_H_
#define ACCORD_SERVICE_API_RESOURCE_METHODS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "service/api/query_cache.h"
#include "service/api/read_mask.h"
#include "service/serving/serving_catalog.h"

namespace accord::api {

// Paging limits (AIP-158), documented in the protos and docs/limits.md.
inline constexpr int32_t kDefaultPageSize = 50;
inline constexpr int32_t kMaxPageSize = 1000;
// The most names one BatchGet may ask for (AIP-231).
inline constexpr int kMaxBatchSize = 100;

// The request fields of a List call, whatever the resource.
struct ListRequest {
  absl::string_view parent;  // commitments only; "" elsewhere
  int32_t page_size = 0;
  absl::string_view page_token;
  absl::string_view filter;
  absl::string_view order_by;
  const google::protobuf::FieldMask* read_mask = nullptr;
  // Optional: true once the client has gone (cancelled or past its
  // deadline), so that a long query stops instead of finishing for no one.
  std::function<bool()> cancelled;
  // Agreements and partnerships only: answer as of this date
  // (as_of_methods.h); "" = today.
  absl::string_view as_of;
};

// Which records a call answers with, by position in the collection (name
// order), and the read_mask to trim each to.
struct Selection {
  std::vector<uint32_t> positions;
  ReadMask mask;
};

// The Select* functions check a request exactly as the *Resources functions
// below do (same checks, same order, same errors) and say which records
// answer it, without copying any: the raw handlers (handlers.h) frame the
// stored bytes of those records.
absl::Status SelectGet(const serving::ServingCatalog& snapshot, catalog::CollectionId collection,
                       absl::string_view name, const google::protobuf::FieldMask& read_mask,
                       Selection* out);
absl::Status SelectBatchGet(const serving::ServingCatalog& snapshot,
                            catalog::CollectionId collection, absl::string_view parent,
                            const google::protobuf::RepeatedPtrField<std::string>& names,
                            const google::protobuf::FieldMask& read_mask, Selection* out);
// Also sets the next page's token ("" on the last) and the match count.
absl::Status SelectList(const serving::ServingCatalog& snapshot, catalog::CollectionId collection,
                        const ListRequest& request, Selection* out, std::string* next_page_token,
                        int32_t* total_size);
// As above, but takes the compiled filter and order_by from `cache` when it
// holds them for this snapshot, and keeps them there after compiling them.
// Same checks, same errors, same results.
absl::Status SelectList(const std::shared_ptr<const serving::ServingCatalog>& snapshot,
                        catalog::CollectionId collection, const ListRequest& request,
                        QueryCache* cache, Selection* out, std::string* next_page_token,
                        int32_t* total_size);

// Adds one element to a response's repeated resource field and returns it.
using Appender = std::function<google::protobuf::Message*()>;

// Looks up `name` in `collection` and copies the record, trimmed to
// `read_mask`, into `out`. INVALID_ARGUMENT for a malformed name or mask,
// NOT_FOUND when there is no such record.
absl::Status GetResource(const serving::ServingCatalog& snapshot, catalog::CollectionId collection,
                         absl::string_view name, const google::protobuf::FieldMask& read_mask,
                         google::protobuf::Message* out);

// Looks up every name, in order, appending a copy of each record through
// `out`. All or nothing: every name is checked and found before
// anything is appended. `parent` is for
// commitments: "", "agreements/-" or an agreement every name must lie under.
absl::Status BatchGetResources(const serving::ServingCatalog& snapshot,
                               catalog::CollectionId collection, absl::string_view parent,
                               const google::protobuf::RepeatedPtrField<std::string>& names,
                               const google::protobuf::FieldMask& read_mask, const Appender& out);

// Answers a List call: appends one page of records to `out`, and sets the
// token for the next page ("" on the last) and the total match count.
absl::Status ListResources(const serving::ServingCatalog& snapshot,
                           catalog::CollectionId collection, const ListRequest& request,
                           const Appender& out, std::string* next_page_token, int32_t* total_size);

// Appends to a repeated field of a concrete resource type, so that the
// functions above can fill any List or BatchGet response.
template <typename T>
Appender AppendTo(google::protobuf::RepeatedPtrField<T>* field) {
  return [field]() -> google::protobuf::Message* { return field->Add(); };
}

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_RESOURCE_METHODS_H_
