#include "service/server/rlimits.h"

#include <sys/resource.h>

#include "gtest/gtest.h"

namespace accord::server {
namespace {

TEST(RlimitsTest, RaisesTheSoftOpenFilesLimitToTheHardOne) {
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_max < 64) GTEST_SKIP() << "hard limit too low to test";
  rlimit lowered = limit;
  lowered.rlim_cur = 32;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
  absl::StatusOr<OpenFilesLimit> raised = RaiseOpenFilesLimit();
  ASSERT_TRUE(raised.ok()) << raised.status();
  EXPECT_EQ(raised->before, 32u);
  EXPECT_EQ(raised->soft, limit.rlim_max);
  EXPECT_EQ(raised->hard, limit.rlim_max);
  rlimit now{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &now), 0);
  EXPECT_EQ(now.rlim_cur, limit.rlim_max);
  // Already at the hard limit: nothing changes.
  raised = RaiseOpenFilesLimit();
  ASSERT_TRUE(raised.ok());
  EXPECT_EQ(raised->before, raised->soft);
}

}  // namespace
}  // namespace accord::server
