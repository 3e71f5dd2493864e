#include "service/watch/change_log.h"

#include <random>
#include <utility>

namespace accord::watch {

namespace {

uint64_t RandomLineage() {
  std::random_device device;
  uint64_t value = (uint64_t{device()} << 32) ^ device();
  return value == 0 ? 1 : value;
}

}  // namespace

ChangeLog::ChangeLog(Options options) : options_(options), lineage_(RandomLineage()) {}

void ChangeLog::Append(std::shared_ptr<const serving::ServingCatalog> next) {
  Head previous = head();
  std::function<void()> listener;
  if (previous.catalog == nullptr) {
    std::lock_guard<std::mutex> lock(mu_);
    head_ = Head{previous.seq + 1, std::move(next)};
    listener = listener_;
  } else {
    // The diff runs outside the lock: readers keep reading the log.
    auto logged = std::make_shared<LoggedVersion>();
    logged->seq = previous.seq + 1;
    logged->version = next->version();
    logged->changes = Diff(&previous.catalog->storage(), next->storage());
    for (const Change& change : logged->changes) logged->bytes += ChangeBytes(change);
    std::lock_guard<std::mutex> lock(mu_);
    bytes_ += logged->bytes;
    log_.push_back(std::move(logged));
    head_ = Head{previous.seq + 1, std::move(next)};
    EvictLocked();
    listener = listener_;
  }
  if (listener) listener();
}

void ChangeLog::EvictLocked() {
  while (log_.size() > 1 && (log_.size() > options_.max_versions || bytes_ > options_.max_bytes)) {
    bytes_ -= log_.front()->bytes;
    log_.pop_front();
  }
  if (options_.max_versions == 0 && !log_.empty()) {
    bytes_ = 0;
    log_.clear();
  }
}

void ChangeLog::SetListener(std::function<void()> listener) {
  std::lock_guard<std::mutex> lock(mu_);
  listener_ = std::move(listener);
}

ChangeLog::Head ChangeLog::head() const {
  std::lock_guard<std::mutex> lock(mu_);
  return head_;
}

ChangeLog::Lookup ChangeLog::Next(uint64_t cursor) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (cursor == head_.seq) return Lookup{Lookup::Kind::kCaughtUp, nullptr};
  if (cursor > head_.seq) return Lookup{Lookup::Kind::kAhead, nullptr};
  if (log_.empty() || cursor + 1 < log_.front()->seq) {
    return Lookup{Lookup::Kind::kEvicted, nullptr};
  }
  return Lookup{Lookup::Kind::kFound, log_[cursor + 1 - log_.front()->seq]};
}

uint64_t ChangeLog::oldest_cursor() const {
  std::lock_guard<std::mutex> lock(mu_);
  return log_.empty() ? head_.seq : log_.front()->seq - 1;
}

size_t ChangeLog::versions() const {
  std::lock_guard<std::mutex> lock(mu_);
  return log_.size();
}

size_t ChangeLog::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

}  // namespace accord::watch
