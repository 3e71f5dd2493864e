// Server reflection (grpc.reflection.v1alpha) that is on only when asked for.
//
// Linking grpc++_reflection registers its ServerBuilder plugin from a static
// initializer, so every server built in the process would serve reflection
// whether or not InitProtoReflectionServerBuilderPlugin() is called. This
// file removes the plugin from the builder when reflection is off.
#ifndef ACCORD_SERVICE_SERVER_REFLECTION_H_
#define ACCORD_SERVICE_SERVER_REFLECTION_H_

#include "grpcpp/server_builder.h"

namespace accord::server {

// With `enabled`, makes `builder` serve grpc.reflection.v1alpha for every
// registered service, including grpc.health.v1.Health (whose schema is
// compiled into the binary for it). Without, removes the reflection plugin
// from `builder`, so the built server answers reflection calls UNIMPLEMENTED.
// Call before builder->BuildAndStart().
void ConfigureReflection(bool enabled, grpc::ServerBuilder* builder);

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_REFLECTION_H_
