// Turns absl::Status errors into gRPC statuses with google.rpc details.
#ifndef ACCORD_SERVICE_API_ERRORS_H_
#define ACCORD_SERVICE_API_ERRORS_H_

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
absl::Status Annotate(absl::Status status, absl::string_view reason, absl::string_view field,
                      std::initializer_list<std::pair<absl::string_view, std::string>> metadata = {});

// INVALID_ARGUMENT for request field `field`, with `reason`.
absl::Status InvalidField(absl::string_view field, absl::string_view reason,
                          absl::string_view message);

// NOT_FOUND naming the missing resource, reason RESOURCE_NOT_FOUND.
absl::Status ResourceNotFound(absl::string_view name);

// The gRPC status for `status`: same code and message, and a serialized
// google.rpc.Status in the details (the `grpc-status-details-bin` trailer)
// holding exactly one ErrorInfo (domain "accord"; the reason from the
// payload, or one derived from the code) and, when a field is at fault, a
// BadRequest. Filter and order_by errors from the query language carry their
// reason and offset in their own payloads, which are honoured too.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_ERRORS_H_
