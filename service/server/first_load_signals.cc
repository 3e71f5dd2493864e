#include "service/server/first_load_signals.h"

#include <time.h>

#include <utility>

namespace accord::server {

FirstLoadSignals::FirstLoadSignals(const sigset_t& signals, std::function<void(int)> stop)
    : stop_(std::move(stop)), thread_([this, signals] { Loop(signals); }) {}

FirstLoadSignals::~FirstLoadSignals() { Finish(); }

void FirstLoadSignals::Finish() {
  finished_ = true;
  if (thread_.joinable()) thread_.join();
}

void FirstLoadSignals::Loop(sigset_t signals) {
  // A bounded wait, so that Finish() is seen without a signal of its own.
  const timespec tick{0, 50 * 1000 * 1000};
  while (!finished_) {
    const int signal = sigtimedwait(&signals, nullptr, &tick);
    if (signal == SIGHUP) {
      reload_requested_ = true;
    } else if (signal == SIGTERM || signal == SIGINT) {
      stop_(signal);
      return;
    }
  }
}

}  // namespace accord::server
