// Server-side gRPC call metrics under the names of the grpc-ecosystem
// middleware (go-grpc-prometheus / go-grpc-middleware), so that existing
// dashboards and alerts work unchanged:
//
//   grpc_server_started_total{grpc_type,grpc_service,grpc_method}
//   grpc_server_handled_total{grpc_type,grpc_service,grpc_method,grpc_code}
//   grpc_server_handling_seconds{grpc_type,grpc_service,grpc_method} (histogram)
//
// grpc_type is unary, client_stream, server_stream or bidi_stream; grpc_code
// is the Go name of the status code (OK, NotFound, InvalidArgument, ...).
#ifndef ACCORD_SERVICE_SERVER_GRPC_METRICS_H_
#define ACCORD_SERVICE_SERVER_GRPC_METRICS_H_

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"
#include "grpcpp/support/status.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace accord::server {

// The Go name of a status code, as grpc_code: "OK", "NotFound", ...
absl::string_view GrpcCodeName(grpc::StatusCode code);

// The grpc_type label of a call type: "unary", "server_stream", ...
absl::string_view GrpcTypeName(grpc::experimental::ServerRpcInfo::Type type);

// Buckets of grpc_server_handling_seconds, in seconds: Prometheus's default
// buckets with finer ones below 5 ms, where Accord's calls fall.
const std::vector<double>& HandlingSecondsBuckets();

// The series of one method. Thread-safe; pointers stay valid as long as the
// GrpcServerMetrics that made them.
class MethodMetrics {
 public:
  void Started() { started_->Increment(); }
  void Handled(grpc::StatusCode code, absl::Duration elapsed);

 private:
  friend class GrpcServerMetrics;
  MethodMetrics() = default;
  prometheus::Labels labels_;  // grpc_type, grpc_service, grpc_method
  prometheus::Family<prometheus::Counter>* handled_family_ = nullptr;
  prometheus::Counter* started_ = nullptr;
  prometheus::Histogram* seconds_ = nullptr;
  // One counter per status code, made on first use (Family::Add returns the
  // same counter for the same labels, so a race only repeats a lookup).
  std::array<std::atomic<prometheus::Counter*>, 17> handled_{};
};

// The three families, registered in a registry, and the per-method series.
class GrpcServerMetrics {
 public:
  // Registers the families in `registry` and makes the series of every
  // method of `services` (full names, e.g. "accord.v1.AccordService", found
  // in the generated descriptor pool), so that the request path does not
  // take a lock. Other methods get their series on first use.
  GrpcServerMetrics(prometheus::Registry& registry, const std::vector<std::string>& services);

  // The series of `method` ("/package.Service/Method") of call type `type`.
  MethodMetrics* ForMethod(absl::string_view method, grpc::experimental::ServerRpcInfo::Type type);

 private:
  MethodMetrics* Make(absl::string_view method, grpc::experimental::ServerRpcInfo::Type type);

  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& seconds_;
  // Filled in the constructor, read-only afterwards.
  absl::flat_hash_map<std::string, std::unique_ptr<MethodMetrics>> known_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<MethodMetrics>> other_ ABSL_GUARDED_BY(mu_);
};

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_GRPC_METRICS_H_
