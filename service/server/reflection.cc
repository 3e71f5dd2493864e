#include "service/server/reflection.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/impl/server_builder_plugin.h"
#include "grpcpp/impl/server_initializer.h"
#include "grpcpp/support/server_callback.h"

namespace accord::server {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using grpc::reflection::v1alpha::ServerReflectionRequest;
using grpc::reflection::v1alpha::ServerReflectionResponse;

void SetError(grpc::StatusCode code, std::string message, ServerReflectionResponse* response) {
  response->mutable_error_response()->set_error_code(static_cast<int32_t>(code));
  response->mutable_error_response()->set_error_message(std::move(message));
}

// Appends `file` and, depth first, every file it imports that `sent` does not
// hold yet.
void AddFile(const FileDescriptor* file, absl::flat_hash_set<const FileDescriptor*>* sent,
             ServerReflectionResponse* response) {
  if (!sent->insert(file).second) return;
  google::protobuf::FileDescriptorProto proto;
  file->CopyTo(&proto);
  proto.SerializeToString(
      response->mutable_file_descriptor_response()->add_file_descriptor_proto());
  for (int i = 0; i < file->dependency_count(); ++i) AddFile(file->dependency(i), sent, response);
}

// Answers with `file` and its imports, or NOT_FOUND with `not_found` if it is
// null.
void AnswerFile(const FileDescriptor* file, std::string not_found,
                ServerReflectionResponse* response) {
  if (file == nullptr) {
    SetError(grpc::StatusCode::NOT_FOUND, std::move(not_found), response);
    return;
  }
  absl::flat_hash_set<const FileDescriptor*> sent;
  AddFile(file, &sent, response);
}

// One reflection stream: read a request, write its answer, until the client
// half-closes. Runs on gRPC's callback threads and never blocks.
class ReflectionStream final
    : public grpc::ServerBidiReactor<ServerReflectionRequest, ServerReflectionResponse> {
 public:
  explicit ReflectionStream(std::shared_ptr<const ReflectionAnswerer> answers)
      : answers_(std::move(answers)) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // half-closed by the client, or cancelled
      Finish(grpc::Status::OK);
      return;
    }
    answers_->Answer(request_, &response_);
    StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the stream closed before the answer"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  const std::shared_ptr<const ReflectionAnswerer> answers_;
  ServerReflectionRequest request_;
  ServerReflectionResponse response_;
};

// The service of one protocol version; both speak the same messages.
template <typename CallbackService>
class ReflectionService final : public CallbackService {
 public:
  explicit ReflectionService(std::shared_ptr<const ReflectionAnswerer> answers)
      : answers_(std::move(answers)) {}

  grpc::ServerBidiReactor<ServerReflectionRequest, ServerReflectionResponse>* ServerReflectionInfo(
      grpc::CallbackServerContext*) override {
    return new ReflectionStream(answers_);
  }

 private:
  const std::shared_ptr<const ReflectionAnswerer> answers_;
};

// Registers both services when the server is built, and hands the answerer
// the server's service list once every service is registered.
class ReflectionPlugin final : public grpc::ServerBuilderPlugin {
 public:
  ReflectionPlugin()
      : answers_(std::make_shared<ReflectionAnswerer>(
            google::protobuf::DescriptorPool::generated_pool())) {}

  std::string name() override { return "accord_reflection"; }

  void InitServer(grpc::ServerInitializer* si) override {
    si->RegisterService(
        std::make_shared<
            ReflectionService<grpc::reflection::v1::ServerReflection::CallbackService>>(answers_));
    si->RegisterService(
        std::make_shared<
            ReflectionService<grpc::reflection::v1alpha::ServerReflection::CallbackService>>(
            answers_));
  }

  void Finish(grpc::ServerInitializer* si) override {
    answers_->SetServiceNames(*si->GetServiceList());
  }

  void ChangeArguments(const std::string&, void*) override {}

 private:
  const std::shared_ptr<ReflectionAnswerer> answers_;
};

class WithReflection final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->push_back(std::make_unique<ReflectionPlugin>());
  }
};

}  // namespace

void ReflectionAnswerer::SetServiceNames(std::vector<std::string> names) {
  std::lock_guard<std::mutex> lock(mu_);
  services_ = std::move(names);
}

void ReflectionAnswerer::Answer(const ServerReflectionRequest& request,
                                ServerReflectionResponse* response) const {
  response->Clear();
  response->set_valid_host(request.host());
  *response->mutable_original_request() = request;
  switch (request.message_request_case()) {
    case ServerReflectionRequest::kFileByFilename:
      AnswerFile(pool_->FindFileByName(request.file_by_filename()),
                 absl::StrCat("no file is named \"", request.file_by_filename(), "\""), response);
      return;
    case ServerReflectionRequest::kFileContainingSymbol:
      AnswerFile(
          pool_->FindFileContainingSymbol(request.file_containing_symbol()),
          absl::StrCat("no file defines the symbol \"", request.file_containing_symbol(), "\""),
          response);
      return;
    case ServerReflectionRequest::kFileContainingExtension: {
      const auto& ext = request.file_containing_extension();
      const Descriptor* type = pool_->FindMessageTypeByName(ext.containing_type());
      const FieldDescriptor* field =
          type == nullptr ? nullptr : pool_->FindExtensionByNumber(type, ext.extension_number());
      AnswerFile(field == nullptr ? nullptr : field->file(),
                 absl::StrCat("no file defines extension ", ext.extension_number(), " of \"",
                              ext.containing_type(), "\""),
                 response);
      return;
    }
    case ServerReflectionRequest::kAllExtensionNumbersOfType: {
      const Descriptor* type =
          pool_->FindMessageTypeByName(request.all_extension_numbers_of_type());
      if (type == nullptr) {
        SetError(grpc::StatusCode::NOT_FOUND,
                 absl::StrCat("no message type is named \"",
                              request.all_extension_numbers_of_type(), "\""),
                 response);
        return;
      }
      std::vector<const FieldDescriptor*> extensions;
      pool_->FindAllExtensions(type, &extensions);
      auto* numbers = response->mutable_all_extension_numbers_response();
      numbers->set_base_type_name(type->full_name());
      for (const FieldDescriptor* e : extensions) numbers->add_extension_number(e->number());
      return;
    }
    case ServerReflectionRequest::kListServices: {
      auto* list = response->mutable_list_services_response();
      std::lock_guard<std::mutex> lock(mu_);
      for (const std::string& name : services_) list->add_service()->set_name(name);
      return;
    }
    case ServerReflectionRequest::MESSAGE_REQUEST_NOT_SET:
      break;
  }
  SetError(grpc::StatusCode::INVALID_ARGUMENT,
           "the request asks for nothing: set file_by_filename, file_containing_symbol, "
           "file_containing_extension, all_extension_numbers_of_type or list_services",
           response);
}

void ConfigureReflection(bool enabled, grpc::ServerBuilder* builder) {
  if (!enabled) return;
  builder->SetOption(std::make_unique<WithReflection>());
}

}  // namespace accord::server
