#include "service/catalog/collections.h"

#include "gtest/gtest.h"

namespace accord::catalog {
namespace {

TEST(CollectionsTest, CollectionOfRecognisesEveryWellFormedName) {
  EXPECT_EQ(CollectionOf("countries/my"), CollectionId::kCountries);
  EXPECT_EQ(CollectionOf("partnerships/my-us"), CollectionId::kPartnerships);
  EXPECT_EQ(CollectionOf("agreements/my-us-art-2025"), CollectionId::kAgreements);
  EXPECT_EQ(CollectionOf("agreements/a/commitments/b2"), CollectionId::kCommitments);
  EXPECT_EQ(CollectionOf("cooperationAreas/maritime-security"), CollectionId::kCooperationAreas);
  EXPECT_EQ(CollectionOf("sectors/oil-and-gas"), CollectionId::kSectors);
  EXPECT_EQ(CollectionOf("sources/ustr"), CollectionId::kSources);
  EXPECT_EQ(CollectionOf("assessments/x1"), CollectionId::kAssessments);
}

TEST(CollectionsTest, CollectionOfRejectsMalformedNames) {
  for (const char* name :
       {"", "agreements", "agreements/", "/x", "agreements/a/b", "agreements/a/commitments/",
        "agreements/a/commitmentsx/b", "agreements/a/commitments/b/c", "agreements/A",
        "agreements/1a", "agreements/a-", "agreements/a_b", "countries/usa", "countries/m1",
        "sectors/x/y", "treaties/x", "cooperationareas/x",
        "agreements/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) {
    EXPECT_EQ(CollectionOf(name), std::nullopt) << name;
  }
}

TEST(CollectionsTest, ValidateNameExplainsTheExpectedForm) {
  EXPECT_TRUE(ValidateName("agreements/a/commitments/b", CollectionId::kCommitments).ok());
  absl::Status s = ValidateName("agreements/a", CollectionId::kCommitments);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(s.message()),
            "\"agreements/a\" is not a valid commitment name: expected "
            "\"agreements/{agreement}/commitments/{commitment}\" where each id matches "
            "[a-z][a-z0-9-]{0,62} and does not end with '-'");
  EXPECT_EQ(std::string(ValidateName("", CollectionId::kAssessments).message()),
            "an assessment name is required: expected \"assessments/{assessment}\" where each id "
            "matches [a-z][a-z0-9-]{0,62} and does not end with '-'");
}

TEST(CollectionsTest, LongNamesAreQuotedOnlyInPart) {
  std::string name = "agreements/" + std::string(1 << 20, 'a');
  absl::Status s = ValidateName(name, CollectionId::kAgreements);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_LT(s.message().size(), 400u);
  EXPECT_NE(std::string(s.message()).find("... (1048587 bytes)"), std::string::npos);
}

TEST(CollectionsTest, LongNamesAreCutAtACharacterBoundary) {
  // "countries/" is 10 bytes; three-byte characters then put a boundary at
  // byte 127, not 128.
  std::string name = "countries/";
  for (int i = 0; i < 100; ++i) name += "\xe2\x82\xac";
  absl::Status s = ValidateName(name, CollectionId::kCountries);
  EXPECT_EQ(std::string(s.message()).substr(0, 128), "\"" + name.substr(0, 127));
  EXPECT_NE(std::string(s.message()).find(name.substr(0, 127) + "... (310 bytes)"),
            std::string::npos);
}

}  // namespace
}  // namespace accord::catalog
