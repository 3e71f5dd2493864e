// Holds the serving catalogue and replaces it, whole, on reload.
#ifndef ACCORD_SERVICE_SERVING_CATALOG_STORE_H_
#define ACCORD_SERVICE_SERVING_CATALOG_STORE_H_

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "accord/v1/catalog.pb.h"
#include "service/serving/serving_catalog.h"

namespace accord::serving {

// Owns the serving snapshot. Readers take a reference with Current(), which
// never blocks on a load; Reload() builds the next snapshot off the request
// path and swaps it in atomically, so a request sees one catalogue from
// start to end. A failed load leaves the serving snapshot in place.
class CatalogStore {
 public:
  struct Options {
    // Bounds on what one load reads (--max_catalog_bytes).
    catalog::LoadLimits limits;
    // Accept a load that leaves a collection empty which had records in the
    // serving snapshot, or a catalogue with no record at all. Off by
    // default: an empty collection is far more often a lost file than an
    // intended change (--allow_empty_collections).
    bool allow_empty_collections = false;
    // Called with each catalogue made serving (the first one too), right
    // after the swap, before the reload is counted in Status(), and still
    // under the reload lock, so calls come one at a time and in order: a
    // status that counts a reload finds its changes logged. Watch's change
    // log (service/watch) is fed by it.
    std::function<void(std::shared_ptr<const ServingCatalog>)> on_swap;
    // Build the full-text search index with every load, before the
    // catalogue serves (--search_index). Off: Search answers
    // UNIMPLEMENTED (SEARCH_DISABLED).
    bool search_index = true;
    // How the search index is built (threads, temp dir).
    search::BuildOptions search;
  };

  explicit CatalogStore(std::string directory) : CatalogStore(std::move(directory), Options()) {}
  CatalogStore(std::string directory, Options options);

  // Loads the directory (and, with options.search_index, builds its search
  // index) and, if it is valid, makes it the serving snapshot.
  // Returns the load error otherwise; the previous snapshot keeps serving.
  // Unless options.allow_empty_collections, a load is an error
  // (FailedPrecondition naming the collection) if it holds no record at
  // all, or if a collection that has records in the serving snapshot would
  // have none.
  // Loads are serialised; safe to call from any thread.
  absl::Status Reload();

  // The serving snapshot, or nullptr before the first successful load.
  std::shared_ptr<const ServingCatalog> Current() const { return std::atomic_load(&current_); }

  // What is serving and how the last load went, for GetCatalogStatus.
  accord::v1::CatalogStatus Status() const;

  const std::string& directory() const { return directory_; }

 private:
  const std::string directory_;
  const Options options_;
  std::shared_ptr<const ServingCatalog> current_;  // accessed with std::atomic_load/store
  // std::mutex rather than absl::Mutex: the system Abseil is not built with
  // ThreadSanitizer, so TSan could not see absl::Mutex's happens-before
  // edges; pthread mutexes it intercepts.
  std::mutex reload_mu_;  // serialises Reload()
  mutable std::mutex status_mu_;
  absl::Time last_attempt_;     // guarded by status_mu_
  std::string last_error_;      // guarded by status_mu_
  int64_t reloads_ = 0;         // guarded by status_mu_
  int64_t failed_reloads_ = 0;  // guarded by status_mu_
};

}  // namespace accord::serving

#endif  // ACCORD_SERVICE_SERVING_CATALOG_STORE_H_
