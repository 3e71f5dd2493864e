#include "service/server/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace accord::server {
namespace {

std::optional<std::string> ReadFile(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Seconds since the epoch at boot: "btime" in /proc/stat.
std::optional<uint64_t> BootTime() {
  std::optional<std::string> stat = ReadFile("/proc/stat");
  if (!stat) return std::nullopt;
  for (absl::string_view line : absl::StrSplit(*stat, '\n')) {
    if (absl::ConsumePrefix(&line, "btime ")) {
      uint64_t value = 0;
      if (absl::SimpleAtoi(line, &value)) return value;
    }
  }
  return std::nullopt;
}

std::optional<int64_t> OpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return std::nullopt;
  int64_t count = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the directory stream's own descriptor
}

prometheus::MetricFamily Family(const char* name, const char* help, prometheus::MetricType type,
                                double value) {
  prometheus::MetricFamily family{name, help, type, {}};
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(metric);
  return family;
}

}  // namespace

std::optional<ProcStat> ParseProcStat(absl::string_view text) {
  size_t paren = text.rfind(')');
  if (paren == absl::string_view::npos) return std::nullopt;
  // After ") " come fields 3 (state), 4, ...
  std::vector<absl::string_view> fields =
      absl::StrSplit(text.substr(paren + 1), ' ', absl::SkipEmpty());
  constexpr size_t kFirst = 3;
  auto field = [&](size_t n) { return fields[n - kFirst]; };
  if (fields.size() < 24 - kFirst + 1) return std::nullopt;
  ProcStat stat;
  if (!absl::SimpleAtoi(field(14), &stat.utime_ticks) ||
      !absl::SimpleAtoi(field(15), &stat.stime_ticks) ||
      !absl::SimpleAtoi(field(22), &stat.start_ticks) ||
      !absl::SimpleAtoi(field(23), &stat.vsize_bytes) ||
      !absl::SimpleAtoi(field(24), &stat.rss_pages)) {
    return std::nullopt;
  }
  return stat;
}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> families;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  std::optional<std::string> text = ReadFile("/proc/self/stat");
  std::optional<ProcStat> stat = text ? ParseProcStat(*text) : std::nullopt;
  if (stat && ticks > 0) {
    families.push_back(
        Family("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
               MetricType::Counter, (stat->utime_ticks + stat->stime_ticks) / ticks));
    families.push_back(Family("process_resident_memory_bytes", "Resident memory size in bytes.",
                              MetricType::Gauge, stat->rss_pages * page));
    families.push_back(Family("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                              MetricType::Gauge, static_cast<double>(stat->vsize_bytes)));
    if (std::optional<uint64_t> boot = BootTime()) {
      families.push_back(Family("process_start_time_seconds",
                                "Start time of the process since unix epoch in seconds.",
                                MetricType::Gauge, *boot + stat->start_ticks / ticks));
    }
  }
  if (std::optional<int64_t> fds = OpenFds()) {
    families.push_back(Family("process_open_fds", "Number of open file descriptors.",
                              MetricType::Gauge, static_cast<double>(*fds)));
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    families.push_back(Family("process_max_fds", "Maximum number of open file descriptors.",
                              MetricType::Gauge, static_cast<double>(limit.rlim_cur)));
  }
  return families;
}

}  // namespace accord::server
