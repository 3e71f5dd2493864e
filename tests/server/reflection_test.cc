#include "service/server/reflection.h"

#include <dirent.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "accord/v1/accord_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/descriptor_database.h"
#include "google/rpc/error_details.pb.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace accord::server {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptorProto;
using grpc::reflection::v1alpha::ServerReflectionRequest;
using grpc::reflection::v1alpha::ServerReflectionResponse;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kAccordServiceFile[] = "accord/v1/accord_service.proto";

// The file names of a file_descriptor_response, in order.
std::vector<std::string> FileNames(const ServerReflectionResponse& response) {
  std::vector<std::string> names;
  for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
    FileDescriptorProto file;
    EXPECT_TRUE(file.ParseFromString(bytes));
    names.push_back(file.name());
  }
  return names;
}

// The first file of a file_descriptor_response, or "" if it has none.
std::string FirstFile(const ServerReflectionResponse& response) {
  std::vector<std::string> names = FileNames(response);
  return names.empty() ? std::string() : names.front();
}

// Builds a fresh pool from the files of a response alone, as a client with no
// .proto files would: fails if any import is missing.
std::unique_ptr<DescriptorPool> PoolFrom(const ServerReflectionResponse& response,
                                         google::protobuf::SimpleDescriptorDatabase* db) {
  for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
    FileDescriptorProto file;
    EXPECT_TRUE(file.ParseFromString(bytes));
    EXPECT_TRUE(db->Add(file)) << file.name();
  }
  return std::make_unique<DescriptorPool>(db);
}

class ReflectionAnswererTest : public ::testing::Test {
 protected:
  ReflectionAnswererTest() : answers_(DescriptorPool::generated_pool()) {
    // Links in the schema accord_server serves error details with.
    (void)google::rpc::ErrorInfo::descriptor();
  }

  ServerReflectionResponse Ask(const ServerReflectionRequest& request) {
    ServerReflectionResponse response;
    response.set_valid_host("stale");  // Answer() clears first
    answers_.Answer(request, &response);
    return response;
  }

  ReflectionAnswerer answers_;
};

TEST_F(ReflectionAnswererTest, ListsTheServiceNamesInOrderAndEchoesTheRequest) {
  ServerReflectionRequest request;
  request.set_host("accord.example:443");
  request.set_list_services("*");
  EXPECT_THAT(Ask(request).list_services_response().service(), IsEmpty());

  answers_.SetServiceNames({"accord.v1.AccordService", "grpc.health.v1.Health"});
  ServerReflectionResponse response = Ask(request);
  EXPECT_EQ(response.valid_host(), "accord.example:443");
  EXPECT_EQ(response.original_request().list_services(), "*");
  std::vector<std::string> names;
  for (const auto& s : response.list_services_response().service()) names.push_back(s.name());
  EXPECT_THAT(names, ElementsAre("accord.v1.AccordService", "grpc.health.v1.Health"));
}

TEST_F(ReflectionAnswererTest, SymbolGetsItsFileFirstThenEveryImportOnce) {
  ServerReflectionRequest request;
  request.set_file_containing_symbol("accord.v1.AccordService.GetAgreement");
  ServerReflectionResponse response = Ask(request);
  ASSERT_EQ(response.message_response_case(), ServerReflectionResponse::kFileDescriptorResponse)
      << response.DebugString();
  std::vector<std::string> names = FileNames(response);
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.front(), kAccordServiceFile);
  EXPECT_EQ(absl::flat_hash_set<std::string>(names.begin(), names.end()).size(), names.size());
  EXPECT_THAT(names, ::testing::Contains("google/api/annotations.proto"));
  EXPECT_THAT(names, ::testing::Contains("google/protobuf/descriptor.proto"));

  google::protobuf::SimpleDescriptorDatabase db;
  std::unique_ptr<DescriptorPool> pool = PoolFrom(response, &db);
  const auto* method = pool->FindMethodByName("accord.v1.AccordService.GetAgreement");
  ASSERT_NE(method, nullptr);
  EXPECT_EQ(method->output_type()->full_name(), "accord.v1.Agreement");
  // The message was rebuilt from the bytes alone, fields and all.
  EXPECT_NE(method->output_type()->FindFieldByName("sign_date"), nullptr);
}

