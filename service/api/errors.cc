#include "service/api/errors.h"

#include <map>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace accord::api {
namespace {

// Payload keys the query language sets on filter and order_by errors.
constexpr absl::string_view kFilterReason = "accord.filter.reason";
constexpr absl::string_view kFilterOffset = "accord.filter.offset";
constexpr absl::string_view kOrderByReason = "accord.order_by.reason";
constexpr absl::string_view kOrderByOffset = "accord.order_by.offset";

std::string DefaultReason(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case absl::StatusCode::kNotFound:
      return "RESOURCE_NOT_FOUND";
    case absl::StatusCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case absl::StatusCode::kUnauthenticated:
      return "UNAUTHENTICATED";
    case absl::StatusCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case absl::StatusCode::kUnavailable:
      return "UNAVAILABLE";
    case absl::StatusCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case absl::StatusCode::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case absl::StatusCode::kCancelled:
      return "CANCELLED";
    default:
      return "INTERNAL";
  }
}

// The length of the longest prefix of `value` of at most `max` bytes that
// does not end inside a UTF-8 multi-byte sequence.
size_t Utf8PrefixLength(absl::string_view value, size_t max) {
  if (value.size() <= max) return value.size();
  size_t end = max;
  // Back up over continuation bytes (10xxxxxx) to the start of a character.
  while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) --end;
  return end;
}

}  // namespace

std::string QuotePrefix(absl::string_view value, size_t max) {
  if (value.size() <= max) return std::string(value);
  return absl::StrCat(value.substr(0, Utf8PrefixLength(value, max)), "... (", value.size(),
                      " bytes)");
}

absl::Status Annotate(absl::Status status, absl::string_view reason, absl::string_view field,
                      std::initializer_list<std::pair<absl::string_view, std::string>> metadata) {
  if (!reason.empty()) status.SetPayload(kReasonPayload, absl::Cord(reason));
  if (!field.empty()) status.SetPayload(kFieldPayload, absl::Cord(field));
  for (const auto& [key, value] : metadata) {
    status.SetPayload(absl::StrCat(kMetadataPrefix, key), absl::Cord(value));
  }
  return status;
}

absl::Status InvalidField(absl::string_view field, absl::string_view reason,
                          absl::string_view message) {
  return Annotate(absl::InvalidArgumentError(message), reason, field);
}

absl::Status ResourceNotFound(absl::string_view name) {
  return Annotate(absl::NotFoundError(absl::StrCat("\"", name, "\" was not found")),
                  "RESOURCE_NOT_FOUND", "", {{"name", std::string(name)}});
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::ErrorInfo info;
  info.set_domain(std::string(kErrorDomain));
  std::string field;
  status.ForEachPayload([&](absl::string_view key, const absl::Cord& value) {
    std::string v(value);
    if (key == kReasonPayload || key == kFilterReason || key == kOrderByReason) {
      info.set_reason(v);
      if (key == kFilterReason && field.empty()) field = "filter";
      if (key == kOrderByReason && field.empty()) field = "order_by";
    } else if (key == kFieldPayload) {
      field = v;
    } else if (key == kFilterOffset || key == kOrderByOffset) {
      (*info.mutable_metadata())["offset"] = v;
    } else if (absl::StartsWith(key, kMetadataPrefix)) {
      (*info.mutable_metadata())[std::string(key.substr(kMetadataPrefix.size()))] = v;
    }
  });
  if (info.reason().empty()) info.set_reason(DefaultReason(status.code()));

  absl::string_view message = status.message();
  std::string capped;
  if (message.size() > kMaxErrorMessageBytes) {
    capped =
        absl::StrCat(message.substr(0, Utf8PrefixLength(message, kMaxErrorMessageBytes)), "...");
    message = capped;
  }
  google::rpc::Status rpc;
  rpc.set_code(static_cast<int>(status.code()));
  rpc.set_message(std::string(message));
  rpc.add_details()->PackFrom(info);
  if (!field.empty()) {
    google::rpc::BadRequest bad;
    auto* violation = bad.add_field_violations();
    violation->set_field(field);
    violation->set_description(std::string(message));
    rpc.add_details()->PackFrom(bad);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), rpc.message(),
                      rpc.SerializeAsString());
}

}  // namespace accord::api
