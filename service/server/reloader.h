// Runs catalogue reloads on a thread of their own.
#ifndef ACCORD_SERVICE_SERVER_RELOADER_H_
#define ACCORD_SERVICE_SERVER_RELOADER_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "service/catalog/catalog_store.h"

namespace accord::server {

// Reloads `store` on a dedicated thread whenever asked, so that the thread
// taking signals never waits for a load and can act on SIGTERM at once.
// Requests made while a reload runs are coalesced into one more reload
// after it. `done` is called on the reload thread after each reload with
// its result.
class Reloader {
 public:
  Reloader(catalog::CatalogStore* store, std::function<void(const absl::Status&)> done);
  ~Reloader();  // Stop()
  Reloader(const Reloader&) = delete;
  Reloader& operator=(const Reloader&) = delete;

  // Asks for a reload; returns at once.
  void Request();
  // Drops any pending request and waits for a running reload to end (a load
  // is bounded by the catalogue size cap). Idempotent.
  void Stop();
  // Reloads completed so far (for tests).
  int completed() const;

 private:
  void Loop();

  catalog::CatalogStore* const store_;
  const std::function<void(const absl::Status&)> done_;
  // std::mutex rather than absl::Mutex: TSan sees pthread mutexes (see
  // catalog_store.h).
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool pending_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int completed_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_RELOADER_H_
