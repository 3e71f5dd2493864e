// Process metrics under the standard client-library names
// (process_cpu_seconds_total, process_resident_memory_bytes, ...), read from
// /proc/self at scrape time. prometheus-cpp has no process collector.
#ifndef ACCORD_SERVICE_SERVER_PROCESS_METRICS_H_
#define ACCORD_SERVICE_SERVER_PROCESS_METRICS_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace accord::server {

// The fields of /proc/<pid>/stat that the metrics use (proc(5)).
struct ProcStat {
  uint64_t utime_ticks = 0;  // field 14
  uint64_t stime_ticks = 0;  // field 15
  uint64_t start_ticks = 0;  // field 22, clock ticks after boot
  uint64_t vsize_bytes = 0;  // field 23
  int64_t rss_pages = 0;     // field 24
};

// Parses the contents of /proc/<pid>/stat. The command name (field 2) may
// hold spaces and parentheses, so fields are counted after its last ')'.
std::optional<ProcStat> ParseProcStat(absl::string_view text);

// Collects process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_max_fds and
// process_start_time_seconds for this process. A value that cannot be read
// is left out of the scrape rather than reported wrong.
class ProcessCollector : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_PROCESS_METRICS_H_
