// Channels and stubs for AccordService with a retry and timeout policy.
//
//   auto stub = accord::client::MakeStub("127.0.0.1:50051");
//   accord::v1::Agreement a;
//   grpc::ClientContext ctx;
//   grpc::Status s = stub->GetAgreement(&ctx, request, &a);
//
// The policy is a gRPC service config attached to the channel: every
// AccordService method gets `timeout` as its deadline (unless the call sets an
// earlier one) and is retried on UNAVAILABLE with exponential backoff. All
// Accord RPCs are reads, so retrying them is safe.
#ifndef ACCORD_CLIENT_CHANNEL_H_
#define ACCORD_CLIENT_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "accord/v1/accord_service.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"

namespace accord::client {

// How MakeChannel configures the channel. The defaults suit a server on the
// same network.
struct ChannelOptions {
  // Transport credentials; null means plaintext (the server accepts that on
  // loopback only, see docs/operations.md).
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // Deadline of each call, retries included. Must be positive.
  absl::Duration timeout = absl::Seconds(10);
  // Attempts per call, the first included: 1 disables retries. 1 to 5 (gRPC
  // caps retries at 5 attempts).
  int max_attempts = 4;
  // Backoff before the first retry; later ones grow by `backoff_multiplier`
  // up to `max_backoff` (gRPC adds jitter).
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
  double backoff_multiplier = 2.0;
};

// The gRPC service config JSON for `options`: one methodConfig naming
// accord.v1.AccordService, with its timeout and, if max_attempts > 1, a
// retryPolicy on UNAVAILABLE. INVALID_ARGUMENT if an option is out of range.
absl::StatusOr<std::string> ServiceConfigJson(const ChannelOptions& options);

// A channel to `target` (e.g. "127.0.0.1:50051", "dns:///accord:50051") with
// the service config of `options`. INVALID_ARGUMENT if an option is out of
// range. The channel connects lazily.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const std::string& target,
                                                           const ChannelOptions& options = {});

// An AccordService stub over MakeChannel(target, options).
absl::StatusOr<std::unique_ptr<accord::v1::AccordService::Stub>> MakeStub(
    const std::string& target, const ChannelOptions& options = {});

// The version of the Accord API and clients (the repository's VERSION file).
const char* Version();

}  // namespace accord::client

#endif  // ACCORD_CLIENT_CHANNEL_H_
