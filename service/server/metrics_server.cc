#include "service/server/metrics_server.h"

#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/server/listen_address.h"

namespace accord::server {

MetricsServer::MetricsServer(const std::vector<std::string>& services,
                             std::function<accord::v1::CatalogStatus()> catalog_status)
    : registry_(std::make_shared<prometheus::Registry>()),
      grpc_metrics_(*registry_, services),
      catalog_(std::make_shared<CatalogCollector>(std::move(catalog_status))),
      process_(std::make_shared<ProcessCollector>()) {}

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(
    absl::string_view address, bool allow_remote, const std::vector<std::string>& services,
    std::function<accord::v1::CatalogStatus()> catalog_status) {
  if (absl::Status s = CheckListenAddress(address, allow_remote); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--metrics_listen: ", s.message(),
        " (for metrics the switch is --metrics_allow_remote; the endpoint has no TLS)"));
  }
  std::unique_ptr<MetricsServer> server(new MetricsServer(services, std::move(catalog_status)));
  try {
    // Two civetweb threads: scrapes are rare and cheap.
    server->exposer_ = std::make_unique<prometheus::Exposer>(std::string(address), 2);
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("--metrics_listen: cannot listen on ", address,
                                               " (is the port in use?): ", e.what()));
  }
  server->exposer_->RegisterCollectable(server->registry_);
  server->exposer_->RegisterCollectable(server->catalog_);
  server->exposer_->RegisterCollectable(server->process_);
  std::vector<int> ports = server->exposer_->GetListeningPorts();
  server->port_ = ports.empty() ? 0 : ports.front();
  return server;
}

}  // namespace accord::server
