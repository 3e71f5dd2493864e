// Catalogue metrics, read at scrape time from what GetCatalogStatus reports:
//
//   accord_catalog_info{version,directory} 1
//   accord_catalog_records{collection}
//   accord_catalog_load_duration_seconds        (of the serving catalogue)
//   accord_catalog_last_load_timestamp_seconds  (when the serving one loaded)
//   accord_catalog_reloads_total{result="success"|"failure"}
//   accord_catalog_last_reload_attempt_timestamp_seconds
#ifndef ACCORD_SERVICE_SERVER_CATALOG_METRICS_H_
#define ACCORD_SERVICE_SERVER_CATALOG_METRICS_H_

#include <functional>
#include <utility>
#include <vector>

#include "accord/v1/catalog.pb.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace accord::server {

// The families above for one status; pure, for tests.
std::vector<prometheus::MetricFamily> CatalogFamilies(const accord::v1::CatalogStatus& status);

// Calls `status` at every scrape (e.g. CatalogStore::Status, which never
// blocks on a load) and reports CatalogFamilies of it.
class CatalogCollector : public prometheus::Collectable {
 public:
  explicit CatalogCollector(std::function<accord::v1::CatalogStatus()> status)
      : status_(std::move(status)) {}
  std::vector<prometheus::MetricFamily> Collect() const override {
    return CatalogFamilies(status_());
  }

 private:
  const std::function<accord::v1::CatalogStatus()> status_;
};

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_CATALOG_METRICS_H_