TEST_F(ReflectionAnswererTest, FileByNameAndByExtension) {
  ServerReflectionRequest by_name;
  by_name.set_file_by_filename("google/rpc/error_details.proto");
  EXPECT_EQ(FirstFile(Ask(by_name)), "google/rpc/error_details.proto");

  // google.api.http, the HTTP annotation on every AccordService method.
  ServerReflectionRequest by_extension;
  by_extension.mutable_file_containing_extension()->set_containing_type(
      "google.protobuf.MethodOptions");
  by_extension.mutable_file_containing_extension()->set_extension_number(72295728);
  EXPECT_EQ(FirstFile(Ask(by_extension)), "google/api/annotations.proto");

  ServerReflectionRequest numbers;
  numbers.set_all_extension_numbers_of_type("google.protobuf.MethodOptions");
  ServerReflectionResponse response = Ask(numbers);
  EXPECT_EQ(response.all_extension_numbers_response().base_type_name(),
            "google.protobuf.MethodOptions");
  EXPECT_THAT(response.all_extension_numbers_response().extension_number(),
              ::testing::Contains(72295728));
}

TEST_F(ReflectionAnswererTest, UnknownNamesAreNotFoundAndAnEmptyRequestIsInvalid) {
  ServerReflectionRequest symbol;
  symbol.set_file_containing_symbol("accord.v1.NoSuchService");
  ServerReflectionResponse response = Ask(symbol);
  EXPECT_EQ(response.error_response().error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(response.error_response().error_message(),
              ::testing::HasSubstr("accord.v1.NoSuchService"));

  ServerReflectionRequest file;
  file.set_file_by_filename("no/such.proto");
  EXPECT_EQ(Ask(file).error_response().error_code(), grpc::StatusCode::NOT_FOUND);

  ServerReflectionRequest extension;
  extension.mutable_file_containing_extension()->set_containing_type(
      "google.protobuf.MethodOptions");
  extension.mutable_file_containing_extension()->set_extension_number(1);
  EXPECT_EQ(Ask(extension).error_response().error_code(), grpc::StatusCode::NOT_FOUND);

  ServerReflectionRequest type;
  type.set_all_extension_numbers_of_type("no.Such");
  EXPECT_EQ(Ask(type).error_response().error_code(), grpc::StatusCode::NOT_FOUND);

  ServerReflectionRequest empty;
  empty.set_host("h");
  response = Ask(empty);
  EXPECT_EQ(response.error_response().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(response.valid_host(), "h");
}

// The names of this process's threads (/proc/self/task/*/comm).
std::vector<std::string> ThreadNames() {
  std::vector<std::string> names;
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return names;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream comm(std::string("/proc/self/task/") + e->d_name + "/comm");
    std::string name;
    std::getline(comm, name);
    names.push_back(name);
  }
  closedir(dir);
  return names;
}

// Whether a gRPC sync-server thread ("grpcpp_sync_server") appears within
// `wait`. A new thread names itself once it runs, so this polls.
bool SyncServerThreadWithin(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  do {
    for (const std::string& name : ThreadNames()) {
      if (name.rfind("grpcpp_sync", 0) == 0) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

// A served AccordService with every method unimplemented, as a stand-in.
class NoAccord final : public accord::v1::AccordService::CallbackService {};

// A real server on a loopback port, with or without reflection.
class ReflectionServerTest : public ::testing::Test {
 protected:
  void Start(bool reflection, grpc::Service* extra = nullptr) {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    ConfigureReflection(reflection, &builder);
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&accord_);
    if (extra != nullptr) builder.RegisterService(extra);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials());
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  // One stream of the given version: asks each request in turn, then
  // half-closes; returns the answers and the stream's status.
  template <typename Stub>
  grpc::Status Converse(Stub* stub, const std::vector<ServerReflectionRequest>& requests,
                        std::vector<ServerReflectionResponse>* answers) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    auto stream = stub->ServerReflectionInfo(&context);
    for (const ServerReflectionRequest& request : requests) {
      if (!stream->Write(request)) break;
      ServerReflectionResponse response;
      if (!stream->Read(&response)) break;
      answers->push_back(response);
    }
    stream->WritesDone();
    return stream->Finish();
  }

  NoAccord accord_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(ReflectionServerTest, BothVersionsListEveryServiceAndAnswerInOrderOnOneStream) {
  Start(true);
  ServerReflectionRequest list;
  list.set_list_services("");
  ServerReflectionRequest symbol;
  symbol.set_file_containing_symbol("grpc.health.v1.Health");
  ServerReflectionRequest missing;
  missing.set_file_by_filename("no/such.proto");

  auto v1 = grpc::reflection::v1::ServerReflection::NewStub(channel_);
  auto v1alpha = grpc::reflection::v1alpha::ServerReflection::NewStub(channel_);
  for (int version = 0; version < 2; ++version) {
    SCOPED_TRACE(version == 0 ? "v1" : "v1alpha");
    std::vector<ServerReflectionResponse> answers;
    grpc::Status status = version == 0 ? Converse(v1.get(), {list, symbol, missing}, &answers)
                                       : Converse(v1alpha.get(), {list, symbol, missing}, &answers);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(answers.size(), 3u);
    std::vector<std::string> names;
    for (const auto& s : answers[0].list_services_response().service()) names.push_back(s.name());
    EXPECT_THAT(names, UnorderedElementsAre("accord.v1.AccordService", "grpc.health.v1.Health",
                                            "grpc.reflection.v1.ServerReflection",
                                            "grpc.reflection.v1alpha.ServerReflection"));
    EXPECT_EQ(FirstFile(answers[1]), "grpc/health/v1/health.proto");
    EXPECT_EQ(answers[2].error_response().error_code(), grpc::StatusCode::NOT_FOUND);
  }
}

// What a client such as `grpcurl describe` does next: every listed service
// resolves to the file that defines it.
TEST_F(ReflectionServerTest, EveryListedServiceResolvesToItsFile) {
  Start(true);
  ServerReflectionRequest list;
  list.set_list_services("*");
  auto stub = grpc::reflection::v1::ServerReflection::NewStub(channel_);
  std::vector<ServerReflectionResponse> listed;
  ASSERT_TRUE(Converse(stub.get(), {list}, &listed).ok());
  ASSERT_EQ(listed.size(), 1u);
  std::vector<ServerReflectionRequest> lookups;
  for (const auto& service : listed[0].list_services_response().service()) {
    lookups.emplace_back().set_file_containing_symbol(service.name());
  }
  ASSERT_EQ(lookups.size(), 4u);
  std::vector<ServerReflectionResponse> files;
  ASSERT_TRUE(Converse(stub.get(), lookups, &files).ok());
  ASSERT_EQ(files.size(), lookups.size());
  for (size_t i = 0; i < files.size(); ++i) {
    SCOPED_TRACE(lookups[i].file_containing_symbol());
    google::protobuf::SimpleDescriptorDatabase db;
    std::unique_ptr<DescriptorPool> pool = PoolFrom(files[i], &db);
    const auto* service = pool->FindServiceByName(lookups[i].file_containing_symbol());
    ASSERT_NE(service, nullptr) << files[i].error_response().error_message();
    EXPECT_GT(service->method_count(), 0);
  }
}

TEST_F(ReflectionServerTest, OnStartsNoSyncPollingThread) {
  Start(true);
  EXPECT_FALSE(SyncServerThreadWithin(std::chrono::seconds(1)));
}

// The control for the test above: a sync-API service does start one, so the
// check can see it.
TEST_F(ReflectionServerTest, ASyncServiceWouldStartOne) {
  grpc::reflection::v1alpha::ServerReflection::Service sync_service;
  Start(false, &sync_service);
  EXPECT_TRUE(SyncServerThreadWithin(std::chrono::seconds(30)));
}

TEST_F(ReflectionServerTest, OffAnswersUnimplemented) {
  Start(false);
  ServerReflectionRequest list;
  list.set_list_services("*");
  std::vector<ServerReflectionResponse> answers;
  auto v1 = grpc::reflection::v1::ServerReflection::NewStub(channel_);
  EXPECT_EQ(Converse(v1.get(), {list}, &answers).error_code(), grpc::StatusCode::UNIMPLEMENTED);
  auto v1alpha = grpc::reflection::v1alpha::ServerReflection::NewStub(channel_);
  EXPECT_EQ(Converse(v1alpha.get(), {list}, &answers).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_THAT(answers, IsEmpty());
}

}  // namespace
}  // namespace accord::server
