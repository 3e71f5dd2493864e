// accord_startup_bench: how long and how much memory loading a catalogue
// takes, in one of two modes, each meant to run in its own process (peak
// RSS is per process):
//   --mode=parse  read every *.binpb and parse it with protobuf, nothing else
//   --mode=load   as the server loads a directory (ServingCatalog::
//                 BuildFromSources): read, parse, validate, derive,
//                 arrange, index; prints each stage's seconds. `seconds`
//                 ends when the catalogue is ready to serve: the parsed
//                 catalogue is then still being freed on the background
//                 reclaimer (catalog::Reclaimer), which is waited for
//                 after, and reported as background_free_seconds (peak and
//                 serving RSS are read after it). With --query, the
//                 queries run first, overlapping that free, unless
//                 --query_after_free.
//   --mode=load_reparse  the same, but the indexes are built after storage
//                 by parsing the stored bytes again (index_seconds is then
//                 the rest of the build)
//   --mode=compiled --compiled=FILE  map FILE (accord_catalog compile of the
//                 same catalogue), check it, and read its indexes back: a
//                 replica's start-up; with --rebuild_indexes, the indexes
//                 are built from the mapped records instead (the compiled
//                 format 1 behaviour, for comparison)
// Prints one line of key=value pairs.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/strip.h"
#include "accord/v1/catalog.pb.h"
#include "google/protobuf/arena.h"
#include "service/catalog/loader.h"
#include "service/catalog/snapshot.h"
#include "service/engine/executor.h"
#include "service/query/checker.h"
#include "service/serving/serving_catalog.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// The resident set now (VmRSS), in kB: what serving holds once loaded.
long CurrentRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

long PeakRssKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  std::string query_filter;
  int query_repeat = 0;
  std::string mode = "load", dir, compiled;
  bool explain = false;
  bool rebuild_indexes = false;
  bool query_after_free = false;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--mode=")) mode = std::string(arg);
    if (absl::ConsumePrefix(&arg, "--catalogue=")) dir = std::string(arg);
    if (absl::ConsumePrefix(&arg, "--compiled=")) compiled = std::string(arg);
    if (arg == "--explain") explain = true;
    if (arg == "--rebuild_indexes") rebuild_indexes = true;
    if (arg == "--query_after_free") query_after_free = true;
    if (absl::ConsumePrefix(&arg, "--query=")) query_filter = std::string(arg);
    if (absl::ConsumePrefix(&arg, "--repeat=")) query_repeat = std::atoi(std::string(arg).c_str());
  }
  namespace fs = std::filesystem;
  uint64_t bytes = 0;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".binpb") {
      files.push_back(e.path());
      bytes += e.file_size();
    }
  }
  std::sort(files.begin(), files.end());
  const auto start = std::chrono::steady_clock::now();
  if (mode == "parse") {
    google::protobuf::Arena arena;
    auto* catalog = google::protobuf::Arena::CreateMessage<accord::v1::Catalog>(&arena);
    for (const fs::path& path : files) {
      std::ifstream in(path, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      if (!catalog->MergeFromString(ss.str())) return 1;
    }
    std::printf("mode=parse seconds=%.3f peak_rss_mb=%.1f file_mb=%.1f agreements=%d\n",
                Seconds(start), PeakRssKb() / 1024.0, bytes / 1048576.0,
                catalog->agreements_size());
    return 0;
  }
  if (mode == "compiled") {
    auto storage = accord::catalog::Snapshot::Open(compiled);
    if (!storage.ok()) {
      std::fprintf(stderr, "%s\n", storage.status().ToString().c_str());
      return 1;
    }
    const double open_s = Seconds(start);
    auto built = rebuild_indexes
                     ? absl::StatusOr<std::shared_ptr<const accord::serving::ServingCatalog>>(
                           accord::serving::ServingCatalog::Build(*std::move(storage)))
                     : accord::serving::ServingCatalog::FromStorage(*std::move(storage));
    if (!built.ok()) {
      std::fprintf(stderr, "%s\n", built.status().ToString().c_str());
      return 1;
    }
    const auto& snapshot = *built;
    size_t index_bytes = 0;
    for (auto id : accord::catalog::kAllCollections) {
      index_bytes += snapshot->collection(id).index().MemoryBytes();
    }
    std::printf(
        "mode=compiled seconds=%.3f open_check_seconds=%.3f index_seconds=%.3f "
        "peak_rss_mb=%.1f serving_rss_mb=%.1f file_mb=%.1f compiled_mb=%.1f index_mb=%.1f "
        "agreements=%zu\n",
        Seconds(start), open_s, Seconds(start) - open_s, PeakRssKb() / 1024.0,
        CurrentRssKb() / 1024.0, bytes / 1048576.0,
        std::filesystem::file_size(compiled) / 1048576.0, index_bytes / 1048576.0,
        snapshot->collection(accord::catalog::CollectionId::kAgreements).size());
    return 0;
  }
  accord::catalog::LoadLimits limits;
  limits.max_total_bytes = int64_t{1} << 40;  // a benchmark reads whatever it is given
  absl::StatusOr<accord::catalog::RawCatalog> raw =
      accord::catalog::ReadCatalogDirectory(dir, limits);
  if (!raw.ok()) {
    std::fprintf(stderr, "%s\n", raw.status().ToString().c_str());
    return 1;
  }
  const double read_s = Seconds(start);
  const auto build_start = std::chrono::steady_clock::now();
  // As the server loads a directory: indexes built from the parsed records;
  // with --mode=load_reparse, storage first, then indexes built by parsing
  // the stored bytes again (the load before BuildFromSources, for
  // comparison).
  absl::StatusOr<std::shared_ptr<const accord::serving::ServingCatalog>> snapshot;
  if (mode == "load_reparse") {
    auto storage = accord::catalog::Snapshot::Build(*std::move(raw), dir);
    if (storage.ok()) {
      snapshot = accord::serving::ServingCatalog::Build(*std::move(storage));
    } else {
      snapshot = storage.status();
    }
  } else {
    snapshot = accord::serving::ServingCatalog::BuildFromSources(*std::move(raw), dir);
  }
  if (!snapshot.ok()) {
    std::fprintf(stderr, "%s\n", snapshot.status().ToString().c_str());
    return 1;
  }
  const double build_s = Seconds(build_start);
  const double ready_s = Seconds(start);
  // The parse's memory, freed in the background: waited for (and timed)
  // here, or after the queries.
  double free_s = 0;
  auto drain = [&] {
    const auto t = std::chrono::steady_clock::now();
    accord::catalog::Reclaimer::Default().Drain();
    free_s = Seconds(t);
  };
  if (query_filter.empty() || query_after_free) drain();
  const auto& stages = (*snapshot)->storage().build_stages();
  // With --explain: the index share of the build (every collection
  // indexed again, timed; this doubles index memory, so peak RSS is only
  // meaningful without it) and which agreement fields are indexed.
  const auto index_start = std::chrono::steady_clock::now();
  for (auto id : accord::catalog::kAllCollections) {
    if (!explain || id == accord::catalog::CollectionId::kAgreements) continue;
    const auto& c = (*snapshot)->collection(id);
    const auto per = std::chrono::steady_clock::now();
    auto index = accord::index::CollectionIndex::Build(&c.records(), c.schema());
    if (explain)
      std::fprintf(stderr, "index %s: %.3f s\n",
                   std::string(accord::catalog::CollectionName(id)).c_str(), Seconds(per));
  }
  if (explain) {
    const auto& c = (*snapshot)->collection(accord::catalog::CollectionId::kAgreements);
    google::protobuf::Arena arena;
    std::vector<const google::protobuf::Message*> records;
    for (size_t i = 0; i < c.size(); ++i) records.push_back(c.Parse(i, &arena));
    for (const auto& f : c.schema().fields()) {
      const auto per = std::chrono::steady_clock::now();
      if (explain && c.index().field(f.get()) != nullptr && f->path.rfind("commitments.", 0) != 0) {
        std::vector<accord::query::Value> values;
        for (auto* r : records) {
          values.clear();
          f->extract(*r, &values);
        }
        std::fprintf(stderr, "  agreements.%s indexed; extract alone %.3f s\n", f->path.c_str(),
                     Seconds(per));
      } else if (explain) {
        std::fprintf(stderr, "  agreements.%s %s\n", f->path.c_str(),
                     c.index().field(f.get()) ? "indexed (from children)" : "not indexed");
      }
    }
  }
  const double index_s = Seconds(index_start);
  if (!query_filter.empty()) {
    // A filter's latency: median of --repeat calls of ExecuteList (page of
    // 50) over agreements.
    const auto& c = (*snapshot)->collection(accord::catalog::CollectionId::kAgreements);
    auto filter = accord::query::CompileFilter(query_filter, c.schema());
    if (!filter.ok()) {
      std::fprintf(stderr, "%s\n", filter.status().ToString().c_str());
      return 1;
    }
    std::vector<double> us;
    size_t total = 0;
    for (int i = 0; i < query_repeat; ++i) {
      accord::engine::ListQuery q;
      q.begin = 0;
      q.end = c.size();
      q.filter = &*filter;
      q.limit = 50;
      const auto t = std::chrono::steady_clock::now();
      auto page = accord::engine::ExecuteList(c, q);
      us.push_back(Seconds(t) * 1e6);
      if (page.ok()) total = page->total_size;
    }
    std::sort(us.begin(), us.end());
    std::printf("query=%s median_us=%.0f p90_us=%.0f matches=%zu\n", query_filter.c_str(),
                us[us.size() / 2], us[us.size() * 9 / 10], total);
  }
  if (!query_filter.empty() && !query_after_free) drain();
  size_t index_bytes = 0;
  for (auto id : accord::catalog::kAllCollections) {
    index_bytes += (*snapshot)->collection(id).index().MemoryBytes();
  }
  std::printf(
      "mode=%s seconds=%.3f background_free_seconds=%.3f read_parse_seconds=%.3f "
      "validate_derive_index_seconds=%.3f "
      "validate_seconds=%.3f derive_seconds=%.3f arrange_seconds=%.3f index_seconds=%.3f "
      "free_parse_seconds=%.3f "
      "reindex_others_seconds=%.3f "
      "peak_rss_mb=%.1f serving_rss_mb=%.1f file_mb=%.1f index_mb=%.1f agreements=%zu\n",
      mode.c_str(), ready_s, free_s, read_s, build_s, absl::ToDoubleSeconds(stages.validate),
      absl::ToDoubleSeconds(stages.derive), absl::ToDoubleSeconds(stages.arrange),
      mode == "load_reparse" ? build_s - absl::ToDoubleSeconds(stages.validate + stages.derive +
                                                               stages.arrange + stages.free_parse)
                             : absl::ToDoubleSeconds(stages.use_parsed),
      absl::ToDoubleSeconds(stages.free_parse), index_s, PeakRssKb() / 1024.0,
      CurrentRssKb() / 1024.0, bytes / 1048576.0, index_bytes / 1048576.0,
      (*snapshot)->collection(accord::catalog::CollectionId::kAgreements).size());
  return 0;
}
