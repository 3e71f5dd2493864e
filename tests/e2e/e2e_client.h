// A client for end-to-end tests: a stub on the server under test, and
// readers for the google.rpc details of an error.
#ifndef ACCORD_TESTS_E2E_E2E_CLIENT_H_
#define ACCORD_TESTS_E2E_E2E_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "accord/v1/accord_service.grpc.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"

namespace accord::testing {

// What a client sees of a failed call.
struct ErrorDetails {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
  std::string reason;  // ErrorInfo.reason
  std::string domain;  // ErrorInfo.domain
  std::map<std::string, std::string> metadata;
  std::vector<std::pair<std::string, std::string>> violations;  // BadRequest (field, description)
  int error_infos = 0;  // how many ErrorInfo details there were
};

inline ErrorDetails ReadError(const grpc::Status& status) {
  ErrorDetails out;
  out.code = status.error_code();
  out.message = status.error_message();
  google::rpc::Status rpc;
  if (!rpc.ParseFromString(status.error_details())) return out;
  for (const auto& any : rpc.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&info)) {
      ++out.error_infos;
      out.reason = info.reason();
      out.domain = info.domain();
      out.metadata.insert(info.metadata().begin(), info.metadata().end());
    } else if (any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations())
        out.violations.emplace_back(v.field(), v.description());
    }
  }
  return out;
}

inline std::unique_ptr<accord::v1::AccordService::Stub> NewStub(const std::string& address) {
  return accord::v1::AccordService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
}

// A context with a 10 s deadline, so a hung server fails the test instead
// of hanging it.
inline std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

// The names of every agreement ListAgreements returns for `request` (its
// filter, as_of, order_by and page_size as set), following next_page_token
// to the end. A failed call fails the test and ends the listing there.
inline std::vector<std::string> ListAllAgreementNames(accord::v1::AccordService::Stub* stub,
                                                      accord::v1::ListAgreementsRequest request) {
  std::vector<std::string> names;
  do {
    accord::v1::ListAgreementsResponse response;
    grpc::Status s = stub->ListAgreements(Context().get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (!s.ok()) break;
    for (const auto& a : response.agreements()) names.push_back(a.name());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return names;
}

// A test suite whose tests share one accord_server on the bundled catalogue
// (started once per suite); each test has its own stub on it.
class BundledServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    ASSERT_TRUE(server_->Start({"--catalog=" + BundledCatalog()})) << server_->log();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { stub_ = NewStub(server_->address()); }

  static inline ServerProcess* server_ = nullptr;
  std::unique_ptr<accord::v1::AccordService::Stub> stub_;
};

}  // namespace accord::testing

#endif  // ACCORD_TESTS_E2E_E2E_CLIENT_H_
