#include "service/server/auth.h"

#include "gtest/gtest.h"
#include "service/api/errors.h"

namespace accord::server {
namespace {

std::string Reason(const absl::Status& s) {
  auto payload = s.GetPayload(api::kReasonPayload);
  return payload ? std::string(*payload) : "";
}

TEST(TokenAuthorizerTest, AcceptsConfiguredTokensCaseInsensitiveScheme) {
  TokenAuthorizer auth({"alpha-1", "beta-2"});
  EXPECT_TRUE(auth.Check("Bearer alpha-1", true).ok());
  EXPECT_TRUE(auth.Check("bearer beta-2", true).ok());
  EXPECT_TRUE(auth.Check("BEARER   beta-2  ", true).ok());
}

TEST(TokenAuthorizerTest, NoTokenIsMissing) {
  TokenAuthorizer auth({"alpha-1"});
  for (const char* header :
       {"", "Bearer", "Bearer ", "Bearer     ", "Bearer \t \t", "Basic alpha-1", "alpha-1"}) {
    absl::Status s = auth.Check(header, true);
    EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << '"' << header << '"';
    EXPECT_EQ(Reason(s), "TOKEN_MISSING") << '"' << header << '"';
  }
  EXPECT_EQ(Reason(auth.Check("", false)), "TOKEN_MISSING");
}

TEST(TokenAuthorizerTest, WrongTokenIsUnauthenticatedRejectedAndNotEchoed) {
  TokenAuthorizer auth({"alpha-1"});
  for (const char* header : {"Bearer alpha-2", "Bearer alpha-", "Bearer alpha-11", "Bearer  x "}) {
    absl::Status s = auth.Check(header, true);
    EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << header;
    EXPECT_EQ(Reason(s), "TOKEN_REJECTED") << header;
    EXPECT_EQ(s.message().find("alpha"), absl::string_view::npos);
  }
}

TEST(ConstantTimeEqualsTest, ComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

}  // namespace
}  // namespace accord::server
