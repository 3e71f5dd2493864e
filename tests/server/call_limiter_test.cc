#include "service/server/call_limiter.h"

#include "gtest/gtest.h"

namespace accord::server {
namespace {

TEST(CallLimiterTest, CountsCallsPerPeer) {
  CallLimiter limiter(2);
  EXPECT_EQ(limiter.AliveOn("ipv4:127.0.0.1:1000"), 0);
  limiter.Add("ipv4:127.0.0.1:1000");
  limiter.Add("ipv4:127.0.0.1:1000");
  limiter.Add("ipv4:127.0.0.1:2000");
  EXPECT_EQ(limiter.AliveOn("ipv4:127.0.0.1:1000"), 2);
  EXPECT_EQ(limiter.AliveOn("ipv4:127.0.0.1:2000"), 1);
  limiter.Remove("ipv4:127.0.0.1:1000");
  limiter.Remove("ipv4:127.0.0.1:1000");
  limiter.Remove("ipv4:127.0.0.1:1000");  // more removes than adds: stays at 0
  EXPECT_EQ(limiter.AliveOn("ipv4:127.0.0.1:1000"), 0);
  EXPECT_NE(limiter.Factory(), nullptr);
}

}  // namespace
}  // namespace accord::server
