#include "service/api/errors.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace accord::api {
namespace {

google::rpc::Status Details(const grpc::Status& status) {
  google::rpc::Status rpc;
  EXPECT_TRUE(rpc.ParseFromString(status.error_details()));
  return rpc;
}

TEST(ErrorsTest, OkStaysOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok()); }

TEST(ErrorsTest, InvalidFieldCarriesErrorInfoAndBadRequest) {
  grpc::Status s = ToGrpcStatus(InvalidField("page_size", "INVALID_PAGE_SIZE", "negative"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "negative");
  google::rpc::Status rpc = Details(s);
  EXPECT_EQ(rpc.code(), 3);
  ASSERT_EQ(rpc.details_size(), 2);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "INVALID_PAGE_SIZE");
  EXPECT_EQ(info.domain(), "accord");
  google::rpc::BadRequest bad;
  ASSERT_TRUE(rpc.details(1).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "page_size");
  EXPECT_EQ(bad.field_violations(0).description(), "negative");
}

TEST(ErrorsTest, NotFoundNamesTheResourceWithoutBadRequest) {
  grpc::Status s = ToGrpcStatus(ResourceNotFound("agreements/nope"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "\"agreements/nope\" was not found");
  google::rpc::Status rpc = Details(s);
  ASSERT_EQ(rpc.details_size(), 1);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "RESOURCE_NOT_FOUND");
  EXPECT_EQ(info.metadata().at("name"), "agreements/nope");
}

TEST(ErrorsTest, FilterPayloadsBecomeReasonOffsetAndFilterViolation) {
  absl::Status st = absl::InvalidArgumentError("offset 4: bad");
  st.SetPayload("accord.filter.reason", absl::Cord("FILTER_SYNTAX"));
  st.SetPayload("accord.filter.offset", absl::Cord("4"));
  google::rpc::Status rpc = Details(ToGrpcStatus(st));
  ASSERT_EQ(rpc.details_size(), 2);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "FILTER_SYNTAX");
  EXPECT_EQ(info.metadata().at("offset"), "4");
  google::rpc::BadRequest bad;
  ASSERT_TRUE(rpc.details(1).UnpackTo(&bad));
  EXPECT_EQ(bad.field_violations(0).field(), "filter");
}

TEST(ErrorsTest, UnannotatedErrorGetsReasonFromCode) {
  google::rpc::Status rpc = Details(ToGrpcStatus(absl::UnavailableError("down")));
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "UNAVAILABLE");
}

TEST(ErrorsTest, QuotePrefixKeepsShortValuesAndCutsLongOnesAtCharacterBoundaries) {
  EXPECT_EQ(QuotePrefix("countries/x"), "countries/x");
  EXPECT_EQ(QuotePrefix(std::string(64, 'a')), std::string(64, 'a'));
  EXPECT_EQ(QuotePrefix(std::string(65, 'a')), std::string(64, 'a') + "... (65 bytes)");
  // 30 three-byte characters: 90 bytes; 64 bytes would end inside the 22nd.
  std::string euros;
  for (int i = 0; i < 30; ++i) euros += "\xe2\x82\xac";
  std::string quoted = QuotePrefix(euros);
  EXPECT_EQ(quoted, euros.substr(0, 63) + "... (90 bytes)");
}

TEST(ErrorsTest, LongMessagesAreCutInStatusAndDetails) {
  std::string long_message(5000, 'x');
  long_message.replace(1023, 3, "\xe2\x82\xac");  // a character across the 1024-byte cut
  grpc::Status status = ToGrpcStatus(InvalidField("filter", "FILTER_SYNTAX", long_message));
  EXPECT_EQ(status.error_message(), long_message.substr(0, 1023) + "...");
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(status.error_details()));
  EXPECT_EQ(rpc.message(), status.error_message());
  google::rpc::BadRequest bad;
  ASSERT_TRUE(rpc.details(1).UnpackTo(&bad));
  EXPECT_EQ(bad.field_violations(0).description(), status.error_message());
}

}  // namespace
}  // namespace accord::api
