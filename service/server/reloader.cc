#include "service/server/reloader.h"

#include <utility>

namespace accord::server {

Reloader::Reloader(catalog::CatalogStore* store, std::function<void(const absl::Status&)> done)
    : store_(store), done_(std::move(done)), thread_([this] { Loop(); }) {}

Reloader::~Reloader() { Stop(); }

void Reloader::Request() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    pending_ = true;
  }
  wake_.notify_one();
}

void Reloader::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    pending_ = false;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

int Reloader::completed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return completed_;
}

void Reloader::Loop() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return pending_ || stopping_; });
      if (stopping_) return;
      pending_ = false;
    }
    absl::Status status = store_->Reload();
    if (done_) done_(status);
    std::lock_guard<std::mutex> lock(mu_);
    ++completed_;
  }
}

}  // namespace accord::server
