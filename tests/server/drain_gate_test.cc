#include "service/server/drain_gate.h"

#include "gtest/gtest.h"
#include "service/api/errors.h"

namespace accord::server {
namespace {

TEST(DrainGateTest, OpenUntilClosedThenUnavailable) {
  DrainGate gate;
  EXPECT_FALSE(gate.closed());
  EXPECT_TRUE(gate.Check().ok());
  gate.Close();
  EXPECT_TRUE(gate.closed());
  absl::Status s = gate.Check();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(std::string(*s.GetPayload(api::kReasonPayload)), "SHUTTING_DOWN");
}

}  // namespace
}  // namespace accord::server
