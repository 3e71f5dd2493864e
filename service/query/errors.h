// How the query library reports bad filters and orderings.
//
// Every error is absl::InvalidArgumentError. Its message starts with
// "offset N: " (N the 0-based byte offset into the user's string) and says
// what is wrong. Payloads carry the same facts in machine-readable form, for
// the API layer to copy into google.rpc.ErrorInfo metadata:
//
//   filters:   "accord.filter.offset"   -> decimal offset, e.g. "17"
//              "accord.filter.reason"   -> one of the FilterReason names
//   order_by:  "accord.order_by.offset" -> decimal offset
//              "accord.order_by.reason" -> "INVALID_ORDER_BY"
#ifndef ACCORD_SERVICE_QUERY_ERRORS_H_
#define ACCORD_SERVICE_QUERY_ERRORS_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace accord::query {

inline constexpr char kFilterOffsetPayload[] = "accord.filter.offset";
inline constexpr char kFilterReasonPayload[] = "accord.filter.reason";
inline constexpr char kOrderByOffsetPayload[] = "accord.order_by.offset";
inline constexpr char kOrderByReasonPayload[] = "accord.order_by.reason";

// Why a filter was rejected.
enum class FilterReason {
  kSyntax,        // "FILTER_SYNTAX": not well-formed, or a construct we don't support
  kUnknownField,  // "UNKNOWN_FIELD": names a field the resource doesn't have
  kTypeMismatch,  // "TYPE_MISMATCH": a value or operator that doesn't fit the field
  kTooComplex,    // "FILTER_TOO_COMPLEX": exceeds a limit in limits.h
};

// The reason's wire name, e.g. "FILTER_SYNTAX".
const char* FilterReasonName(FilterReason reason);

// An InvalidArgument error "offset <offset>: <message>" with both filter
// payloads set.
absl::Status FilterError(FilterReason reason, size_t offset, absl::string_view message);

// An InvalidArgument error "offset <offset>: <message>" with both order_by
// payloads set (reason "INVALID_ORDER_BY").
absl::Status OrderByError(size_t offset, absl::string_view message);

// The filter reason attached to `status` by FilterError, if any.
std::optional<FilterReason> GetFilterReason(const absl::Status& status);
// The offset attached to `status` by FilterError or OrderByError, if any.
std::optional<size_t> GetErrorOffset(const absl::Status& status);

// `text` quoted for an error message: wrapped in double quotes, with
// control characters, quotes and backslashes escaped and long text cut.
std::string QuoteForError(absl::string_view text);

}  // namespace accord::query

#endif  // ACCORD_SERVICE_QUERY_ERRORS_H_
