#include "accord/client/channel.h"

#include <string>

#include "gmock/gmock.h"
#include "grpcpp/support/validate_service_config.h"
#include "gtest/gtest.h"

namespace accord::client {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ServiceConfigJson, DefaultsAreAValidConfigWithTimeoutAndRetries) {
  absl::StatusOr<std::string> config = ServiceConfigJson({});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(grpc::experimental::ValidateServiceConfigJSON(*config), "");
  EXPECT_THAT(*config, HasSubstr(R"("service":"accord.v1.AccordService")"));
  EXPECT_THAT(*config, HasSubstr(R"("timeout":"10.000000000s")"));
  EXPECT_THAT(*config, HasSubstr(R"("maxAttempts":4)"));
  EXPECT_THAT(*config, HasSubstr(R"("initialBackoff":"0.100000000s")"));
  EXPECT_THAT(*config, HasSubstr(R"("retryableStatusCodes":["UNAVAILABLE"])"));
}

TEST(ServiceConfigJson, OneAttemptHasNoRetryPolicy) {
  ChannelOptions options;
  options.max_attempts = 1;
  options.timeout = absl::Milliseconds(1500);
  absl::StatusOr<std::string> config = ServiceConfigJson(options);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(grpc::experimental::ValidateServiceConfigJSON(*config), "");
  EXPECT_THAT(*config, HasSubstr(R"("timeout":"1.500000000s")"));
  EXPECT_THAT(*config, Not(HasSubstr("retryPolicy")));
}

TEST(ServiceConfigJson, RejectsOutOfRangeOptions) {
  ChannelOptions zero_timeout;
  zero_timeout.timeout = absl::ZeroDuration();
  EXPECT_EQ(ServiceConfigJson(zero_timeout).status().code(), absl::StatusCode::kInvalidArgument);
  ChannelOptions too_many;
  too_many.max_attempts = 6;
  EXPECT_EQ(ServiceConfigJson(too_many).status().code(), absl::StatusCode::kInvalidArgument);
  ChannelOptions backoff;
  backoff.max_backoff = absl::Milliseconds(10);  // below initial_backoff
  EXPECT_EQ(ServiceConfigJson(backoff).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeChannel("127.0.0.1:1", too_many).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MakeStub, CallToNothingFailsUnavailableAfterRetries) {
  // Port 1 on loopback: nothing listens, so every attempt is UNAVAILABLE.
  ChannelOptions options;
  options.timeout = absl::Seconds(5);
  options.initial_backoff = absl::Milliseconds(10);
  options.max_backoff = absl::Milliseconds(20);
  auto stub = MakeStub("127.0.0.1:1", options);
  ASSERT_TRUE(stub.ok()) << stub.status();
  grpc::ClientContext context;
  accord::v1::GetCountryRequest request;
  request.set_name("countries/my");
  accord::v1::Country country;
  grpc::Status status = (*stub)->GetCountry(&context, request, &country);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(Version, IsTheRepositoryVersion) { EXPECT_STREQ(Version(), ACCORD_TEST_VERSION); }

}  // namespace
}  // namespace accord::client
