#include "accord/client/errors.h"

#include "absl/strings/str_cat.h"
#include "google/rpc/code.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace accord::client {

absl::string_view CodeName(grpc::StatusCode code) {
  const int value = static_cast<int>(code);
  if (!google::rpc::Code_IsValid(value)) return "UNKNOWN";
  return google::rpc::Code_Name(static_cast<google::rpc::Code>(value));
}

Error ErrorFromStatus(const grpc::Status& status) {
  Error error;
  error.code = status.error_code();
  error.message = status.error_message();
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    return error;
  }
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad_request;
    if (any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info)) {
      error.reason = info.reason();
      error.domain = info.domain();
      error.metadata.insert(info.metadata().begin(), info.metadata().end());
    } else if (any.Is<google::rpc::BadRequest>() && any.UnpackTo(&bad_request)) {
      for (const auto& v : bad_request.field_violations()) {
        error.field_violations.push_back({v.field(), v.description(), v.reason()});
      }
    }
  }
  return error;
}

std::string Error::ToString() const {
  std::string out(CodeName(code));
  if (!reason.empty()) absl::StrAppend(&out, " ", reason);
  if (!field_violations.empty()) absl::StrAppend(&out, " (", field_violations.front().field, ")");
  absl::StrAppend(&out, ": ", message);
  return out;
}

}  // namespace accord::client
