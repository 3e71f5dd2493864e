#include "service/catalog/validator.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/catalog/loader.h"
#include "tests/catalog/catalog_test_util.h"

namespace accord::catalog {
namespace {

using ::accord::testing::kValidCatalog;
using ::accord::testing::kValidText;
using ::accord::testing::TempCatalogDir;
using ::testing::HasSubstr;

// Loads kValidCatalog with `from` replaced by `to` (and `extra` appended),
// and returns the validation result.
absl::Status ValidateVariant(const std::string& from, const std::string& to,
                             const std::string& extra = "") {
  TempCatalogDir dir;
  std::string text = absl::StrReplaceAll(kValidCatalog, {{from, to}});
  EXPECT_TRUE(from.empty() || text != kValidCatalog) << "test bug: \"" << from << "\" not found";
  dir.Write("catalogue.textproto", text + extra);
  dir.Write("texts/article.txt", kValidText);
  absl::StatusOr<RawCatalog> raw = ReadCatalogDirectory(dir.path());
  if (!raw.ok()) return raw.status();
  return ValidateCatalog(*raw);
}

TEST(ValidatorTest, ValidCatalogPasses) {
  EXPECT_TRUE(ValidateVariant("", "").ok()) << ValidateVariant("", "");
}

struct BadCase {
  const char* label;
  std::string from;
  std::string to;
  std::string extra;
  // Every fragment must appear in the error message.
  std::vector<std::string> expected;
};

// Names the case in test logs instead of dumping its bytes.
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.label; }

class ValidatorFailureTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ValidatorFailureTest, FailsNamingFileRecordAndProblem) {
  const BadCase& c = GetParam();
  absl::Status s = ValidateVariant(c.from, c.to, c.extra);
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(s.message(), HasSubstr("catalogue.textproto: ")) << s;
  for (const auto& fragment : c.expected) EXPECT_THAT(s.message(), HasSubstr(fragment));
}

