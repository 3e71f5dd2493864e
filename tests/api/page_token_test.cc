#include "service/api/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
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

TEST(PageTokenTest, CheckAcceptsATokenOfThisQueryAndCatalogue) {
  const uint64_t query = QueryFingerprint("agreements", "", "kind = TREATY", "");
  auto checked = CheckPageToken(EncodePageToken({VersionFingerprint("v1"), query, 20, 7}), query,
                                "v1", "mismatch", "listing");
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->offset, 20u);
  EXPECT_EQ(checked->after, 7u);
}

TEST(PageTokenTest, CheckRefusesAnotherQueryWithTheGivenMessage) {
  const uint64_t query = QueryFingerprint("agreements", "", "kind = TREATY", "");
  const uint64_t other =
      QueryFingerprint("agreements", "", "kind = MEMORANDUM_OF_UNDERSTANDING", "");
  auto checked = CheckPageToken(EncodePageToken({VersionFingerprint("v1"), other, 20}), query, "v1",
                                "issued for a different filter", "listing");
  ASSERT_EQ(checked.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(checked.status().message(), "issued for a different filter");
  EXPECT_EQ(std::string(*checked.status().GetPayload(kReasonPayload)), "PAGE_TOKEN_MISMATCH");
  EXPECT_EQ(std::string(*checked.status().GetPayload(kFieldPayload)), "page_token");
}

TEST(PageTokenTest, CheckRefusesAnotherCatalogueVersionNamingTheCurrentOne) {
  const uint64_t query = QueryFingerprint("search", "agreements", "", "trade");
  auto checked = CheckPageToken(EncodePageToken({VersionFingerprint("v1"), query, 20}), query, "v2",
                                "mismatch", "search");
  ASSERT_EQ(checked.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(checked.status().message(),
            "the catalogue was reloaded since this page_token was issued; start the search again "
            "without a page_token");
  EXPECT_EQ(std::string(*checked.status().GetPayload(kReasonPayload)), "CATALOG_CHANGED");
  auto version = checked.status().GetPayload(absl::StrCat(kMetadataPrefix, "version"));
  ASSERT_TRUE(version.has_value());
  EXPECT_EQ(std::string(*version), "v2");
}

TEST(PageTokenTest, CheckRefusesGarbageAsInvalid) {
  auto checked = CheckPageToken("not a token", 1, "v1", "mismatch", "listing");
  ASSERT_EQ(checked.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(*checked.status().GetPayload(kReasonPayload)), "INVALID_PAGE_TOKEN");
}

}  // namespace
}  // namespace accord::api
