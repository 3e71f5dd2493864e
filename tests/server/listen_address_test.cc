#include "service/server/listen_address.h"

#include "gtest/gtest.h"

namespace accord::server {
namespace {

TEST(IsLoopbackHostTest, LiteralLoopbackAddresses) {
  for (const char* host : {"localhost", "127.0.0.1", "127.1.2.3", "127.255.255.255", "::1",
                           "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
}

TEST(IsLoopbackHostTest, NamesAndOtherAddressesAreNot) {
  for (const char* host : {"127.evil.example", "127.0.0.1.evil.example", "127.", "127.0.0.1x",
                           "0.0.0.0", "10.0.0.1", "128.0.0.1", "::", "::2", "::ffff:10.0.0.1",
                           "localhost.evil.example", "example.com", "", "127.0.0.1 "}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

TEST(CheckListenAddressTest, RejectsLookalikeHostsWithoutAllowRemote) {
  EXPECT_TRUE(CheckListenAddress("127.0.0.1:50051", false).ok());
  EXPECT_TRUE(CheckListenAddress("[::1]:0", false).ok());
  EXPECT_TRUE(CheckListenAddress("localhost:1", false).ok());
  absl::Status s = CheckListenAddress("127.evil.example:1", false);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("loopback"), absl::string_view::npos) << s.message();
  EXPECT_TRUE(CheckListenAddress("127.evil.example:1", true).ok());
  EXPECT_FALSE(CheckListenAddress("127.0.0.1:65536", false).ok());
  EXPECT_FALSE(CheckListenAddress("127.0.0.1", false).ok());
}

}  // namespace
}  // namespace accord::server
