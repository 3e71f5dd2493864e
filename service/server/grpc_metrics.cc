#include "service/server/grpc_metrics.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"

namespace accord::server {
namespace {

using Type = grpc::experimental::ServerRpcInfo::Type;

// "/pkg.Service/Method" -> {"pkg.Service", "Method"}; anything else is
// reported whole as the method of an empty service.
std::pair<std::string, std::string> SplitMethod(absl::string_view full) {
  if (!full.empty() && full[0] == '/') full.remove_prefix(1);
  size_t slash = full.rfind('/');
  if (slash == absl::string_view::npos) return {"", std::string(full)};
  return {std::string(full.substr(0, slash)), std::string(full.substr(slash + 1))};
}

Type TypeOf(const google::protobuf::MethodDescriptor& method) {
  if (method.client_streaming() && method.server_streaming()) return Type::BIDI_STREAMING;
  if (method.client_streaming()) return Type::CLIENT_STREAMING;
  if (method.server_streaming()) return Type::SERVER_STREAMING;
  return Type::UNARY;
}

}  // namespace

absl::string_view GrpcCodeName(grpc::StatusCode code) {
  static constexpr absl::string_view kNames[] = {
      "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
      "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
      "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
      "DataLoss", "Unauthenticated"};
  int i = static_cast<int>(code);
  return i >= 0 && i < 17 ? kNames[i] : "Unknown";
}

absl::string_view GrpcTypeName(Type type) {
  switch (type) {
    case Type::UNARY:
      return "unary";
    case Type::CLIENT_STREAMING:
      return "client_stream";
    case Type::SERVER_STREAMING:
      return "server_stream";
    case Type::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unary";
}

const std::vector<double>& HandlingSecondsBuckets() {
  static const auto* buckets =
      new std::vector<double>{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                              0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  return *buckets;
}

void MethodMetrics::Handled(grpc::StatusCode code, absl::Duration elapsed) {
  int i = static_cast<int>(code);
  if (i < 0 || i >= 17) i = static_cast<int>(grpc::StatusCode::UNKNOWN);
  prometheus::Counter* counter = handled_[i].load(std::memory_order_acquire);
  if (counter == nullptr) {
    prometheus::Labels labels = labels_;
    labels["grpc_code"] = std::string(GrpcCodeName(static_cast<grpc::StatusCode>(i)));
    counter = &handled_family_->Add(labels);
    handled_[i].store(counter, std::memory_order_release);
  }
  counter->Increment();
  seconds_->Observe(absl::ToDoubleSeconds(elapsed));
}

GrpcServerMetrics::GrpcServerMetrics(prometheus::Registry& registry,
                                     const std::vector<std::string>& services)
    : started_(prometheus::BuildCounter()
                   .Name("grpc_server_started_total")
                   .Help("Total number of RPCs started on the server.")
                   .Register(registry)),
      handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("Total number of RPCs completed on the server, regardless of success "
                         "or failure.")
                   .Register(registry)),
      seconds_(prometheus::BuildHistogram()
                   .Name("grpc_server_handling_seconds")
                   .Help("Histogram of response latency (seconds) of gRPC that had been "
                         "application-level handled by the server.")
                   .Register(registry)) {
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const std::string& name : services) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = service->method(i);
      std::string full = absl::StrCat("/", service->full_name(), "/", method->name());
      known_.emplace(full, std::unique_ptr<MethodMetrics>(Make(full, TypeOf(*method))));
    }
  }
}

MethodMetrics* GrpcServerMetrics::Make(absl::string_view method, Type type) {
  auto [service_name, method_name] = SplitMethod(method);
  auto* metrics = new MethodMetrics();
  metrics->labels_ = {{"grpc_type", std::string(GrpcTypeName(type))},
                      {"grpc_service", std::move(service_name)},
                      {"grpc_method", std::move(method_name)}};
  metrics->handled_family_ = &handled_;
  metrics->started_ = &started_.Add(metrics->labels_);
  metrics->seconds_ = &seconds_.Add(metrics->labels_, HandlingSecondsBuckets());
  return metrics;
}

MethodMetrics* GrpcServerMetrics::ForMethod(absl::string_view method, Type type) {
  if (auto it = known_.find(method); it != known_.end()) return it->second.get();
  absl::MutexLock lock(&mu_);
  auto& slot = other_[method];
  if (slot == nullptr) slot.reset(Make(method, type));
  return slot.get();
}

}  // namespace accord::server
