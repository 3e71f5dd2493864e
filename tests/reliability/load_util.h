// A bounded load generator for the fault, load and soak tests.
#ifndef ACCORD_TESTS_RELIABILITY_LOAD_UTIL_H_
#define ACCORD_TESTS_RELIABILITY_LOAD_UTIL_H_

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "accord/v1/accord_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace accord::testing {

// Seconds from environment variable `name`, or `fallback`.
inline int EnvSeconds(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

struct LoadResult {
  int64_t requests = 0;
  int64_t errors = 0;
  double seconds = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  std::map<std::string, int64_t> error_kinds;  // "CODE: message" -> count
  // Set by the check callback for responses that break an invariant.
  int64_t inconsistent = 0;

  std::string Summary() const {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "requests=%lld errors=%lld inconsistent=%lld rps=%.0f p50=%.2fms p99=%.2fms "
                  "max=%.2fms",
                  static_cast<long long>(requests), static_cast<long long>(errors),
                  static_cast<long long>(inconsistent), requests / std::max(seconds, 1e-9), p50_ms,
                  p99_ms, max_ms);
    return buf;
  }
};

// Appends a line to $ACCORD_FIGURES_FILE (if set) and prints it.
inline void RecordFigure(const std::string& line) {
  std::printf("FIGURES %s\n", line.c_str());
  std::fflush(stdout);
  if (const char* path = std::getenv("ACCORD_FIGURES_FILE"); path != nullptr && *path) {
    std::ofstream(path, std::ios::app) << line << "\n";
  }
}

// Runs `threads` clients on `channel` until `stop` is set, each looping
// over a mix of List, Get and GetCatalogStatus calls; `pause` between
// calls (zero: flat out). `check` (optional) validates a List response.
class LoadGenerator {
 public:
  LoadGenerator(std::shared_ptr<grpc::Channel> channel, int threads,
                std::chrono::microseconds pause = std::chrono::microseconds(0),
                std::function<bool(const accord::v1::ListCooperationAreasResponse&)> check = {})
      : channel_(std::move(channel)), pause_(pause), check_(std::move(check)) {
    start_ = std::chrono::steady_clock::now();
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this, i] { Work(i); });
  }
  ~LoadGenerator() { Stop(); }

  LoadResult Stop() {
    stop_ = true;
    for (auto& w : workers_) {
      if (w.joinable()) w.join();
    }
    std::lock_guard<std::mutex> lock(mu_);
    result_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::sort(latencies_.begin(), latencies_.end());
    if (!latencies_.empty()) {
      result_.p50_ms = latencies_[latencies_.size() / 2];
      result_.p99_ms = latencies_[std::min(latencies_.size() - 1, latencies_.size() * 99 / 100)];
      result_.max_ms = latencies_.back();
    }
    return result_;
  }
  int64_t requests() const { return requests_.load(); }

 private:
  void Work(int id) {
    auto stub = accord::v1::AccordService::NewStub(channel_);
    std::vector<double> latencies;
    LoadResult local;
    for (int64_t n = 0; !stop_; ++n) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      auto begin = std::chrono::steady_clock::now();
      grpc::Status status;
      switch ((n + id) % 4) {
        case 0:
        case 1: {
          accord::v1::ListCooperationAreasRequest r;
          r.set_page_size(1000);
          if (n % 8 == 1)
            r.set_filter("parent = \"cooperationAreas/economic\" OR display_name:\"a\"");
          accord::v1::ListCooperationAreasResponse out;
          status = stub->ListCooperationAreas(&context, r, &out);
          if (status.ok() && check_ && !check_(out)) ++local.inconsistent;
          break;
        }
        case 2: {
          accord::v1::GetCountryRequest r;
          r.set_name("countries/my");
          accord::v1::Country out;
          status = stub->GetCountry(&context, r, &out);
          break;
        }
        default: {
          accord::v1::GetCatalogStatusRequest r;
          accord::v1::CatalogStatus out;
          status = stub->GetCatalogStatus(&context, r, &out);
          break;
        }
      }
      latencies.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin)
              .count());
      ++local.requests;
      ++requests_;
      if (!status.ok()) {
        ++local.errors;
        ++local.error_kinds[std::to_string(status.error_code()) + ": " + status.error_message()];
      }
      if (pause_.count() > 0) std::this_thread::sleep_for(pause_);
    }
    std::lock_guard<std::mutex> lock(mu_);
    result_.requests += local.requests;
    result_.errors += local.errors;
    result_.inconsistent += local.inconsistent;
    for (const auto& [k, v] : local.error_kinds) result_.error_kinds[k] += v;
    latencies_.insert(latencies_.end(), latencies.begin(), latencies.end());
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::chrono::microseconds pause_;
  std::function<bool(const accord::v1::ListCooperationAreasResponse&)> check_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> requests_{0};
  std::chrono::steady_clock::time_point start_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  LoadResult result_;
  std::vector<double> latencies_;
};

}  // namespace accord::testing

#endif  // ACCORD_TESTS_RELIABILITY_LOAD_UTIL_H_
