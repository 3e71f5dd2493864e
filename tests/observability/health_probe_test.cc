#include "service/server/health_probe.h"

#include <string>

#include "gtest/gtest.h"

namespace accord::server {
namespace {

TEST(HealthProbe, EncodesTheRequestAsProtobufWireBytes) {
  EXPECT_EQ(EncodeHealthCheckRequest(""), "");  // proto3 empty message
  // field 1, wire type 2 (0x0a), length 3, "abc"
  EXPECT_EQ(EncodeHealthCheckRequest("abc"), std::string("\x0a\x03"
                                                         "abc"));
}

TEST(HealthProbe, DecodesEachServingStatus) {
  EXPECT_EQ(*DecodeHealthCheckResponse(""), ServingStatus::kUnknown);
  EXPECT_EQ(*DecodeHealthCheckResponse(std::string("\x08\x01", 2)), ServingStatus::kServing);
  EXPECT_EQ(*DecodeHealthCheckResponse(std::string("\x08\x02", 2)), ServingStatus::kNotServing);
  EXPECT_EQ(*DecodeHealthCheckResponse(std::string("\x08\x03", 2)), ServingStatus::kServiceUnknown);
  EXPECT_EQ(*DecodeHealthCheckResponse(std::string("\x08\x09", 2)), ServingStatus::kUnknown);
  // Unknown fields are skipped.
  EXPECT_EQ(*DecodeHealthCheckResponse(std::string("\x12\x01x\x08\x01", 5)),
            ServingStatus::kServing);
}

TEST(HealthProbe, RejectsBytesThatAreNotAMessage) {
  EXPECT_EQ(DecodeHealthCheckResponse(std::string("\x08", 1)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(HealthProbe, ReportsAnUnreachableServer) {
  absl::StatusOr<ServingStatus> status = CheckHealth("127.0.0.1:1", "", absl::Milliseconds(500));
  EXPECT_FALSE(status.ok());
}

}  // namespace
}  // namespace accord::server
