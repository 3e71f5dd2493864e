// The change feed behind Watch: a bounded in-memory log of the changes each
// reload made, shared by every watch stream.
#ifndef ACCORD_SERVICE_WATCH_CHANGE_LOG_H_
#define ACCORD_SERVICE_WATCH_CHANGE_LOG_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "service/serving/serving_catalog.h"
#include "service/watch/change_set.h"

namespace accord::watch {

// The changes that produced one catalogue version. Immutable once logged.
struct LoggedVersion {
  // Position in the log's lineage: the first catalogue is 1, each reload
  // that swapped in a new catalogue adds 1.
  uint64_t seq = 0;
  // The catalogue version (ServingCatalog::version()).
  std::string version;
  // The changes from version seq-1, ordered as Diff() orders them.
  std::vector<Change> changes;
  // The memory the changes hold (ChangeBytes summed).
  size_t bytes = 0;
};

// A log of the last catalogue versions and their changes, bounded by a count
// of versions and by bytes (the oldest versions go first; the newest is
// always kept, whatever its size). Readers hold a cursor, a sequence
// number, and never a copy of the log: Next() hands out the shared,
// immutable version after it. Thread-safe.
class ChangeLog {
 public:
  struct Options {
    // Most versions kept (--watch_log_versions).
    size_t max_versions = 256;
    // Most bytes of changed records kept (--watch_log_bytes).
    size_t max_bytes = size_t{64} << 20;
  };

  // The catalogue serving now and its sequence number.
  struct Head {
    uint64_t seq = 0;  // 0 before the first Append
    std::shared_ptr<const serving::ServingCatalog> catalog;
  };

  // What Next() found after a cursor.
  struct Lookup {
    enum class Kind {
      kFound,     // `version` is the one after the cursor
      kCaughtUp,  // the cursor is at the head: nothing newer yet
      kEvicted,   // the version after the cursor is no longer in the log
      kAhead,     // the cursor is past the head (not from this log)
    };
    Kind kind = Kind::kCaughtUp;
    std::shared_ptr<const LoggedVersion> version;
  };

  ChangeLog() : ChangeLog(Options()) {}
  explicit ChangeLog(Options options);
  ChangeLog(const ChangeLog&) = delete;
  ChangeLog& operator=(const ChangeLog&) = delete;

  // Makes `next` the head, logging its changes from the previous head (the
  // first call logs nothing: there is no previous catalogue). Calls the
  // listener afterwards, outside the log's lock. Callers serialise Append
  // (CatalogStore calls it under its reload lock).
  void Append(std::shared_ptr<const serving::ServingCatalog> next);

  // Called after every Append, on the appending thread. Set it before the
  // first reader needs it.
  void SetListener(std::function<void()> listener);

  Head head() const;
  // The version after sequence number `cursor`.
  Lookup Next(uint64_t cursor) const;
  // The oldest cursor Next() can serve (the head's seq if the log is empty).
  uint64_t oldest_cursor() const;
  // A random number chosen when the log is made: tokens of another process
  // (another lineage) carry another one.
  uint64_t lineage() const { return lineage_; }
  // What the log holds now.
  size_t versions() const;
  size_t bytes() const;

 private:
  void EvictLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  const uint64_t lineage_;
  // std::mutex, as CatalogStore: TSan sees its happens-before edges.
  mutable std::mutex mu_;
  Head head_ ABSL_GUARDED_BY(mu_);
  std::deque<std::shared_ptr<const LoggedVersion>> log_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  std::function<void()> listener_ ABSL_GUARDED_BY(mu_);
};

}  // namespace accord::watch

#endif  // ACCORD_SERVICE_WATCH_CHANGE_LOG_H_
