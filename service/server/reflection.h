// Server reflection (grpc.reflection.v1 and v1alpha), served with the
// callback API, and on only when asked for.
//
// gRPC 1.51's own reflection (grpc++_reflection) is a sync-API service: a
// server that registers it runs a sync polling thread beside the callback
// executor, and that thread took about a tenth of the throughput of every
// other call (bench/README.md, "GetNoReflect"). This implementation answers
// from the same generated descriptor pool with a callback bidi reactor, so a
// server with reflection on has no sync thread. The schema it serves is
// declared in schema/grpc/reflection/.
#ifndef ACCORD_SERVICE_SERVER_REFLECTION_H_
#define ACCORD_SERVICE_SERVER_REFLECTION_H_

#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "google/protobuf/descriptor.h"
#include "grpc/reflection/v1alpha/reflection.pb.h"
#include "grpcpp/server_builder.h"

namespace accord::server {

// Answers reflection requests from a descriptor pool. Thread-safe: Answer()
// may run on many streams at once, and SetServiceNames() beside them.
class ReflectionAnswerer {
 public:
  // `pool` must outlive this (the usual one, the generated pool, does).
  explicit ReflectionAnswerer(const google::protobuf::DescriptorPool* pool) : pool_(pool) {}

  // The service names a list_services request is answered with, in this
  // order. Until the first call, the answer is an empty list.
  void SetServiceNames(std::vector<std::string> names);

  // Fills `response` (cleared first) with the answer to `request`, as the
  // reflection protocol says: valid_host and original_request echo the
  // request; a file request gets the file, then every file it imports
  // (directly or not), each once, each a serialized FileDescriptorProto; an
  // unknown name gets error_response NOT_FOUND; a request that asks for
  // nothing gets error_response INVALID_ARGUMENT.
  void Answer(const grpc::reflection::v1alpha::ServerReflectionRequest& request,
              grpc::reflection::v1alpha::ServerReflectionResponse* response) const;

 private:
  const google::protobuf::DescriptorPool* const pool_;
  // std::mutex, not absl::Mutex: the sanitizer build instruments only
  // pthread locks (Debian's Abseil is not built with TSan).
  mutable std::mutex mu_;
  std::vector<std::string> services_ ABSL_GUARDED_BY(mu_);
};

// With `enabled`, makes `builder` serve grpc.reflection.v1 and v1alpha from
// the generated descriptor pool, listing every service the built server
// registers (grpc.health.v1.Health included: its schema is compiled into this
// library). Without, adds nothing, so the built server answers reflection
// calls UNIMPLEMENTED. Call before builder->BuildAndStart().
void ConfigureReflection(bool enabled, grpc::ServerBuilder* builder);

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_REFLECTION_H_
