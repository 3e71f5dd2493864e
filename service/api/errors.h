// Turns absl::Status errors into gRPC statuses with google.rpc details.
#ifndef ACCORD_SERVICE_API_ERRORS_H_
#define ACCORD_SERVICE_API_ERRORS_H_

#include <string>

#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace accord::api {

// The ErrorInfo domain of every Accord error.
inline constexpr absl::string_view kErrorDomain = "accord";

// Payload keys that shape an error's details. Code anywhere in the server
// attaches them to an absl::Status; ToGrpcStatus reads them.
//  - kReasonPayload: the ErrorInfo reason, UPPER_SNAKE_CASE.
//  - kFieldPayload: the request field at fault; adds a BadRequest field
//    violation whose description is the status message.
//  - kMetadataPrefix + key: one ErrorInfo metadata entry.
inline constexpr absl::string_view kReasonPayload = "accord.reason";
inline constexpr absl::string_view kFieldPayload = "accord.field";
inline constexpr absl::string_view kMetadataPrefix = "accord.meta.";

// Returns `status` with a reason, the request field at fault (may be empty)
// and metadata attached as payloads.
absl::Status Annotate(
    absl::Status status, absl::string_view reason, absl::string_view field,
    std::initializer_list<std::pair<absl::string_view, std::string>> metadata = {});

// INVALID_ARGUMENT for request field `field`, with `reason`.
absl::Status InvalidField(absl::string_view field, absl::string_view reason,
                          absl::string_view message);

// NOT_FOUND naming the missing resource, reason RESOURCE_NOT_FOUND.
absl::Status ResourceNotFound(absl::string_view name);

// How much of a request value an error message may quote, and how long an
// error message may be at most. Errors travel in trailers, and clients
// refuse trailers over their metadata limit (8-16 KiB by default): a
// message quoting a megabyte of input would arrive as RESOURCE_EXHAUSTED
// instead of the error it is.
inline constexpr size_t kMaxQuotedBytes = 64;
inline constexpr size_t kMaxErrorMessageBytes = 1024;

// `value` for quoting in an error message: whole if at most `max` bytes,
// else its first bytes (cut at a UTF-8 character boundary, at most `max`)
// followed by "... (N bytes)".
std::string QuotePrefix(absl::string_view value, size_t max = kMaxQuotedBytes);

// The gRPC status for `status`: same code and message, and a serialized
// google.rpc.Status in the details (the `grpc-status-details-bin` trailer)
// holding exactly one ErrorInfo (domain "accord"; the reason from the
// payload, or one derived from the code) and, when a field is at fault, a
// BadRequest. A message longer than kMaxErrorMessageBytes is cut there (at
// a UTF-8 boundary), in the status and in the details. Filter and order_by errors from the query
// language carry their reason and offset in their own payloads, which are honoured too.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_ERRORS_H_
