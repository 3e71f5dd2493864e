// accord_empty_server: the floor for end-to-end benchmarks. The same gRPC
// build, callback API and service definition as accord_server, but every
// GetAgreement and ListAgreements handler finishes at once with an empty
// response. Whatever accord_server costs on top of this is Accord's own.
//   accord_empty_server --listen=127.0.0.1:PORT
// With --reply_bytes=N it is the same-size floor: each reply is a message
// of exactly N serialized bytes (an Agreement whose title pads it, or a List
// response holding one), built once and copied into every reply by the
// typed callback handler, as any handler sending a reply of that size would.
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/strip.h"
#include "accord/v1/accord_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace {

// An Agreement of exactly `bytes` serialized bytes (at least 3), padded by
// its title.
accord::v1::Agreement AgreementOfSize(size_t bytes) {
  accord::v1::Agreement a;
  for (size_t title = bytes; title > 0; --title) {
    a.set_title(std::string(title, 'x'));
    if (a.ByteSizeLong() <= bytes) break;
  }
  return a;
}

class EmptyService final : public accord::v1::AccordService::CallbackService {
 public:
  explicit EmptyService(size_t reply_bytes) {
    if (reply_bytes == 0) return;
    get_reply_ = AgreementOfSize(reply_bytes);
    // One element: a tag and a length byte or two around the Agreement.
    for (size_t inner = reply_bytes; inner > 2; --inner) {
      list_reply_.clear_agreements();
      *list_reply_.add_agreements() = AgreementOfSize(inner);
      if (list_reply_.ByteSizeLong() <= reply_bytes) break;
    }
    std::fprintf(stderr, "same-size floor: Get reply %zu bytes, List reply %zu bytes\n",
                 get_reply_.ByteSizeLong(), list_reply_.ByteSizeLong());
  }

  grpc::ServerUnaryReactor* GetAgreement(grpc::CallbackServerContext* context,
                                         const accord::v1::GetAgreementRequest*,
                                         accord::v1::Agreement* response) override {
    if (get_reply_.ByteSizeLong() > 0) *response = get_reply_;
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  grpc::ServerUnaryReactor* ListAgreements(grpc::CallbackServerContext* context,
                                           const accord::v1::ListAgreementsRequest*,
                                           accord::v1::ListAgreementsResponse* response) override {
    if (list_reply_.agreements_size() > 0) *response = list_reply_;
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  accord::v1::Agreement get_reply_;
  accord::v1::ListAgreementsResponse list_reply_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:50099";
  size_t reply_bytes = 0;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--listen=")) listen = std::string(arg);
    if (absl::ConsumePrefix(&arg, "--reply_bytes=")) reply_bytes = std::stoul(std::string(arg));
  }
  EmptyService service(reply_bytes);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) return 1;
  std::fprintf(stderr, "empty server listening on %s\n", listen.c_str());
  server->Wait();
  return 0;
}
