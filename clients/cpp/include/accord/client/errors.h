// Typed errors from a failed Accord call.
//
// Accord puts a google.rpc.Status in the `grpc-status-details-bin` trailer
// (grpc::Status::error_details()) holding one google.rpc.ErrorInfo (domain
// "accord", a reason such as "INVALID_FILTER", metadata) and, for bad input,
// a google.rpc.BadRequest naming the request fields at fault. docs/errors.md
// lists every reason.
//
//   grpc::Status s = stub->ListAgreements(&ctx, req, &resp);
//   if (!s.ok()) {
//     accord::client::Error e = accord::client::ErrorFromStatus(s);
//     if (e.reason == "FILTER_SYNTAX") ... e.field_violations[0].field == "filter"
//   }
#ifndef ACCORD_CLIENT_ERRORS_H_
#define ACCORD_CLIENT_ERRORS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace accord::client {

// One google.rpc.BadRequest.FieldViolation.
struct FieldViolation {
  // The request field at fault, e.g. "filter", "names[2]", "read_mask.paths[0]".
  std::string field;
  // Why, in English.
  std::string description;
  // A machine-readable reason, if the server set one.
  std::string reason;
};

// A failed call, with its details decoded.
struct Error {
  grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
  // The status message, for developers.
  std::string message;
  // From the ErrorInfo; empty if the status carried none (e.g. a deadline
  // that passed in the client, or a server that is not Accord).
  std::string reason;
  std::string domain;
  std::map<std::string, std::string> metadata;
  // From the BadRequest, in order; empty if there is none.
  std::vector<FieldViolation> field_violations;

  // e.g. "INVALID_ARGUMENT FILTER_SYNTAX (filter): offset 3: ...".
  std::string ToString() const;
};

// Decodes `status`. Details that are absent or do not parse leave the
// corresponding fields empty; this never fails. For an OK status, code is OK.
Error ErrorFromStatus(const grpc::Status& status);

// The canonical name of `code`, e.g. "INVALID_ARGUMENT"; "UNKNOWN" for a
// value that is not a canonical code.
absl::string_view CodeName(grpc::StatusCode code);

}  // namespace accord::client

#endif  // ACCORD_CLIENT_ERRORS_H_