INSTANTIATE_TEST_SUITE_P(
    EveryRule, ValidatorFailureTest,
    ::testing::Values(
        BadCase{"MalformedId",
                "agreements/pact\"\n    title",
                "agreements/Pact_1\"\n    title",
                "",
                {"agreements/Pact_1", "name: \"agreements/Pact_1\" is not a valid agreement name"}},
        BadCase{"CountryIdNotIsoCode",
                "countries/us\" iso_code",
                "countries/usa\" iso_code",
                "",
                {"countries/usa", "not a valid country name"}},
        BadCase{"DuplicateName",
                "",
                "",
                "sectors { name: \"sectors/energy\" }",
                {"sectors/energy: name: the name is used by more than one record"}},
        BadCase{"UnresolvedReference",
                "parties: \"countries/us\"",
                "parties: \"countries/zz\"",
                "",
                {"agreements/pact: parties[1]: \"countries/zz\" does not exist in the catalogue"}},
        BadCase{"ReferenceToWrongCollection",
                "parties: \"countries/us\"",
                "parties: \"sectors/energy\"",
                "",
                {"agreements/pact: parties[1]: \"sectors/energy\" is not a valid reference: "
                 "expected a countries name"}},
        BadCase{"UnknownEvidenceSource",
                "source: \"sources/article\" }\n  }",
                "source: \"sources/missing\" }\n  }",
                "",
                {"agreements/pact/commitments/patrol: evidence[0].source: \"sources/missing\" does "
                 "not exist"}},
        BadCase{"MonthOutOfRange",
                "month: 10 }",
                "month: 13 }",
                "",
                {"agreements/pact: events[0].date: month 13 is out of range 1-12"}},
        BadCase{"DayNotInMonth",
                "month: 10 }",
                "month: 2 day: 30 }",
                "",
                {"events[0].date: day 30 is not valid in 2025-2"}},
        BadCase{"DayWithoutMonth",
                "month: 10 }",
                "day: 3 }",
                "",
                {"events[0].date: a day is given without a month"}},
        BadCase{"QuoteNotInSource",
                "signed a  pact\\nin October",
                "signed a treaty",
                "",
                {"agreements/pact: evidence[0].quote: \"signed a treaty\" is not found in the text "
                 "of sources/article"}},
        BadCase{"QuoteOfSourceWithoutText",
                "",
                "",
                "sources { name: \"sources/other\" }\n"
                "assessments { name: \"assessments/view\" statement: \"x\" evidence { source: "
                "\"sources/other\" quote: \"anything\" } }",
                {"assessments/view: evidence[0].quote: quotes \"sources/other\", whose text is not "
                 "shipped"}},
        BadCase{"AgreementWithoutEvidence",
                "evidence { source: \"sources/article\" quote: \"signed a  pact\\nin October\" }",
                "",
                "",
                {"agreements/pact: evidence: at least one piece of evidence is required"}},
        BadCase{"AssessmentWithoutEvidence",
                "",
                "",
                "assessments { name: \"assessments/view\" statement: \"x\" }",
                {"assessments/view: evidence: at least one piece of evidence is required"}},
        BadCase{"CommitmentOfMissingAgreement",
                "agreements/pact/commitments/patrol",
                "agreements/other/commitments/patrol",
                "",
                {"agreements/other/commitments/patrol: name: parent agreement \"agreements/other\" "
                 "does not exist"}},
        BadCase{"CommitmentWithoutParty",
                "committed_by: \"countries/my\"\n",
                "",
                "",
                {"committed_by: at least one party is required"}},
        BadCase{"IsoCodeMismatch",
                "iso_code: \"MY\"",
                "iso_code: \"MX\"",
                "",
                {"countries/my: iso_code: \"MX\" does not match the name"}},
        BadCase{"AreaParentCycle",
                "display_name: \"Security\"",
                "display_name: \"Security\" parent: \"cooperationAreas/maritime-security\"",
                "",
                {"parent: the parent chain forms a cycle"}},
        BadCase{"AgreementWithoutTitle",
                "title: \"A Pact\"",
                "",
                "",
                {"agreements/pact: title: a title is required"}},
        BadCase{"LevelHistoryOutOfOrder",
                "",
                "",
                "partnerships { name: \"partnerships/my-us\" parties: \"countries/my\" "
                "parties: \"countries/us\" "
                "level_history { level: COMPREHENSIVE_STRATEGIC_PARTNERSHIP date { year: 2025 } "
                "evidence { source: \"sources/article\" } } "
                "level_history { level: COMPREHENSIVE_PARTNERSHIP date { year: 2014 } "
                "evidence { source: \"sources/article\" } } }",
                {"partnerships/my-us: level_history[1].date: level changes must be listed oldest "
                 "first"}},
        BadCase{"EvidenceWithoutSource",
                "evidence { source: \"sources/article\" }\n  }",
                "evidence { locator: \"F1\" }\n  }",
                "",
                {"agreements/pact/commitments/patrol: evidence[0].source: evidence must name its "
                 "source"}},
        BadCase{"UndefinedEnumNumber",
                "kind: SECURITY_COOPERATION",
                "kind: 99",
                "",
                {"agreements/pact/commitments/patrol: kind: 99 is not a value of "
                 "accord.v1.Commitment.Kind"}},
        BadCase{"EventsOutOfOrder",
                "events { type: SIGNED date { year: 2025 month: 10 } }",
                "events { type: SIGNED date { year: 2025 month: 10 } }\n"
                "    events { type: NEGOTIATED date { year: 2024 } }",
                "",
                {"agreements/pact: events[1].date: dated events must be listed oldest first"}},
        BadCase{"EventWithoutType",
                "type: SIGNED date",
                "date",
                "",
                {"agreements/pact: events[0].type: an event type is required"}},
        BadCase{"EventPartyNotAParty",
                "type: SIGNED date",
                "type: RATIFIED party: \"countries/cn\" date",
                "countries { name: \"countries/cn\" iso_code: \"CN\" }",
                {"agreements/pact: events[0].party: \"countries/cn\" is not a party"}},
        BadCase{"CommitmentByANonParty",
                "committed_to: \"countries/us\"",
                "committed_to: \"countries/cn\"",
                "countries { name: \"countries/cn\" iso_code: \"CN\" }",
                {"agreements/pact/commitments/patrol: committed_to[0]: \"countries/cn\" is not a "
                 "party of agreements/pact"}},
        BadCase{"AgreementWithOneParty",
                "    parties: \"countries/us\"\n",
                "",
                "",
                {"agreements/pact: parties: an agreement needs at least two parties"}},
        BadCase{"DuplicateReference",
                "parties: \"countries/us\"",
                "parties: \"countries/us\" parties: \"countries/us\"",
                "",
                {"agreements/pact: parties[2]: \"countries/us\" is listed twice"}},
        BadCase{"RelatedToItself",
                "title: \"A Pact\"",
                "title: \"A Pact\" related_agreements { agreement: \"agreements/pact\" }",
                "",
                {"agreements/pact: related_agreements[0].agreement: an agreement cannot be related "
                 "to itself"}},
        BadCase{"PartnershipWithOneParty",
                "",
                "",
                "partnerships { name: \"partnerships/my-us\" parties: \"countries/my\" }",
                {"partnerships/my-us: parties: a partnership is bilateral"}},
        BadCase{"LevelChangeWithoutEvidence",
                "",
                "",
                "partnerships { name: \"partnerships/my-us\" parties: \"countries/my\" "
                "parties: \"countries/us\" "
                "level_history { level: COMPREHENSIVE_PARTNERSHIP date { year: 2014 } } }",
                {"partnerships/my-us: level_history[0].evidence: at least one piece of evidence"}}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return info.param.label; });

}  // namespace
}  // namespace accord::catalog

