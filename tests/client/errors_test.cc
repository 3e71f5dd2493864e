#include "accord/client/errors.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace accord::client {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

grpc::Status StatusWithDetails(grpc::StatusCode code, const std::string& message,
                               const google::rpc::Status& details) {
  return grpc::Status(code, message, details.SerializeAsString());
}

TEST(ErrorFromStatus, DecodesErrorInfoAndBadRequest) {
  google::rpc::Status details;
  details.set_code(3);
  details.set_message("offset 3: unexpected token");
  google::rpc::ErrorInfo info;
  info.set_reason("FILTER_SYNTAX");
  info.set_domain("accord");
  (*info.mutable_metadata())["offset"] = "3";
  details.add_details()->PackFrom(info);
  google::rpc::BadRequest bad_request;
  auto* v = bad_request.add_field_violations();
  v->set_field("filter");
  v->set_description("offset 3: unexpected token");
  details.add_details()->PackFrom(bad_request);

  Error e = ErrorFromStatus(
      StatusWithDetails(grpc::StatusCode::INVALID_ARGUMENT, "offset 3: unexpected token", details));
  EXPECT_EQ(e.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(e.message, "offset 3: unexpected token");
  EXPECT_EQ(e.reason, "FILTER_SYNTAX");
  EXPECT_EQ(e.domain, "accord");
  EXPECT_THAT(e.metadata, UnorderedElementsAre(Pair("offset", "3")));
  EXPECT_THAT(e.field_violations, ElementsAre(Field(&FieldViolation::field, "filter")));
  EXPECT_EQ(e.ToString(), "INVALID_ARGUMENT FILTER_SYNTAX (filter): offset 3: unexpected token");
}

TEST(ErrorFromStatus, NoDetailsLeavesThemEmpty) {
  Error e = ErrorFromStatus(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded"));
  EXPECT_EQ(e.code, grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(e.reason, "");
  EXPECT_TRUE(e.metadata.empty());
  EXPECT_TRUE(e.field_violations.empty());
  EXPECT_EQ(e.ToString(), "DEADLINE_EXCEEDED: Deadline Exceeded");
}

TEST(ErrorFromStatus, UndecodableDetailsAreIgnored) {
  Error e = ErrorFromStatus(grpc::Status(grpc::StatusCode::INTERNAL, "boom", "\xff\xff not proto"));
  EXPECT_EQ(e.code, grpc::StatusCode::INTERNAL);
  EXPECT_EQ(e.reason, "");
  EXPECT_TRUE(e.field_violations.empty());
}

TEST(CodeName, CanonicalNames) {
  EXPECT_EQ(CodeName(grpc::StatusCode::OK), "OK");
  EXPECT_EQ(CodeName(grpc::StatusCode::INVALID_ARGUMENT), "INVALID_ARGUMENT");
  EXPECT_EQ(CodeName(grpc::StatusCode::UNAUTHENTICATED), "UNAUTHENTICATED");
  EXPECT_EQ(CodeName(static_cast<grpc::StatusCode>(99)), "UNKNOWN");
}

}  // namespace
}  // namespace accord::client
