#include "accord/client/channel.h"

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/support/channel_arguments.h"

namespace accord::client {
namespace {

// A google.protobuf.Duration in its JSON form, e.g. "0.100000000s".
std::string JsonDuration(absl::Duration d) {
  return absl::StrFormat("%.9fs", absl::ToDoubleSeconds(d));
}

}  // namespace

absl::StatusOr<std::string> ServiceConfigJson(const ChannelOptions& options) {
  if (options.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("timeout must be positive");
  }
  if (options.max_attempts < 1 || options.max_attempts > 5) {
    return absl::InvalidArgumentError("max_attempts must be 1 to 5");
  }
  std::string retry;
  if (options.max_attempts > 1) {
    if (options.initial_backoff <= absl::ZeroDuration() ||
        options.max_backoff < options.initial_backoff || options.backoff_multiplier < 1.0) {
      return absl::InvalidArgumentError(
          "backoff needs 0 < initial_backoff <= max_backoff and backoff_multiplier >= 1");
    }
    retry = absl::StrFormat(
        R"(,"retryPolicy":{"maxAttempts":%d,"initialBackoff":"%s","maxBackoff":"%s",)"
        R"("backoffMultiplier":%g,"retryableStatusCodes":["UNAVAILABLE"]})",
        options.max_attempts, JsonDuration(options.initial_backoff),
        JsonDuration(options.max_backoff), options.backoff_multiplier);
  }
  return absl::StrFormat(
      R"({"methodConfig":[{"name":[{"service":"accord.v1.AccordService"}],"timeout":"%s"%s}]})",
      JsonDuration(options.timeout), retry);
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const std::string& target,
                                                           const ChannelOptions& options) {
  absl::StatusOr<std::string> config = ServiceConfigJson(options);
  if (!config.ok()) return config.status();
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(*config);
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, options.max_attempts > 1 ? 1 : 0);
  std::shared_ptr<grpc::ChannelCredentials> creds =
      options.credentials ? options.credentials : grpc::InsecureChannelCredentials();
  return grpc::CreateCustomChannel(target, creds, args);
}

absl::StatusOr<std::unique_ptr<accord::v1::AccordService::Stub>> MakeStub(
    const std::string& target, const ChannelOptions& options) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = MakeChannel(target, options);
  if (!channel.ok()) return channel.status();
  return accord::v1::AccordService::NewStub(*channel);
}

const char* Version() { return ACCORD_CLIENT_VERSION; }

}  // namespace accord::client
