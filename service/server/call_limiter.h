// Bounds the calls alive on one connection, whatever the transport allows.
#ifndef ACCORD_SERVICE_SERVER_CALL_LIMITER_H_
#define ACCORD_SERVICE_SERVER_CALL_LIMITER_H_

#include <memory>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"

namespace accord::server {

// gRPC 1.51 enforces MAX_CONCURRENT_STREAMS only once the client has ACKed
// the server's SETTINGS, so a client that never ACKs can open any number of
// calls on one connection; if it also never opens its flow-control window,
// every response stays buffered in the server (a gigabyte for 20 000
// calls). CallLimiter counts the calls alive per connection (from the
// moment gRPC creates them until it destroys them, i.e. including responses
// still waiting to be sent), and Check() refuses a call that would exceed
// the limit with RESOURCE_EXHAUSTED (reason TOO_MANY_CALLS), an answer made
// of HEADERS alone, which flow control does not hold back.
//
// Register Factory() with the ServerBuilder; call Check() at the start of
// every handler. Thread-safe.
class CallLimiter {
 public:
  explicit CallLimiter(int max_calls_per_connection) : max_(max_calls_per_connection) {}
  CallLimiter(const CallLimiter&) = delete;
  CallLimiter& operator=(const CallLimiter&) = delete;

  // An interceptor factory whose interceptors count the calls per peer
  // (connection address). The limiter must outlive the server.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> Factory();

  // OK if the call's connection has at most the limit of calls alive
  // (counting this one); RESOURCE_EXHAUSTED otherwise.
  absl::Status Check(const grpc::ServerContextBase& context) const;

  // Calls alive on `peer` now (for tests).
  int AliveOn(const std::string& peer) const;

  // Counting, used by the interceptors.
  void Add(const std::string& peer);
  void Remove(const std::string& peer);

 private:
  const int max_;
  mutable std::mutex mu_;
  absl::flat_hash_map<std::string, int> alive_ ABSL_GUARDED_BY(mu_);
};

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_CALL_LIMITER_H_
