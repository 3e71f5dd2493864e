#include "service/server/call_limiter.h"

#include "absl/strings/str_cat.h"
#include "service/api/errors.h"

namespace accord::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Counts its call from when its initial metadata has arrived (the peer is
// known then, and the handler has not run yet) until gRPC destroys it.
class CountingInterceptor : public grpc::experimental::Interceptor {
 public:
  CountingInterceptor(CallLimiter* limiter, grpc::experimental::ServerRpcInfo* info)
      : limiter_(limiter), info_(info) {}
  ~CountingInterceptor() override {
    if (counted_) limiter_->Remove(peer_);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (!counted_ &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      peer_ = info_->server_context()->peer();
      limiter_->Add(peer_);
      counted_ = true;
    }
    methods->Proceed();
  }

 private:
  CallLimiter* const limiter_;
  grpc::experimental::ServerRpcInfo* const info_;
  std::string peer_;
  bool counted_ = false;
};

class CountingFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CountingFactory(CallLimiter* limiter) : limiter_(limiter) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CountingInterceptor(limiter_, info);
  }

 private:
  CallLimiter* const limiter_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> CallLimiter::Factory() {
  return std::make_unique<CountingFactory>(this);
}

void CallLimiter::Add(const std::string& peer) {
  std::lock_guard<std::mutex> lock(mu_);
  ++alive_[peer];
}

void CallLimiter::Remove(const std::string& peer) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = alive_.find(peer);
  if (it == alive_.end()) return;
  if (--it->second <= 0) alive_.erase(it);
}

int CallLimiter::AliveOn(const std::string& peer) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = alive_.find(peer);
  return it == alive_.end() ? 0 : it->second;
}

absl::Status CallLimiter::Check(const grpc::ServerContextBase& context) const {
  int alive = AliveOn(context.peer());
  if (alive <= max_) return absl::OkStatus();
  return api::Annotate(
      absl::ResourceExhaustedError(absl::StrCat(
          "this connection has ", alive - 1, " calls in progress; at most ", max_,
          " are allowed per connection (--max_calls_per_connection): wait for some to finish, "
          "and honour the server's SETTINGS")),
      "TOO_MANY_CALLS", "", {{"limit", absl::StrCat(max_)}});
}

}  // namespace accord::server
