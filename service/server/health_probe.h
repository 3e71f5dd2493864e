// A grpc.health.v1.Health/Check client with no generated code, for the
// container's HEALTHCHECK (accord_healthcheck): the image needs no extra
// tool such as grpc_health_probe.
#ifndef ACCORD_SERVICE_SERVER_HEALTH_PROBE_H_
#define ACCORD_SERVICE_SERVER_HEALTH_PROBE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/support/byte_buffer.h"

namespace accord::server {

// grpc.health.v1.HealthCheckResponse.ServingStatus.
enum class ServingStatus { kUnknown = 0, kServing = 1, kNotServing = 2, kServiceUnknown = 3 };

// The wire bytes of HealthCheckRequest{service: `service`}.
std::string EncodeHealthCheckRequest(absl::string_view service);

// The status field of HealthCheckResponse wire bytes; InvalidArgument if
// the bytes are not a message.
absl::StatusOr<ServingStatus> DecodeHealthCheckResponse(absl::string_view bytes);

// How to reach the server: plaintext when `ca_pem` is empty; otherwise
// TLS verifying the server against `ca_pem` (and the name `server_name`
// when set, instead of the address's host), presenting `cert_pem` and
// `key_pem` as the client certificate when set (mutual TLS).
struct ProbeTransport {
  std::string ca_pem;
  std::string cert_pem;
  std::string key_pem;
  std::string server_name;
};

// Calls Health/Check on `address` ("host:port") for `service` ("" is the
// whole server) within `timeout`. The RPC's error as a Status if the call
// fails.
absl::StatusOr<ServingStatus> CheckHealth(const std::string& address, absl::string_view service,
                                          absl::Duration timeout,
                                          const ProbeTransport& transport = {});

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_HEALTH_PROBE_H_
