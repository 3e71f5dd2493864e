#include "service/server/reflection.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/impl/server_builder_plugin.h"

namespace accord::server {
namespace {

// The name gRPC's reflection plugin reports from ServerBuilderPlugin::name().
constexpr char kReflectionPluginName[] = "proto_server_reflection";

// Drops the reflection plugin that grpc++_reflection's static initializer
// put into every ServerBuilder.
class WithoutReflection : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->erase(std::remove_if(plugins->begin(), plugins->end(),
                                  [](const std::unique_ptr<grpc::ServerBuilderPlugin>& plugin) {
                                    return plugin->name() == kReflectionPluginName;
                                  }),
                   plugins->end());
  }
};

}  // namespace

void ConfigureReflection(bool enabled, grpc::ServerBuilder* builder) {
  if (!enabled) {
    builder->SetOption(std::make_unique<WithoutReflection>());
    return;
  }
  // Reflection answers from the generated descriptor pool: touching the
  // health schema keeps its descriptors linked in.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
}

}  // namespace accord::server
