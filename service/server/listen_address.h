// Rules for the address the server listens on.
#ifndef ACCORD_SERVICE_SERVER_LISTEN_ADDRESS_H_
#define ACCORD_SERVICE_SERVER_LISTEN_ADDRESS_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace accord::server {

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(absl::string_view host);

// OK if `address` ("host:port" or "[v6]:port") is well formed and, unless
// `allow_remote` (or TLS) permits otherwise, on loopback. InvalidArgument
// explaining the rule otherwise.
absl::Status CheckListenAddress(absl::string_view address, bool allow_remote);

// `address` with its port replaced by `port`, e.g. for port 0.
std::string WithPort(absl::string_view address, int port);

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_LISTEN_ADDRESS_H_
