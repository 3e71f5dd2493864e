#include "service/api/page_token.h"

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/api/errors.h"

namespace accord::api {
namespace {

TEST(PageTokenTest, RoundTrips) {
  PageToken token{VersionFingerprint("0123456789abcdef"),
                  QueryFingerprint("agreements", "", "kind = TREATY", "sign_date desc"), 150};
  std::string encoded = EncodePageToken(token);
  EXPECT_EQ(encoded.find_first_of("+/="), std::string::npos) << "not URL-safe: " << encoded;
  auto decoded = DecodePageToken(encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->catalog_version, token.catalog_version);
  EXPECT_EQ(decoded->query, token.query);
  EXPECT_EQ(decoded->offset, 150u);
}

TEST(PageTokenTest, EveryFlippedBitIsDetected) {
  std::string encoded = EncodePageToken({1, 2, 3});
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(encoded, &raw));
  for (size_t bit = 0; bit < raw.size() * 8; ++bit) {
    std::string altered = raw;
    altered[bit / 8] = static_cast<char>(altered[bit / 8] ^ (1 << (bit % 8)));
    auto decoded = DecodePageToken(absl::WebSafeBase64Escape(altered));
    ASSERT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument) << "bit " << bit;
  }
}

TEST(PageTokenTest, GarbageIsInvalidArgumentWithReasonAndField) {
  for (const char* garbage : {"!!!", "abc", "AAAA", "not a token at all"}) {
    auto decoded = DecodePageToken(garbage);
    ASSERT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument) << garbage;
    EXPECT_EQ(std::string(*decoded.status().GetPayload(kReasonPayload)), "INVALID_PAGE_TOKEN");
    EXPECT_EQ(std::string(*decoded.status().GetPayload(kFieldPayload)), "page_token");
  }
}

TEST(PageTokenTest, FingerprintSeparatesParts) {
  // "ab" + "c" must differ from "a" + "bc": parts are delimited.
  EXPECT_NE(QueryFingerprint("agreements", "", "ab", "c"),
            QueryFingerprint("agreements", "", "a", "bc"));
  EXPECT_NE(QueryFingerprint("agreements", "", "x", ""), QueryFingerprint("sectors", "", "x", ""));
  EXPECT_EQ(QueryFingerprint("agreements", "", "x", "y"),
            QueryFingerprint("agreements", "", "x", "y"));
}

}  // namespace
}  // namespace accord::api
