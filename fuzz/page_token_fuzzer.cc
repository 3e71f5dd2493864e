// Fuzzes the page-token decoder with arbitrary client bytes. Besides
// crashes and sanitizer reports it aborts when the contract breaks: a
// rejected token is InvalidArgument with reason INVALID_PAGE_TOKEN and
// field page_token; an accepted one re-encodes to a token that decodes to
// the same fields. The first 24 bytes are also used as token fields, to
// check that every encoded token round-trips.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/strings/string_view.h"
#include "service/api/errors.h"
#include "service/api/page_token.h"

namespace {

void Fail(const char* what) {
  std::fprintf(stderr, "page_token contract broken: %s\n", what);
  std::abort();
}

bool Same(const accord::api::PageToken& a, const accord::api::PageToken& b) {
  return a.catalog_version == b.catalog_version && a.query == b.query && a.offset == b.offset;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<accord::api::PageToken> decoded = accord::api::DecodePageToken(input);
  if (decoded.ok()) {
    std::string again = accord::api::EncodePageToken(*decoded);
    absl::StatusOr<accord::api::PageToken> round = accord::api::DecodePageToken(again);
    if (!round.ok() || !Same(*round, *decoded)) Fail("an accepted token does not round-trip");
  } else {
    if (decoded.status().code() != absl::StatusCode::kInvalidArgument) Fail("not InvalidArgument");
    auto reason = decoded.status().GetPayload(accord::api::kReasonPayload);
    auto field = decoded.status().GetPayload(accord::api::kFieldPayload);
    if (!reason || std::string(*reason) != "INVALID_PAGE_TOKEN") Fail("reason");
    if (!field || std::string(*field) != "page_token") Fail("field");
  }
  if (size >= 24) {
    accord::api::PageToken token;
    std::memcpy(&token.catalog_version, data, 8);
    std::memcpy(&token.query, data + 8, 8);
    std::memcpy(&token.offset, data + 16, 8);
    absl::StatusOr<accord::api::PageToken> round =
        accord::api::DecodePageToken(accord::api::EncodePageToken(token));
    if (!round.ok() || !Same(*round, token)) Fail("an encoded token does not round-trip");
  }
  return 0;
}
