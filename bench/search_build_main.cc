// accord_search_build_bench: how long loading a catalogue takes with and
// without its full-text search index (service/search), in one process:
//   accord_search_build_bench --catalogue=DIR [--threads=N]
// Prints one line of key=value pairs: load_seconds (read, validate, index),
// search_index_seconds (the Xapian build on top), documents, peak RSS.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "service/serving/serving_catalog.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  int threads = 0;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--catalogue=")) dir = std::string(arg);
    if (absl::ConsumePrefix(&arg, "--threads=") && !absl::SimpleAtoi(arg, &threads)) return 2;
  }
  auto start = std::chrono::steady_clock::now();
  accord::catalog::LoadLimits limits;
  limits.max_total_bytes = int64_t{64} << 30;
  auto loaded = accord::serving::ServingCatalog::Load(dir, limits);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
    return 1;
  }
  const double load_s = Seconds(start);
  start = std::chrono::steady_clock::now();
  accord::search::BuildOptions options;
  options.threads = threads;
  auto with_index = accord::serving::ServingCatalog::WithSearchIndex(*std::move(loaded), options);
  if (!with_index.ok()) {
    std::fprintf(stderr, "%s\n", with_index.status().ToString().c_str());
    return 1;
  }
  const double search_s = Seconds(start);
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  std::printf(
      "load_seconds=%.2f search_index_seconds=%.2f total_seconds=%.2f documents=%zu "
      "peak_rss_mb=%.0f\n",
      load_s, search_s, load_s + search_s, (*with_index)->search_index()->document_count(),
      u.ru_maxrss / 1024.0);
  return 0;
}
