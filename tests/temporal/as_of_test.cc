#include "service/temporal/as_of.h"

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "service/catalog/loader.h"
#include "service/query/date_literal.h"

namespace accord::temporal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using v1::Agreement;
using v1::Partnership;

query::DateRange Day(absl::string_view text) {
  absl::StatusOr<query::DateRange> r = query::ParseDateLiteral(text);
  EXPECT_TRUE(r.ok()) << text;
  return *r;
}

TEST(HappenedByTest, ComparesEveryDayTheEventSpans) {
  const int32_t oct15 = 20251015;
  EXPECT_EQ(HappenedBy(Day("2025-10-14"), oct15), Happened::kYes);
  EXPECT_EQ(HappenedBy(Day("2025-10-15"), oct15), Happened::kYes);
  EXPECT_EQ(HappenedBy(Day("2025-10-16"), oct15), Happened::kNo);
  EXPECT_EQ(HappenedBy(Day("2025-10"), oct15), Happened::kUncertain);
  EXPECT_EQ(HappenedBy(Day("2025"), oct15), Happened::kUncertain);
  EXPECT_EQ(HappenedBy(Day("2025-09"), oct15), Happened::kYes);
  EXPECT_EQ(HappenedBy(Day("2025-11"), oct15), Happened::kNo);
  EXPECT_EQ(HappenedBy(query::DateRange{}, oct15), Happened::kNo);
}

class BundledCatalogueAsOfTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto raw = catalog::ReadCatalogDirectory(std::string(ACCORD_SOURCE_DIR) + "/data/catalogue");
    ASSERT_TRUE(raw.ok()) << raw.status();
    raw_ = new catalog::RawCatalog(*std::move(raw));
  }
  static void TearDownTestSuite() { delete raw_; }

  static const Agreement& AgreementNamed(absl::string_view name) {
    for (const auto& a : raw_->catalog->agreements()) {
      if (a.name() == name) return a;
    }
    ADD_FAILURE() << name;
    return Agreement::default_instance();
  }
  static const Partnership& MyUs() { return raw_->catalog->partnerships(0); }

  static catalog::RawCatalog* raw_;
};
catalog::RawCatalog* BundledCatalogueAsOfTest::raw_ = nullptr;

// The issue's example: US–Malaysia as of 2020-06-01 is a Comprehensive
// Partnership, and the ART did not exist.
TEST_F(BundledCatalogueAsOfTest, MalaysiaUsOnFirstJune2020) {
  PartnershipAsOf p = PartnershipLevelAsOf(MyUs(), Day("2020-06-01"));
  EXPECT_EQ(p.level, Partnership::COMPREHENSIVE_PARTNERSHIP);
  EXPECT_TRUE(p.possible_levels.empty());
  EXPECT_EQ(p.uncertainty, "");
  AgreementAsOf art = AgreementStateAsOf(AgreementNamed("agreements/my-us-reciprocal-trade-2025"),
                                         Day("2020-06-01"));
  EXPECT_EQ(art.existence, Existence::kNotYet);
  EXPECT_EQ(art.state, Agreement::STATE_UNSPECIFIED);
}

TEST_F(BundledCatalogueAsOfTest, PartnershipLevelAroundEachChange) {
  EXPECT_EQ(PartnershipLevelAsOf(MyUs(), Day("2013")).level, Partnership::LEVEL_UNSPECIFIED);
  EXPECT_EQ(PartnershipLevelAsOf(MyUs(), Day("2014-04-26")).level, Partnership::LEVEL_UNSPECIFIED);
  EXPECT_EQ(PartnershipLevelAsOf(MyUs(), Day("2014-04-27")).level,
            Partnership::COMPREHENSIVE_PARTNERSHIP);
  // "As of 2014" is the end of 2014.
  EXPECT_EQ(PartnershipLevelAsOf(MyUs(), Day("2014")).level,
            Partnership::COMPREHENSIVE_PARTNERSHIP);
  EXPECT_EQ(PartnershipLevelAsOf(MyUs(), Day("2025-10-25")).level,
            Partnership::COMPREHENSIVE_PARTNERSHIP);
  EXPECT_EQ(PartnershipLevelAsOf(MyUs(), Day("2025-10-26")).level,
            Partnership::COMPREHENSIVE_STRATEGIC_PARTNERSHIP);
  EXPECT_EQ(PartnershipLevelAsOf(MyUs(), Day("2025-10")).level,
            Partnership::COMPREHENSIVE_STRATEGIC_PARTNERSHIP);
}

TEST_F(BundledCatalogueAsOfTest, ArtIsSignedFromItsSigningDay) {
  const Agreement& art = AgreementNamed("agreements/my-us-reciprocal-trade-2025");
  EXPECT_EQ(AgreementStateAsOf(art, Day("2025-10-25")).existence, Existence::kNotYet);
  AgreementAsOf signed_ = AgreementStateAsOf(art, Day("2025-10-26"));
  EXPECT_EQ(signed_.existence, Existence::kExists);
  EXPECT_EQ(signed_.state, Agreement::SIGNED);
  EXPECT_TRUE(signed_.possible_states.empty());
}

