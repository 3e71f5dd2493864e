// accord_empty_server: the floor for end-to-end benchmarks. The same gRPC
// build, callback API and service definition as accord_server, but every
// GetAgreement and ListAgreements handler finishes at once with an empty
// response. Whatever accord_server costs on top of this is Accord's own.
//   accord_empty_server --listen=127.0.0.1:PORT
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/strip.h"
#include "accord/v1/accord_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace {

class EmptyService final : public accord::v1::AccordService::CallbackService {
 public:
  grpc::ServerUnaryReactor* GetAgreement(grpc::CallbackServerContext* context,
                                         const accord::v1::GetAgreementRequest*,
                                         accord::v1::Agreement*) override {
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  grpc::ServerUnaryReactor* ListAgreements(grpc::CallbackServerContext* context,
                                           const accord::v1::ListAgreementsRequest*,
                                           accord::v1::ListAgreementsResponse*) override {
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:50099";
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--listen=")) listen = std::string(arg);
  }
  EmptyService service;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) return 1;
  std::fprintf(stderr, "empty server listening on %s\n", listen.c_str());
  server->Wait();
  return 0;
}
