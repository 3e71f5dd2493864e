#include "service/watch/resume_token.h"

#include "gtest/gtest.h"

namespace accord::watch {
namespace {

TEST(ResumeTokenTest, RoundTrips) {
  ResumePosition p{0xfeedface12345678ull, 42, 7, "035fd3754886a3b3", WatchRequestHash("a", "b")};
  std::string token = EncodeResumeToken(p);
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  absl::StatusOr<ResumePosition> back = DecodeResumeToken(token);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->lineage, p.lineage);
  EXPECT_EQ(back->seq, 42u);
  EXPECT_EQ(back->index, 7u);
  EXPECT_EQ(back->version, "035fd3754886a3b3");
  EXPECT_EQ(back->request_hash, p.request_hash);
}

TEST(ResumeTokenTest, AnythingElseIsInvalidArgument) {
  for (const char* bad : {"", "not-a-token", "dzE6", "dzE6eDox", "%%%%"}) {
    absl::StatusOr<ResumePosition> p = DecodeResumeToken(bad);
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_FALSE(DecodeResumeToken(std::string(600, 'A')).ok());
}

TEST(ResumeTokenTest, TheRequestHashSeparatesCollectionFromFilter) {
  EXPECT_NE(WatchRequestHash("sectors", ""), WatchRequestHash("sectors", "x"));
  EXPECT_NE(WatchRequestHash("ab", "c"), WatchRequestHash("a", "bc"));
  EXPECT_EQ(WatchRequestHash("sectors", "x"), WatchRequestHash("sectors", "x"));
}

}  // namespace
}  // namespace accord::watch