// The ACSA renewal is dated only to October 2025: mid-October is uncertain.
TEST_F(BundledCatalogueAsOfTest, AcsaInMidOctober2025IsUncertainNotGuessed) {
  const Agreement& acsa = AgreementNamed("agreements/my-us-acsa");
  AgreementAsOf mid = AgreementStateAsOf(acsa, Day("2025-10-15"));
  EXPECT_EQ(mid.existence, Existence::kUncertain);
  EXPECT_EQ(mid.state, Agreement::STATE_UNSPECIFIED);
  EXPECT_THAT(mid.possible_states, ElementsAre(Agreement::STATE_UNSPECIFIED, Agreement::IN_FORCE));
  EXPECT_EQ(mid.uncertainty,
            "the RENEWED event is dated 2025-10, which spans days on both sides of 2025-10-15");
  AgreementAsOf after = AgreementStateAsOf(acsa, Day("2025-11-01"));
  EXPECT_EQ(after.existence, Existence::kExists);
  EXPECT_EQ(after.state, Agreement::IN_FORCE);
  EXPECT_EQ(after.uncertainty, "");
  // Before the renewal the ACSA existed at some unrecorded time: uncertain.
  AgreementAsOf before = AgreementStateAsOf(acsa, Day("2020-06-01"));
  EXPECT_EQ(before.existence, Existence::kUncertain);
  EXPECT_THAT(before.uncertainty, HasSubstr("when the agreement was signed is not recorded"));
}

TEST_F(BundledCatalogueAsOfTest, AnAgreementWithoutDatedEventsIsUncertain) {
  AgreementAsOf statement = AgreementStateAsOf(
      AgreementNamed("agreements/my-us-defence-joint-statement-2025"), Day("2026"));
  EXPECT_EQ(statement.existence, Existence::kUncertain);
  EXPECT_THAT(statement.uncertainty, HasSubstr("no event is dated"));
}

Agreement Parse(const std::string& text) {
  Agreement a;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &a));
  return a;
}

TEST(AgreementStateAsOfTest, ALaterCertainEventSettlesAnEarlierUncertainOne) {
  Agreement a = Parse(R"text(
    events { type: SIGNED date { year: 2025 month: 10 } }
    events { type: ENTERED_INTO_FORCE date { year: 2025 month: 10 day: 12 } }
    events { type: TERMINATED date { year: 2025 month: 10 day: 20 } }
    events { type: RENEWED }
  )text");
  AgreementAsOf r = AgreementStateAsOf(a, Day("2025-10-15"));
  EXPECT_EQ(r.existence, Existence::kExists);
  EXPECT_EQ(r.state, Agreement::IN_FORCE);
  EXPECT_TRUE(r.possible_states.empty());
  EXPECT_EQ(r.uncertainty, "");
  EXPECT_EQ(AgreementStateAsOf(a, Day("2025-10-20")).state, Agreement::TERMINATED);
}

TEST(AgreementStateAsOfTest, AYearPrecisionAsOfAfterEveryEventIsCertain) {
  Agreement a = Parse(R"text(
    events { type: SIGNED date { year: 2024 month: 3 } }
    events { type: ENTERED_INTO_FORCE date { year: 2024 } }
  )text");
  AgreementAsOf r = AgreementStateAsOf(a, Day("2024"));
  EXPECT_EQ(r.state, Agreement::IN_FORCE);
  EXPECT_TRUE(r.possible_states.empty());
  // Mid-2024: signed for certain; in force only maybe.
  AgreementAsOf mid = AgreementStateAsOf(a, Day("2024-06-30"));
  EXPECT_EQ(mid.existence, Existence::kExists);
  EXPECT_EQ(mid.state, Agreement::SIGNED);
  EXPECT_THAT(mid.possible_states, ElementsAre(Agreement::SIGNED, Agreement::IN_FORCE));
  EXPECT_THAT(mid.uncertainty, HasSubstr("ENTERED_INTO_FORCE event is dated 2024,"));
}

TEST(PartnershipLevelAsOfTest, AnUncertainChangeListsBothLevels) {
  Partnership p;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(R"text(
    level_history { level: STRATEGIC_PARTNERSHIP date { year: 2010 } }
    level_history { level: COMPREHENSIVE_STRATEGIC_PARTNERSHIP date { year: 2020 month: 5 } }
  )text",
                                                            &p));
  PartnershipAsOf r = PartnershipLevelAsOf(p, Day("2020-05-10"));
  EXPECT_EQ(r.level, Partnership::STRATEGIC_PARTNERSHIP);
  EXPECT_THAT(r.possible_levels, ElementsAre(Partnership::STRATEGIC_PARTNERSHIP,
                                             Partnership::COMPREHENSIVE_STRATEGIC_PARTNERSHIP));
  EXPECT_THAT(r.uncertainty,
              HasSubstr("change to COMPREHENSIVE_STRATEGIC_PARTNERSHIP is dated 2020-05"));
  PartnershipAsOf mid2010 = PartnershipLevelAsOf(p, Day("2010-06"));
  EXPECT_EQ(mid2010.level, Partnership::LEVEL_UNSPECIFIED);
  EXPECT_THAT(mid2010.possible_levels,
              ElementsAre(Partnership::LEVEL_UNSPECIFIED, Partnership::STRATEGIC_PARTNERSHIP));
}

}  // namespace
}  // namespace accord::temporal
