#include "service/server/listen_address.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace accord::server {
namespace {

// Splits "host:port" / "[v6]:port" into host and port text.
bool Split(absl::string_view address, absl::string_view* host, absl::string_view* port) {
  size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos) return false;
  *host = address.substr(0, colon);
  *port = address.substr(colon + 1);
  if (absl::StartsWith(*host, "[") && absl::EndsWith(*host, "]")) {
    *host = host->substr(1, host->size() - 2);
  }
  return true;
}

}  // namespace

bool IsLoopbackHost(absl::string_view host) {
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

absl::Status CheckListenAddress(absl::string_view address, bool allow_remote) {
  absl::string_view host, port_text;
  int port = 0;
  if (!Split(address, &host, &port_text) || !absl::SimpleAtoi(port_text, &port) || port < 0 ||
      port > 65535 || host.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen=", address, " is not host:port (e.g. 127.0.0.1:50051 or [::1]:50051)"));
  }
  if (!allow_remote && !IsLoopbackHost(host)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen=", address,
        " is not a loopback address; without TLS the server listens on loopback only. Pass "
        "--allow_remote to override"));
  }
  return absl::OkStatus();
}

std::string WithPort(absl::string_view address, int port) {
  size_t colon = address.rfind(':');
  return absl::StrCat(address.substr(0, colon), ":", port);
}

}  // namespace accord::server
