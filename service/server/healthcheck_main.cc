// accord_healthcheck: exits 0 if the server at an address reports SERVING,
// 1 otherwise. For a container HEALTHCHECK, where no other tool is present.
//
//   accord_healthcheck [--service=accord.v1.AccordService] [--timeout=2s] [127.0.0.1:50051]
//
// The address defaults to $ACCORD_LISTEN's port on 127.0.0.1, then to
// 127.0.0.1:50051.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "service/server/health_probe.h"

ABSL_FLAG(std::string, service, "", "Service to check; empty is the whole server.");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(2), "Deadline of the check.");
ABSL_FLAG(std::string, tls_ca, "", "PEM CA bundle: use TLS and verify the server against it.");
ABSL_FLAG(std::string, tls_cert, "", "PEM client certificate chain, for mutual TLS.");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert.");
ABSL_FLAG(std::string, tls_server_name, "",
          "Name to verify in the server certificate instead of the address's host.");

namespace {

// A listen address ("0.0.0.0:50051", "[::]:50051") as a local target.
std::string LocalTarget(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return "127.0.0.1:50051";
  return absl::StrCat("127.0.0.1", listen.substr(colon));
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Exits 0 if grpc.health.v1 Check says SERVING.\n  accord_healthcheck [ADDRESS]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  std::string address;
  if (args.size() > 1) {
    address = args[1];
  } else if (const char* listen = std::getenv("ACCORD_LISTEN"); listen && *listen) {
    address = LocalTarget(listen);
  } else {
    address = "127.0.0.1:50051";
  }
  accord::server::ProbeTransport transport;
  for (auto [flag, out] : {std::pair{absl::GetFlag(FLAGS_tls_ca), &transport.ca_pem},
                           std::pair{absl::GetFlag(FLAGS_tls_cert), &transport.cert_pem},
                           std::pair{absl::GetFlag(FLAGS_tls_key), &transport.key_pem}}) {
    if (flag.empty()) continue;
    std::ifstream in(flag);
    std::stringstream text;
    if (!(text << in.rdbuf())) {
      std::cerr << "cannot read " << flag << "\n";
      return 1;
    }
    *out = text.str();
  }
  transport.server_name = absl::GetFlag(FLAGS_tls_server_name);
  absl::StatusOr<accord::server::ServingStatus> status = accord::server::CheckHealth(
      address, absl::GetFlag(FLAGS_service), absl::GetFlag(FLAGS_timeout), transport);
  if (!status.ok()) {
    std::cerr << status.status().message() << "\n";
    return 1;
  }
  static constexpr const char* kNames[] = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};
  std::cout << kNames[static_cast<int>(*status)] << "\n";
  return *status == accord::server::ServingStatus::kServing ? 0 : 1;
}
