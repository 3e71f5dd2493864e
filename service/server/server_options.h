// Everything the server is configured with besides the catalogue: where it
// listens, transport security, access tokens and the connection limits.
#ifndef ACCORD_SERVICE_SERVER_SERVER_OPTIONS_H_
#define ACCORD_SERVICE_SERVER_SERVER_OPTIONS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace accord::server {

// Limits enforced by the transport; each is documented in docs/limits.md.
inline constexpr int kDefaultMaxReceiveMessageBytes = 1 << 20;  // 1 MiB
inline constexpr int kDefaultMaxConcurrentStreams = 100;
inline constexpr int kDefaultMaxPingStrikes = 2;

struct ServerOptions {
  std::string listen = "127.0.0.1:50051";
  bool allow_remote = false;
  // TLS: PEM files. cert and key together turn TLS on; client_ca also
  // requires every client to present a certificate signed by it (mTLS).
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  // Largest request message accepted, in bytes.
  int max_receive_message_bytes = kDefaultMaxReceiveMessageBytes;
  // Most concurrent streams (calls) one HTTP/2 connection may carry.
  int max_concurrent_streams = kDefaultMaxConcurrentStreams;
  // Keepalive enforcement: pings without data closer together than this
  // are strikes; after max_ping_strikes the connection gets GOAWAY.
  absl::Duration min_ping_interval = absl::Seconds(10);
  int max_ping_strikes = kDefaultMaxPingStrikes;
  // A connection must finish its TLS/HTTP2 handshake within this time.
  absl::Duration handshake_timeout = absl::Seconds(10);
  // A connection with no call for this long is closed (GOAWAY); zero
  // disables. Bounds how long idle connections hold file descriptors.
  absl::Duration max_connection_idle = absl::Minutes(5);
  // A connection older than this is closed (GOAWAY), after which calls in
  // flight have max_connection_age_grace to finish; zero disables.
  absl::Duration max_connection_age = absl::Hours(1);
  absl::Duration max_connection_age_grace = absl::Seconds(30);
  // gRPC's ResourceQuota: memory the transport may use for connections and
  // calls, and most threads the synchronous server may run (the callback
  // service runs on gRPC's event engine threads, which the quota bounds only
  // partly; see docs/reliability.md).
  int64_t resource_memory_bytes = int64_t{512} << 20;
  int max_threads = 64;

  bool tls() const { return !tls_cert.empty() || !tls_key.empty(); }
};

// Checks the combination: both or neither of cert and key; client_ca only
// with TLS; the listen address well formed and on loopback unless TLS is on
// or allow_remote is set; the limits positive.
absl::Status ValidateOptions(const ServerOptions& options);

// The credentials for options' TLS settings (insecure without them). Reads
// the PEM files; NotFound naming a file that cannot be read; InvalidArgument
// from CheckTlsMaterial (tls_check.h) for a file that holds no certificate
// or key, a key that does not match, or an expired certificate.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const ServerOptions& options);

// Adds the listening port and every limit to `builder`. `*port` is set
// once the server starts. SO_REUSEPORT is always off, so a second server on
// the same port fails to start instead of silently sharing it.
absl::Status ConfigureBuilder(const ServerOptions& options, grpc::ServerBuilder* builder,
                              int* port);

// Reads a whole file; NotFound/InvalidArgument naming it on failure.
absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_SERVER_OPTIONS_H_
