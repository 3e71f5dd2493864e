// The Prometheus endpoint (--metrics_listen): GET /metrics on its own
// HTTP port, separate from gRPC, serving the call metrics of
// grpc_metrics.h, the catalogue metrics and the process metrics.
#ifndef ACCORD_SERVICE_SERVER_METRICS_SERVER_H_
#define ACCORD_SERVICE_SERVER_METRICS_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "accord/v1/catalog.pb.h"
#include "prometheus/exposer.h"
#include "prometheus/registry.h"
#include "service/server/catalog_metrics.h"
#include "service/server/grpc_metrics.h"
#include "service/server/process_metrics.h"

namespace accord::server {

class MetricsServer {
 public:
  // Listens on `address` ("host:port"; port 0 picks one). The address must
  // be loopback unless `allow_remote`: metrics reveal traffic and the
  // catalogue's directory, and the endpoint has no TLS or authentication.
  // `services` are the gRPC services whose methods get series up front;
  // `catalog_status` is called at each scrape.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(
      absl::string_view address, bool allow_remote, const std::vector<std::string>& services,
      std::function<accord::v1::CatalogStatus()> catalog_status);

  // For the call observer; valid as long as this server.
  GrpcServerMetrics* grpc_metrics() { return &grpc_metrics_; }
  // The port listened on.
  int port() const { return port_; }

 private:
  MetricsServer(const std::vector<std::string>& services,
                std::function<accord::v1::CatalogStatus()> catalog_status);

  std::shared_ptr<prometheus::Registry> registry_;
  GrpcServerMetrics grpc_metrics_;
  std::shared_ptr<CatalogCollector> catalog_;
  std::shared_ptr<ProcessCollector> process_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_ = 0;
};

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_METRICS_SERVER_H_
