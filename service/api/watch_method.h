// Watch: a server-streaming RPC that sends a filtered snapshot of a
// collection and then the changes of every reload (docs/watch.md).
//
// Each stream is a grpc::ServerWriteReactor holding a cursor into the shared
// change log (service/watch), never a queue of its own: at most one
// response is in flight, and the next one is built from the log when the
// previous write completes, or when the hub wakes the stream (a reload, a
// heartbeat tick, shutdown). Nothing in a stream blocks.
#ifndef ACCORD_SERVICE_API_WATCH_METHOD_H_
#define ACCORD_SERVICE_API_WATCH_METHOD_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "accord/v1/accord_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "service/api/handlers.h"
#include "service/watch/change_log.h"

namespace accord::api {

// Bounds of one stream's responses.
struct WatchLimits {
  // Most events in one response.
  int max_events_per_response = 500;
  // A response stops taking events once it holds this many bytes of records
  // (one record larger than that still goes, alone).
  size_t max_bytes_per_response = size_t{1} << 20;
  // How often idle streams are looked at for a heartbeat due.
  absl::Duration tick = absl::Milliseconds(100);
};

// Something the hub can wake: a stream, through a handle it can detach
// from before it is destroyed.
class WatchWaker {
 public:
  virtual ~WatchWaker() = default;
  // Builds and starts the stream's next write if it has none in flight.
  virtual void Wake() = 0;
};

// Wakes every watch stream after each change-log append, on a timer tick
// (heartbeats), and on shutdown. One ticker thread for all streams.
class WatchHub {
 public:
  // `log` must outlive the hub; the hub becomes its listener.
  WatchHub(watch::ChangeLog* log, WatchLimits limits);
  ~WatchHub();
  WatchHub(const WatchHub&) = delete;
  WatchHub& operator=(const WatchHub&) = delete;

  // Ends every stream with UNAVAILABLE (reason SHUTTING_DOWN) as soon as
  // its write in flight, if any, completes; new streams are refused the
  // same way. For the server's drain.
  void Shutdown();
  bool shutting_down() const { return shutting_down_.load(std::memory_order_acquire); }

  // A handle for a stream: Wake() calls the stream's Wake() until Detach().
  class Handle : public std::enable_shared_from_this<Handle> {
   public:
    explicit Handle(WatchWaker* waker) : waker_(waker) {}
    void Wake();
    // After it returns, the stream is never called again.
    void Detach();

   private:
    std::mutex mu_;
    WatchWaker* waker_ ABSL_GUARDED_BY(mu_);
  };
  // Registers a stream; the hub keeps a weak reference.
  void Register(const std::shared_ptr<Handle>& handle);
  // Streams registered and not yet gone.
  size_t streams() const;

  watch::ChangeLog* log() const { return log_; }
  const WatchLimits& limits() const { return limits_; }

 private:
  void WakeAll();
  void Tick();

  watch::ChangeLog* const log_;
  const WatchLimits limits_;
  std::atomic<bool> shutting_down_{false};
  mutable std::mutex mu_;
  std::vector<std::weak_ptr<Handle>> handles_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::condition_variable cv_;
  std::thread ticker_;
};

// Starts one Watch stream. The call guard (`env`) runs first. `hub` may be
// null: the stream then fails UNIMPLEMENTED (a server without a change log).
grpc::ServerWriteReactor<v1::WatchResponse>* StartWatch(const HandlerEnv& env, WatchHub* hub,
                                                        grpc::CallbackServerContext* context,
                                                        const v1::WatchRequest* request);

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_WATCH_METHOD_H_
