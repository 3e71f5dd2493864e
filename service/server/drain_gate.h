// Refuses new calls while the server drains before it shuts down.
#ifndef ACCORD_SERVICE_SERVER_DRAIN_GATE_H_
#define ACCORD_SERVICE_SERVER_DRAIN_GATE_H_

#include <atomic>

#include "absl/status/status.h"

namespace accord::server {

// Open until Close(); then Check() refuses every call with UNAVAILABLE
// (reason SHUTTING_DOWN), which clients may retry on another replica.
// Thread-safe.
class DrainGate {
 public:
  void Close() { closed_.store(true, std::memory_order_release); }
  bool closed() const { return closed_.load(std::memory_order_acquire); }
  // OK while open; UNAVAILABLE once closed.
  absl::Status Check() const;

 private:
  std::atomic<bool> closed_{false};
};

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_DRAIN_GATE_H_
