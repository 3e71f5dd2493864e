#include "service/catalog/reclaimer.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <utility>

namespace accord::catalog {

Reclaimer::~Reclaimer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
  // Never started (nothing handed over), or the thread drained the queue
  // before leaving: nothing remains. Run anything left regardless.
  std::deque<absl::AnyInvocable<void()>> left;
  {
    std::lock_guard<std::mutex> lock(mu_);
    left.swap(queue_);
  }
  for (auto& release : left) release();
}

void Reclaimer::Release(absl::AnyInvocable<void()> release) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(release));
    ++handed_;
    if (!started_) {
      started_ = true;
      thread_ = std::thread([this] { Run(); });
    }
  }
  changed_.notify_all();
}

void Reclaimer::Run() {
  // Freeing is never urgent: on a busy machine it yields to the threads
  // that serve (Linux applies a nice value per thread).
  const pid_t tid = static_cast<pid_t>(syscall(SYS_gettid));
  const int now = getpriority(PRIO_PROCESS, tid);
  if (now < kNice) setpriority(PRIO_PROCESS, tid, kNice);
  for (;;) {
    absl::AnyInvocable<void()> release;
    {
      std::unique_lock<std::mutex> lock(mu_);
      changed_.wait(
          lock, [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything has run
      release = std::move(queue_.front());
      queue_.pop_front();
    }
    release();
    release = nullptr;  // whatever the function owned is freed before it counts as done
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++completed_;
    }
    changed_.notify_all();
  }
}

void Reclaimer::Drain() {
  std::unique_lock<std::mutex> lock(mu_);
  const int64_t target = handed_;
  changed_.wait(lock,
                [this, target]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return completed_ >= target; });
}

int64_t Reclaimer::completed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return completed_;
}

Reclaimer& Reclaimer::Default() {
  static Reclaimer reclaimer;
  return reclaimer;
}

}  // namespace accord::catalog