namespace accord::catalog {
namespace {

// kValidCatalog plus `count` more agreements, each with one commitment;
// agreement `bad_title` has no title, commitment `bad_party` commits a
// country that is not a party (-1: none).
absl::Status ValidateLarge(int count, int bad_title, int bad_party, int bad_title2 = -1) {
  TempCatalogDir dir;
  std::string text = ::accord::testing::kValidCatalog;
  for (int i = 0; i < count; ++i) {
    const bool no_title = i == bad_title || i == bad_title2;
    absl::StrAppend(&text, "agreements { name: \"agreements/a", i, "\"",
                    no_title ? "" : " title: \"T\"",
                    " parties: \"countries/my\" parties: \"countries/us\""
                    " evidence { source: \"sources/article\" } }\n");
    absl::StrAppend(&text, "commitments { name: \"agreements/a", i, "/commitments/c\"",
                    " committed_by: \"", i == bad_party ? "countries/zz" : "countries/my",
                    "\" kind: SECURITY_COOPERATION evidence { source: \"sources/article\" } }\n");
  }
  if (bad_party >= 0) {
    absl::StrAppend(&text, "countries { name: \"countries/zz\" iso_code: \"ZZ\" }\n");
  }
  dir.Write("catalogue.textproto", text);
  dir.Write("texts/article.txt", ::accord::testing::kValidText);
  absl::StatusOr<RawCatalog> raw = ReadCatalogDirectory(dir.path());
  if (!raw.ok()) return raw.status();
  return ValidateCatalog(*raw);
}

// Large enough that records are checked in several chunks on a machine
// with more than one core: the error is still the first record's.
TEST(ValidatorLargeTest, ReportsTheFirstFailingRecordWhateverTheChunk) {
  constexpr int kCount = 12000;
  EXPECT_TRUE(ValidateLarge(kCount, -1, -1).ok());
  for (int bad : {0, kCount / 2 - 1, kCount / 2 + 1, kCount - 1}) {
    absl::Status s = ValidateLarge(kCount, bad, -1);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(s.message(),
                HasSubstr(absl::StrCat("agreements/a", bad, ": title: a title is required")))
        << s;
  }
  // Two bad records in different chunks: the earlier one is reported.
  absl::Status two = ValidateLarge(kCount, kCount - 5, -1, 7);
  EXPECT_THAT(two.message(), HasSubstr("agreements/a7: title")) << two;
  // A failing agreement is reported before a failing commitment, as the
  // agreements are checked first.
  absl::Status both = ValidateLarge(kCount, kCount - 1, 3);
  EXPECT_THAT(both.message(), HasSubstr(absl::StrCat("agreements/a", kCount - 1, ": title")))
      << both;
  absl::Status party = ValidateLarge(kCount, -1, kCount / 2 + 3);
  EXPECT_THAT(party.message(),
              HasSubstr(absl::StrCat("agreements/a", kCount / 2 + 3,
                                     "/commitments/c: committed_by[0]: \"countries/zz\" is not a "
                                     "party of agreements/a",
                                     kCount / 2 + 3)))
      << party;
}

// Duplicate names: each collection's names are indexed on their own
// thread; the first collection in catalogue order with a duplicate is
// reported.
TEST(ValidatorLargeTest, DuplicateNameInTheFirstCollectionIsReported) {
  TempCatalogDir dir;
  std::string text = ::accord::testing::kValidCatalog;
  for (int i = 0; i < 20000; ++i) {
    absl::StrAppend(&text, "agreements { name: \"agreements/a", i,
                    "\" title: \"T\" parties: \"countries/my\" parties: \"countries/us\" }\n");
  }
  absl::StrAppend(&text, "agreements { name: \"agreements/a19999\" title: \"T\" }\n");
  absl::StrAppend(&text, "sources { name: \"sources/article\" }\n");
  dir.Write("catalogue.textproto", text);
  dir.Write("texts/article.txt", ::accord::testing::kValidText);
  absl::StatusOr<RawCatalog> raw = ReadCatalogDirectory(dir.path());
  ASSERT_TRUE(raw.ok()) << raw.status();
  absl::Status s = ValidateCatalog(*raw);
  EXPECT_THAT(s.message(),
              HasSubstr("agreements/a19999: name: the name is used by more than one record"))
      << s;
}

// Names are checked for form on every core, then indexed in order: of a
// malformed name and a duplicate, the earlier in the file is reported.
absl::Status ValidateNames(int count, int malformed, int duplicate) {
  TempCatalogDir dir;
  std::string text = ::accord::testing::kValidCatalog;
  for (int i = 0; i < count; ++i) {
    std::string name = absl::StrCat("agreements/a", i);
    if (i == malformed) name = absl::StrCat("agreements/A_", i);
    if (i == duplicate) name = "agreements/a0";
    absl::StrAppend(&text, "agreements { name: \"", name,
                    "\" title: \"T\" parties: \"countries/my\" parties: \"countries/us\" }\n");
  }
  dir.Write("catalogue.textproto", text);
  dir.Write("texts/article.txt", ::accord::testing::kValidText);
  absl::StatusOr<RawCatalog> raw = ReadCatalogDirectory(dir.path());
  if (!raw.ok()) return raw.status();
  return ValidateCatalog(*raw);
}

TEST(ValidatorLargeTest, EarlierOfMalformedAndDuplicateNameIsReported) {
  absl::Status dup_first = ValidateNames(20000, 15000, 9000);
  EXPECT_THAT(dup_first.message(),
              HasSubstr("agreements/a0: name: the name is used by more than one record"))
      << dup_first;
  absl::Status bad_first = ValidateNames(20000, 9000, 15000);
  EXPECT_THAT(bad_first.message(),
              HasSubstr("agreements/A_9000: name: \"agreements/A_9000\" is not a valid "
                        "agreement name"))
      << bad_first;
  absl::Status bad_late = ValidateNames(20000, 19999, -1);
  EXPECT_THAT(bad_late.message(), HasSubstr("agreements/A_19999: name: ")) << bad_late;
}

}  // namespace
}  // namespace accord::catalog
