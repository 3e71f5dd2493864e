// Test-only interceptors for accord_server_testing (see
// service/server/server_interceptors.h): metadata
// x-accord-testing-delay-ms holds a call's reply that long (at most a minute)
// after the service has answered, so that shutdown draining, deadlines and
// stream limits can be observed with slow calls. The reply waits on a thread
// of its own, polling for cancellation, so it blocks none of gRPC's threads,
// and is let go as soon as the call is cancelled (its client gave up, or the
// server is shutting down). It holds the reply rather than the request
// because a call's cancellation is only observable once its handler has
// started.
#include <algorithm>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"
#include "service/server/log.h"
#include "service/server/server_interceptors.h"

namespace accord::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

class DelayInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit DelayInterceptor(grpc::experimental::ServerRpcInfo* info) : info_(info) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      delay_ = DelayOf(*methods->GetRecvInitialMetadata());
    }
    absl::Duration delay = delay_;
    if (delay <= absl::ZeroDuration() ||
        !methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      methods->Proceed();
      return;
    }
    grpc::ServerContextBase* context = info_->server_context();
    std::thread([methods, context, delay] {
      absl::Time until = absl::Now() + delay;
      while (absl::Now() < until) {
        if (context->IsCancelled()) {
          LogInfo("testing delay: the call was cancelled by its client; stopped working on it");
          break;
        }
        absl::SleepFor(absl::Milliseconds(5));
      }
      methods->Proceed();
    }).detach();
  }

 private:
  static absl::Duration DelayOf(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    auto it = metadata.find("x-accord-testing-delay-ms");
    int64_t ms = 0;
    if (it == metadata.end() ||
        !absl::SimpleAtoi(absl::string_view(it->second.data(), it->second.size()), &ms)) {
      return absl::ZeroDuration();
    }
    return absl::Milliseconds(std::clamp<int64_t>(ms, 0, 60000));
  }

  grpc::experimental::ServerRpcInfo* info_;
  absl::Duration delay_;  // from the request's metadata
};

class DelayInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new DelayInterceptor(info);
  }
};

}  // namespace

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
ServerInterceptors() {
  LogInfo("accord_server_testing: calls may be held with x-accord-testing-delay-ms (tests only)");
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> out;
  out.push_back(std::make_unique<DelayInterceptorFactory>());
  return out;
}

}  // namespace accord::server
