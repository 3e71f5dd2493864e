// Rules for the address the server listens on.
#ifndef ACCORD_SERVICE_SERVER_LISTEN_ADDRESS_H_
#define ACCORD_SERVICE_SERVER_LISTEN_ADDRESS_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace accord::server {

// True for "localhost" and for literal loopback addresses: IPv4 127.0.0.0/8
// (dotted quad, as inet_pton parses it), ::1 and ::ffff:127.x.y.z. Any other
// name is false, even one that starts "127." ("127.evil.example").
bool IsLoopbackHost(absl::string_view host);

// OK if `address` ("host:port" or "[v6]:port") is well formed and, unless
// `allow_remote` (or TLS) permits otherwise, on loopback. InvalidArgument
// explaining the rule otherwise.
absl::Status CheckListenAddress(absl::string_view address, bool allow_remote);

// `address` with its port replaced by `port`, e.g. for port 0.
std::string WithPort(absl::string_view address, int port);

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_LISTEN_ADDRESS_H_
