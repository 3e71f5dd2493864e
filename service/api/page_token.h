// Opaque, tamper-evident page tokens (AIP-158).
#ifndef ACCORD_SERVICE_API_PAGE_TOKEN_H_
#define ACCORD_SERVICE_API_PAGE_TOKEN_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace accord::api {

// What a token remembers between pages.
struct PageToken {
  // Hash of the catalogue version that issued it.
  uint64_t catalog_version = 0;
  // Hash of the request's collection, parent, filter and order_by.
  uint64_t query = 0;
  // Where the next page starts, in the query's result order.
  uint64_t offset = 0;
  // A resume cursor: 1 + the collection position of the last record the
  // previous page returned, or 0 for none. The catalogue version pins what
  // positions mean, so the next page continues right after that record
  // instead of recomputing and skipping `offset` results.
  uint64_t after = 0;
};

// A stable 64-bit hash of the parts of a List request that a token is tied
// to; `page_size` is deliberately not among them (it may change between
// pages).
uint64_t QueryFingerprint(absl::string_view collection, absl::string_view parent,
                          absl::string_view filter, absl::string_view order_by);

// A stable 64-bit hash of a catalogue version string.
uint64_t VersionFingerprint(absl::string_view version);

// URL-safe base64 of the token's fields and a keyed checksum.
std::string EncodePageToken(const PageToken& token);

// Decodes a token from EncodePageToken. InvalidArgument (reason
// INVALID_PAGE_TOKEN, field page_token) if it is malformed or was altered.
absl::StatusOr<PageToken> DecodePageToken(absl::string_view encoded);

// Decodes a request's `encoded` page_token and checks that it belongs to
// this request and catalogue. Errors: INVALID_ARGUMENT (INVALID_PAGE_TOKEN)
// if it is malformed or was altered; INVALID_ARGUMENT (PAGE_TOKEN_MISMATCH,
// with `mismatch` as its message) if it was issued for another query than
// `query_fingerprint`; FAILED_PRECONDITION (CATALOG_CHANGED, metadata
// `version`) if another catalogue version than `catalog_version` issued it,
// saying to start the `what` ("listing", "search") again without a token.
absl::StatusOr<PageToken> CheckPageToken(absl::string_view encoded, uint64_t query_fingerprint,
                                         absl::string_view catalog_version,
                                         absl::string_view mismatch, absl::string_view what);

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_PAGE_TOKEN_H_
