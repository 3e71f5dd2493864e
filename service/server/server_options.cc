#include "service/server/server_options.h"

#include <algorithm>
#include <climits>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/grpc.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "service/server/listen_address.h"
#include "service/server/tls_check.h"

namespace accord::server {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::InvalidArgumentError(absl::StrCat("cannot read ", path));
  return text.str();
}

absl::Status ValidateOptions(const ServerOptions& options) {
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key must be given together");
  }
  if (!options.tls_client_ca.empty() && !options.tls()) {
    return absl::InvalidArgumentError(
        "--tls_client_ca (mutual TLS) needs --tls_cert and --tls_key");
  }
  if (absl::Status s = CheckListenAddress(options.listen, options.allow_remote || options.tls());
      !s.ok()) {
    return s;
  }
  if (options.max_receive_message_bytes <= 0 || options.max_concurrent_streams <= 0 ||
      options.max_ping_strikes < 0 || options.min_ping_interval < absl::ZeroDuration() ||
      options.handshake_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "--max_receive_message_bytes, --max_concurrent_streams and --handshake_timeout must be "
        "positive; --max_ping_strikes and --min_ping_interval must not be negative");
  }
  if (options.max_connection_idle < absl::ZeroDuration() ||
      options.max_connection_age < absl::ZeroDuration() ||
      options.max_connection_age_grace < absl::ZeroDuration() ||
      options.resource_memory_bytes <= 0 || options.max_threads <= 0) {
    return absl::InvalidArgumentError(
        "--max_connection_idle, --max_connection_age and --max_connection_age_grace must not be "
        "negative; --resource_memory_bytes and --max_threads must be positive");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const ServerOptions& options) {
  if (!options.tls()) return grpc::InsecureServerCredentials();
  absl::StatusOr<std::string> cert = ReadFile(options.tls_cert);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadFile(options.tls_key);
  if (!key.ok()) return key.status();
  absl::StatusOr<std::string> ca =
      options.tls_client_ca.empty() ? std::string() : ReadFile(options.tls_client_ca);
  if (!ca.ok()) return ca.status();
  if (absl::Status s = CheckTlsMaterial(*cert, *key, *ca, absl::Now()); !s.ok()) return s;
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back({*key, *cert});
  if (!options.tls_client_ca.empty()) {
    ssl.pem_root_certs = *ca;
    ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  } else {
    ssl.client_certificate_request = GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE;
  }
  return grpc::SslServerCredentials(ssl);
}

absl::Status ConfigureBuilder(const ServerOptions& options, grpc::ServerBuilder* builder,
                              int* port) {
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      MakeServerCredentials(options);
  if (!credentials.ok()) return credentials.status();
  builder->AddListeningPort(options.listen, *credentials, port);
  builder->SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  builder->AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options.max_concurrent_streams);
  builder->AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
      static_cast<int>(absl::ToInt64Milliseconds(options.min_ping_interval)));
  builder->AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, options.max_ping_strikes);
  builder->AddChannelArgument(
      GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS,
      static_cast<int>(absl::ToInt64Milliseconds(options.handshake_timeout)));
  builder->AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Connections do not live for ever: an idle one is closed, and every one
  // is closed (gracefully) after an age, so that a client holding many
  // connections cannot keep file descriptors indefinitely.
  auto millis = [](absl::Duration d) {
    return static_cast<int>(std::min<int64_t>(absl::ToInt64Milliseconds(d), INT32_MAX));
  };
  if (options.max_connection_idle > absl::ZeroDuration()) {
    builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                                millis(options.max_connection_idle));
  }
  if (options.max_connection_age > absl::ZeroDuration()) {
    builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, millis(options.max_connection_age));
    builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                                millis(options.max_connection_age_grace));
  }
  grpc::ResourceQuota quota("accord_server");
  quota.Resize(static_cast<size_t>(options.resource_memory_bytes));
  quota.SetMaxThreads(options.max_threads);
  builder->SetResourceQuota(quota);
  return absl::OkStatus();
}

}  // namespace accord::server
