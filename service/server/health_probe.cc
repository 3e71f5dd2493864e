#include "service/server/health_probe.h"

#include <future>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/unknown_field_set.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/slice.h"

namespace accord::server {

// HealthCheckRequest has one field, `string service = 1`, and
// HealthCheckResponse one, `ServingStatus status = 1` (grpc/health/v1/
// health.proto). An UnknownFieldSet reads and writes them by number.
std::string EncodeHealthCheckRequest(absl::string_view service) {
  google::protobuf::UnknownFieldSet fields;
  if (!service.empty()) fields.AddLengthDelimited(1, std::string(service));
  std::string bytes;
  fields.SerializeToString(&bytes);
  return bytes;
}

absl::StatusOr<ServingStatus> DecodeHealthCheckResponse(absl::string_view bytes) {
  google::protobuf::UnknownFieldSet fields;
  if (!fields.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError("the health response is not a protobuf message");
  }
  ServingStatus status = ServingStatus::kUnknown;  // proto3: absent is 0
  for (int i = 0; i < fields.field_count(); ++i) {
    const google::protobuf::UnknownField& field = fields.field(i);
    if (field.number() == 1 && field.type() == google::protobuf::UnknownField::TYPE_VARINT) {
      uint64_t value = field.varint();
      status = value <= 3 ? static_cast<ServingStatus>(value) : ServingStatus::kUnknown;
    }
  }
  return status;
}

absl::StatusOr<ServingStatus> CheckHealth(const std::string& address, absl::string_view service,
                                          absl::Duration timeout, const ProbeTransport& transport) {
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  grpc::ChannelArguments args;
  if (!transport.ca_pem.empty()) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = transport.ca_pem;
    ssl.pem_cert_chain = transport.cert_pem;
    ssl.pem_private_key = transport.key_pem;
    credentials = grpc::SslCredentials(ssl);
    if (!transport.server_name.empty()) {
      args.SetSslTargetNameOverride(transport.server_name);
    }
  }
  std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(address, credentials, args);
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  std::string request_bytes = EncodeHealthCheckRequest(service);
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  grpc::Status status = done.get_future().get();
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat("Health/Check on ", address, ": ", status.error_message()));
  }
  grpc::Slice joined;
  if (!response.DumpToSingleSlice(&joined).ok()) {
    return absl::InternalError("cannot read the health response");
  }
  return DecodeHealthCheckResponse(
      absl::string_view(reinterpret_cast<const char*>(joined.begin()), joined.size()));
}

}  // namespace accord::server
