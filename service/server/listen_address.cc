#include "service/server/listen_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>

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
  if (host == "localhost") return true;
  // Only a literal address is checked: a name other than "localhost" could
  // resolve anywhere ("127.evil.example").
  std::string literal(host);
  in_addr v4{};
  if (inet_pton(AF_INET, literal.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, literal.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
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
