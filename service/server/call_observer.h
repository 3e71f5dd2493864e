// A gRPC server interceptor that observes every call from start to status:
// it records the grpc_server_* metrics and, when asked, writes one access
// log line per call with the method, status code, duration, peer and the
// W3C trace id of the caller's `traceparent` metadata.
#ifndef ACCORD_SERVICE_SERVER_CALL_OBSERVER_H_
#define ACCORD_SERVICE_SERVER_CALL_OBSERVER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"
#include "grpcpp/support/status.h"
#include "service/server/grpc_metrics.h"
#include "service/server/log.h"

namespace accord::server {

// The fields of one access log line, in order: method, code, duration_ms,
// peer, and trace_id when the call carried a valid traceparent.
LogFields AccessLogFields(absl::string_view method, grpc::StatusCode code, absl::Duration elapsed,
                          absl::string_view peer, absl::string_view trace_id);

// Makes one CallObserver per call. `metrics` may be null (no metrics); it
// must outlive the server.
class CallObserverFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  CallObserverFactory(GrpcServerMetrics* metrics, bool access_log)
      : metrics_(metrics), access_log_(access_log) {}

  // Returns nullptr (no interceptor at all) when there is nothing to do.
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  GrpcServerMetrics* const metrics_;
  const bool access_log_;
};

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_CALL_OBSERVER_H_
