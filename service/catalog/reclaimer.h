// Frees memory off the caller's thread: a load hands over what it no longer
// needs (the parsed catalogue, whose arena runs one destructor per string)
// and returns at once, so that serving starts while the memory is freed.
#ifndef ACCORD_SERVICE_CATALOG_RECLAIMER_H_
#define ACCORD_SERVICE_CATALOG_RECLAIMER_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"

namespace accord::catalog {

// One background thread that runs release functions in the order they were
// handed over, one at a time (so that two loads' frees never compete for
// the cores with each other, only with the caller).
//
// Contract: a function handed to Release runs exactly once, on the
// reclaimer's thread (at nice kNice, or lower priority), after Release
// returns; Drain waits for every function handed over before it was called;
// the destructor runs every function still queued and joins the thread, so
// nothing handed over is leaked or still running once the reclaimer is
// gone. Thread-safe.
class Reclaimer {
 public:
  Reclaimer() = default;
  Reclaimer(const Reclaimer&) = delete;
  Reclaimer& operator=(const Reclaimer&) = delete;
  // Runs what is still queued, then joins the thread.
  ~Reclaimer();

  // Queues `release` (typically a lambda owning what it frees) and returns
  // without running it. Starts the thread on first use.
  void Release(absl::AnyInvocable<void()> release);
  // Blocks until every function handed over before this call has run.
  void Drain();
  // How many functions have run so far.
  int64_t completed() const;

  // The nice value of the reclaimer's thread (raised to it on start, so
  // that the free yields to serving threads on a busy machine).
  static constexpr int kNice = 10;

  // The process-wide reclaimer the server's loads use. A function-local
  // static: destroyed (so drained and joined) when the process exits
  // normally, before the leak check of a sanitizer build.
  static Reclaimer& Default();

 private:
  void Run();

  // std::mutex, not absl::Mutex: the sanitizer build instruments only
  // Accord's code, and TSan sees pthread locks but not the synchronisation
  // inside Debian's uninstrumented Abseil.
  mutable std::mutex mu_;
  std::condition_variable changed_;  // queue_, stopping_ or completed_ changed
  std::deque<absl::AnyInvocable<void()>> queue_ ABSL_GUARDED_BY(mu_);
  int64_t handed_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t completed_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // started under mu_, joined by the destructor
};

}  // namespace accord::catalog

#endif  // ACCORD_SERVICE_CATALOG_RECLAIMER_H_
