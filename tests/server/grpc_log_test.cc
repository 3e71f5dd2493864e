#include "service/server/grpc_log.h"

#include <string>

#include "google/protobuf/stubs/logging.h"
#include "gtest/gtest.h"

namespace accord::server {
namespace {

TEST(GrpcLogTest, ListenerFailuresAreTheNonTransientAcceptErrors) {
  EXPECT_TRUE(IsListenerFailure("Failed accept4: Too many open files"));
  EXPECT_TRUE(IsListenerFailure("Failed accept4: Too many open files in system"));
  EXPECT_TRUE(IsListenerFailure("Failed accept4: Cannot allocate memory"));
  EXPECT_FALSE(IsListenerFailure("Failed accept4: Resource temporarily unavailable"));
  EXPECT_FALSE(IsListenerFailure("Failed accept4: Software caused connection abort"));
  EXPECT_FALSE(IsListenerFailure("Failed accept4: Interrupted system call"));
  EXPECT_FALSE(IsListenerFailure("Handshake failed"));
  EXPECT_FALSE(IsListenerFailure(""));
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(GrpcLogTest, ProtobufLogLinesAreRateLimited) {
  InstallProtobufLogHandler(absl::Hours(1));
  ::testing::internal::CaptureStderr();
  for (int i = 0; i < 100; ++i) GOOGLE_LOG(ERROR) << "flood line " << i;
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(Count(err, "flood line"), 1) << err;
  EXPECT_EQ(Count(err, "flood line 0"), 1);
  EXPECT_NE(err.find("ERROR protobuf: "), std::string::npos) << err;
}

}  // namespace
}  // namespace accord::server
