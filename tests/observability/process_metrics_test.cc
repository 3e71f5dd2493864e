#include "service/server/process_metrics.h"

#include <unistd.h>

#include <map>
#include <string>

#include "gtest/gtest.h"

namespace accord::server {
namespace {

TEST(ParseProcStat, CountsFieldsAfterTheCommandName) {
  // A command name with spaces and a ')' of its own, as proc(5) allows.
  std::string text =
      "4242 (accord) (x y) S 1 4242 4242 0 -1 4194560 1200 0 0 0 "
      "250 75 0 0 20 0 9 0 123456 987654321 5120 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 "
      "0 17 1 0 0 0 0 0\n";
  std::optional<ProcStat> stat = ParseProcStat(text);
  ASSERT_TRUE(stat.has_value());
  EXPECT_EQ(stat->utime_ticks, 250u);
  EXPECT_EQ(stat->stime_ticks, 75u);
  EXPECT_EQ(stat->start_ticks, 123456u);
  EXPECT_EQ(stat->vsize_bytes, 987654321u);
  EXPECT_EQ(stat->rss_pages, 5120);
}

TEST(ParseProcStat, RejectsTruncatedOrGarbledText) {
  EXPECT_FALSE(ParseProcStat("").has_value());
  EXPECT_FALSE(ParseProcStat("4242 (accord) S 1 2 3").has_value());
  EXPECT_FALSE(ParseProcStat("4242 (accord) S 1 4242 4242 0 -1 4194560 1200 0 0 0 "
                             "x 75 0 0 20 0 9 0 123456 987654321 5120 1")
                   .has_value());
}

std::map<std::string, double> Collected() {
  std::map<std::string, double> values;
  for (const prometheus::MetricFamily& family : ProcessCollector().Collect()) {
    const prometheus::ClientMetric& metric = family.metric.at(0);
    values[family.name] =
        family.type == prometheus::MetricType::Counter ? metric.counter.value : metric.gauge.value;
  }
  return values;
}

TEST(ProcessCollector, ReportsThisProcess) {
  std::map<std::string, double> before = Collected();
  ASSERT_EQ(before.size(), 6u);
  EXPECT_GT(before["process_resident_memory_bytes"], 1 << 20);
  EXPECT_GE(before["process_virtual_memory_bytes"], before["process_resident_memory_bytes"]);
  EXPECT_GT(before["process_start_time_seconds"], 1.6e9);  // after 2020
  EXPECT_LE(before["process_start_time_seconds"], static_cast<double>(time(nullptr)) + 1);
  EXPECT_GT(before["process_max_fds"], 0);
  // Opening a descriptor shows in the next scrape.
  int fd = dup(STDERR_FILENO);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(Collected()["process_open_fds"], before["process_open_fds"] + 1);
  close(fd);
  // CPU time never goes backwards, and burning some shows.
  volatile double sink = 0;
  for (int i = 0; i < 50'000'000; ++i) sink = sink + i * 0.5;
  EXPECT_GT(Collected()["process_cpu_seconds_total"], before["process_cpu_seconds_total"]);
}

}  // namespace
}  // namespace accord::server
