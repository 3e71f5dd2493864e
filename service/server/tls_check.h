// Checks TLS material before the server starts, so that a bad file gets an
// error that names it (gRPC 1.51 only fails to build the server).
#ifndef ACCORD_SERVICE_SERVER_TLS_CHECK_H_
#define ACCORD_SERVICE_SERVER_TLS_CHECK_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace accord::server {

// What CheckTlsMaterial found, for the start-up log.
struct TlsCertificateInfo {
  std::string subject;
  absl::Time not_after;
};

// Checks PEM text: `cert_pem` holds a certificate (the first one is the
// server's), valid at `now` (not expired, not yet-to-be-valid); `key_pem`
// holds a private key that matches it; `client_ca_pem`, if not empty, holds
// at least one certificate. InvalidArgument naming the flag and the problem
// otherwise: "--tls_cert: expired on ...", "--tls_key does not match
// --tls_cert", etc. An expired certificate is refused: clients would refuse
// every handshake anyway.
absl::Status CheckTlsMaterial(const std::string& cert_pem, const std::string& key_pem,
                              const std::string& client_ca_pem, absl::Time now,
                              TlsCertificateInfo* info = nullptr);

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_TLS_CHECK_H_
