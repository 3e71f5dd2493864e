#include "service/server/catalog_metrics.h"

#include <algorithm>
#include <map>
#include <string>

namespace accord::server {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

double Seconds(const google::protobuf::Timestamp& t) { return t.seconds() + t.nanos() / 1e9; }

ClientMetric Value(MetricType type, double value, std::vector<ClientMetric::Label> labels = {}) {
  ClientMetric metric;
  metric.label = std::move(labels);
  if (type == MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return metric;
}

}  // namespace

std::vector<MetricFamily> CatalogFamilies(const accord::v1::CatalogStatus& status) {
  std::vector<MetricFamily> families;
  const bool serving = !status.version().empty();
  if (serving) {
    families.push_back(
        {"accord_catalog_info",
         "The serving catalogue: its version and directory; always 1.",
         MetricType::Gauge,
         {Value(MetricType::Gauge, 1,
                {{"directory", status.directory()}, {"version", status.version()}})}});
    MetricFamily records{"accord_catalog_records",
                         "Records per collection in the serving catalogue.",
                         MetricType::Gauge,
                         {}};
    // Sorted, so that the exposition is stable.
    std::map<std::string, int64_t> counts(status.record_counts().begin(),
                                          status.record_counts().end());
    for (const auto& [collection, count] : counts) {
      records.metric.push_back(
          Value(MetricType::Gauge, static_cast<double>(count), {{"collection", collection}}));
    }
    families.push_back(std::move(records));
    families.push_back({"accord_catalog_load_duration_seconds",
                        "How long loading the serving catalogue took.",
                        MetricType::Gauge,
                        {Value(MetricType::Gauge, status.load_duration_ms() / 1e3)}});
    families.push_back({"accord_catalog_last_load_timestamp_seconds",
                        "When the serving catalogue was loaded (the last good load), "
                        "seconds since the epoch.",
                        MetricType::Gauge,
                        {Value(MetricType::Gauge, Seconds(status.load_time()))}});
  }
  families.push_back(
      {"accord_catalog_reloads_total",
       "Catalogue reloads after the first load (SIGHUP or --watch_catalog), by result.",
       MetricType::Counter,
       {Value(MetricType::Counter, static_cast<double>(status.failed_reload_count()),
              {{"result", "failure"}}),
        Value(MetricType::Counter, static_cast<double>(status.reload_count()),
              {{"result", "success"}})}});
  if (status.has_last_attempt_time()) {
    families.push_back({"accord_catalog_last_reload_attempt_timestamp_seconds",
                        "When a catalogue load was last attempted, seconds since the epoch.",
                        MetricType::Gauge,
                        {Value(MetricType::Gauge, Seconds(status.last_attempt_time()))}});
  }
  return families;
}

}  // namespace accord::server
