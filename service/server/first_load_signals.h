// Signals while the first catalogue loads, before anything serves.
#ifndef ACCORD_SERVICE_SERVER_FIRST_LOAD_SIGNALS_H_
#define ACCORD_SERVICE_SERVER_FIRST_LOAD_SIGNALS_H_

#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace accord::server {

// Takes the blocked `signals` (SIGTERM, SIGINT, SIGHUP) on a thread of its
// own while the first catalogue loads. Nothing serves yet, so there is
// nothing to drain: SIGTERM or SIGINT calls `stop` with the signal at once
// (the server passes a function that logs and exits), instead of the
// process waiting out a load that can take tens of seconds from sources at
// 1M agreements while its supervisor's grace period runs. A SIGHUP is
// remembered: the catalogue may have changed after the load read it, so
// the server reloads once it serves (reload_requested()).
//
// Every thread must already block `signals` (pthread_sigmask), so that
// they stay pending for this thread. Signals that arrive after Finish()
// stay pending for whoever waits for them next.
class FirstLoadSignals {
 public:
  // Starts watching. `stop` runs on the watching thread; if it returns,
  // the thread stops watching.
  FirstLoadSignals(const sigset_t& signals, std::function<void(int signal)> stop);
  ~FirstLoadSignals();  // Finish()
  FirstLoadSignals(const FirstLoadSignals&) = delete;
  FirstLoadSignals& operator=(const FirstLoadSignals&) = delete;

  // Stops watching (within about 50 ms) and joins the thread. Idempotent.
  void Finish();
  // Whether a SIGHUP arrived while watching.
  bool reload_requested() const { return reload_requested_.load(); }

 private:
  void Loop(sigset_t signals);

  const std::function<void(int)> stop_;
  std::atomic<bool> finished_{false};
  std::atomic<bool> reload_requested_{false};
  std::thread thread_;
};

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_FIRST_LOAD_SIGNALS_H_
