#include "service/server/call_observer.h"

#include <chrono>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "grpcpp/server_context.h"
#include "service/server/trace_context.h"

namespace accord::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Lives as long as the call; gRPC deletes it after the call is done.
class CallObserver : public grpc::experimental::Interceptor {
 public:
  CallObserver(grpc::experimental::ServerRpcInfo* info, MethodMetrics* metrics, bool access_log)
      : info_(info),
        metrics_(metrics),
        access_log_(access_log),
        start_(std::chrono::steady_clock::now()) {
    if (metrics_ != nullptr) metrics_->Started();
  }

  ~CallObserver() override {
    // A call that ends without the server sending a status (the client went
    // away first) still counts as handled: as Canceled, like grpc-go.
    if (!done_) Done(grpc::StatusCode::CANCELLED);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // Null when nothing (or nothing parseable) arrived.
      received_message_ = methods->GetRecvMessage() != nullptr;
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::StatusCode code = methods->GetSendStatus().error_code();
      // A unary call whose client went away before its request arrived is
      // finished by gRPC itself with UNIMPLEMENTED (gRPC 1.51), a status
      // nobody receives; count it as what it was, Canceled, as grpc-go does.
      if (code == grpc::StatusCode::UNIMPLEMENTED && !received_message_ &&
          info_->type() == grpc::experimental::ServerRpcInfo::Type::UNARY) {
        code = grpc::StatusCode::CANCELLED;
      }
      Done(code);
    }
    methods->Proceed();
  }

 private:
  void Done(grpc::StatusCode code) {
    done_ = true;
    absl::Duration elapsed = absl::FromChrono(std::chrono::steady_clock::now() - start_);
    if (metrics_ != nullptr) metrics_->Handled(code, elapsed);
    if (!access_log_) return;
    grpc::ServerContextBase* context = info_->server_context();
    std::string trace_id;
    std::string peer;
    if (context != nullptr) {
      peer = context->peer();
      const auto& metadata = context->client_metadata();
      if (auto it = metadata.find("traceparent"); it != metadata.end()) {
        if (std::optional<TraceParent> parsed =
                ParseTraceParent(absl::string_view(it->second.data(), it->second.size()))) {
          trace_id = std::move(parsed->trace_id);
        }
      }
    }
    Log("INFO", "access", AccessLogFields(info_->method(), code, elapsed, peer, trace_id));
  }

  grpc::experimental::ServerRpcInfo* const info_;
  MethodMetrics* const metrics_;
  const bool access_log_;
  const std::chrono::steady_clock::time_point start_;
  bool done_ = false;
  bool received_message_ = false;
};

}  // namespace

LogFields AccessLogFields(absl::string_view method, grpc::StatusCode code, absl::Duration elapsed,
                          absl::string_view peer, absl::string_view trace_id) {
  LogFields fields = {
      {"method", std::string(method)},
      {"code", absl::StatusCodeToString(static_cast<absl::StatusCode>(code))},
      {"duration_ms", absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(elapsed))},
      {"peer", std::string(peer)},
  };
  if (!trace_id.empty()) fields.emplace_back("trace_id", std::string(trace_id));
  return fields;
}

grpc::experimental::Interceptor* CallObserverFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  MethodMetrics* method =
      metrics_ != nullptr ? metrics_->ForMethod(info->method(), info->type()) : nullptr;
  if (method == nullptr && !access_log_) return nullptr;
  return new CallObserver(info, method, access_log_);
}

}  // namespace accord::server
