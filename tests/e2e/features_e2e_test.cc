// End-to-end tests of as_of and Count (issue 11): the real accord_server
// with the bundled catalogue, through the generated C++ stubs.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_client.h"
#include "tests/support/server_process.h"

namespace accord::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
namespace v1 = ::accord::v1;

constexpr char kArt[] = "agreements/my-us-reciprocal-trade-2025";
constexpr char kAcsa[] = "agreements/my-us-acsa";

class FeaturesE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    ASSERT_TRUE(server_->Start({"--catalog=" + BundledCatalog()})) << server_->log();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { stub_ = NewStub(server_->address()); }

  std::vector<std::string> ListAgreementNamesAsOf(const std::string& as_of,
                                                  const std::string& filter = "",
                                                  int page_size = 0) {
    std::vector<std::string> names;
    v1::ListAgreementsRequest req;
    req.set_as_of(as_of);
    req.set_filter(filter);
    req.set_page_size(page_size);
    do {
      v1::ListAgreementsResponse resp;
      grpc::Status s = stub_->ListAgreements(Context().get(), req, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      for (const auto& a : resp.agreements()) names.push_back(a.name());
      req.set_page_token(resp.next_page_token());
    } while (!req.page_token().empty());
    return names;
  }

  static ServerProcess* server_;
  std::unique_ptr<v1::AccordService::Stub> stub_;
};
ServerProcess* FeaturesE2eTest::server_ = nullptr;

// ---- as_of ----

// The example: US–Malaysia as of 2020-06-01 is a Comprehensive
// Partnership, and the ART did not exist.
TEST_F(FeaturesE2eTest, MalaysiaUsAsOfFirstJune2020) {
  v1::GetPartnershipRequest req;
  req.set_name("partnerships/my-us");
  req.set_as_of("2020-06-01");
  v1::Partnership p;
  ASSERT_TRUE(stub_->GetPartnership(Context().get(), req, &p).ok());
  EXPECT_EQ(p.current_level(), v1::Partnership::COMPREHENSIVE_PARTNERSHIP);
  ASSERT_EQ(p.level_history_size(), 1);
  EXPECT_EQ(p.level_history(0).date().year(), 2014);
  EXPECT_EQ(p.as_of().date(), "2020-06-01");
  EXPECT_FALSE(p.as_of().uncertain());
  EXPECT_EQ(p.possible_levels_size(), 0);

  v1::GetAgreementRequest art;
  art.set_name(kArt);
  art.set_as_of("2020-06-01");
  v1::Agreement a;
  ErrorDetails e = ReadError(stub_->GetAgreement(Context().get(), art, &a));
  EXPECT_EQ(e.code, grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(e.reason, "NOT_YET_SIGNED");
  EXPECT_THAT(e.message, HasSubstr("not yet signed as of 2020-06-01"));

  // Listed as of that day: the 2014 statement; the ACSA and the defence
  // statement are included but uncertain (no dated signing); the 2025
  // instruments are left out.
  EXPECT_THAT(ListAgreementNamesAsOf("2020-06-01"),
              ElementsAre("agreements/my-us-acsa", "agreements/my-us-comprehensive-partnership-2014",
                          "agreements/my-us-defence-joint-statement-2025"));
}

TEST_F(FeaturesE2eTest, WithoutAsOfTheLevelIsTodays) {
  v1::GetPartnershipRequest req;
  req.set_name("partnerships/my-us");
  v1::Partnership p;
  ASSERT_TRUE(stub_->GetPartnership(Context().get(), req, &p).ok());
  EXPECT_EQ(p.current_level(), v1::Partnership::COMPREHENSIVE_STRATEGIC_PARTNERSHIP);
  EXPECT_FALSE(p.has_as_of());
}

TEST_F(FeaturesE2eTest, AnAgreementAsOfItsSigningDay) {
  v1::GetAgreementRequest req;
  req.set_name(kArt);
  req.set_as_of("2025-10-26");
  v1::Agreement a;
  ASSERT_TRUE(stub_->GetAgreement(Context().get(), req, &a).ok());
  EXPECT_EQ(a.state(), v1::Agreement::SIGNED);
  EXPECT_EQ(a.sign_date().day(), 26);
  EXPECT_FALSE(a.as_of().uncertain());
}

TEST_F(FeaturesE2eTest, UncertaintyIsReportedNotGuessed) {
  v1::GetAgreementRequest req;
  req.set_name(kAcsa);
  req.set_as_of("2025-10-15");
  v1::Agreement a;
  ASSERT_TRUE(stub_->GetAgreement(Context().get(), req, &a).ok());
  EXPECT_TRUE(a.as_of().uncertain());
  EXPECT_EQ(a.as_of().uncertainty(),
            "the RENEWED event is dated 2025-10, which spans days on both sides of 2025-10-15");
  EXPECT_THAT(a.possible_states(),
              ElementsAre(v1::Agreement::STATE_UNSPECIFIED, v1::Agreement::IN_FORCE));
  // A month later it is certain.
  req.set_as_of("2025-11");
  ASSERT_TRUE(stub_->GetAgreement(Context().get(), req, &a).ok());
  EXPECT_FALSE(a.as_of().uncertain());
  EXPECT_EQ(a.state(), v1::Agreement::IN_FORCE);
  EXPECT_EQ(a.possible_states_size(), 0);
}

TEST_F(FeaturesE2eTest, TheFilterSeesRecordsAsTheyStood) {
  // Today the ART is SIGNED; as of 2025-10-25 it did not exist, and as of
  // 2025-11 the ACSA (renewed) is IN_FORCE.
  EXPECT_THAT(ListAgreementNamesAsOf("2025-10-25", "kind = TRADE_AGREEMENT"), ElementsAre());
  EXPECT_THAT(ListAgreementNamesAsOf("2025-11", "state = IN_FORCE"), ElementsAre(kAcsa));
  EXPECT_THAT(ListAgreementNamesAsOf("2014", "state = SIGNED"),
              ElementsAre("agreements/my-us-comprehensive-partnership-2014"));
}

TEST_F(FeaturesE2eTest, AsOfPagesConcatenate) {
  std::vector<std::string> whole = ListAgreementNamesAsOf("2026");
  EXPECT_EQ(whole.size(), 6u);
  EXPECT_EQ(ListAgreementNamesAsOf("2026", "", 1), whole);
}

TEST_F(FeaturesE2eTest, BadAsOfRequests) {
  v1::GetAgreementRequest req;
  req.set_name(kArt);
  req.set_as_of("2020-13");
  v1::Agreement a;
  ErrorDetails e = ReadError(stub_->GetAgreement(Context().get(), req, &a));
  EXPECT_EQ(e.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(e.reason, "INVALID_AS_OF");
  ASSERT_EQ(e.violations.size(), 1u);
  EXPECT_EQ(e.violations[0].first, "as_of");

  v1::ListAgreementsRequest list;
  list.set_as_of("2020");
  list.set_order_by("sign_date desc");
  v1::ListAgreementsResponse resp;
  e = ReadError(stub_->ListAgreements(Context().get(), list, &resp));
  EXPECT_EQ(e.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(e.reason, "ORDER_BY_WITH_AS_OF");

  // A token from one as_of does not serve another.
  list.clear_order_by();
  list.set_page_size(1);
  ASSERT_TRUE(stub_->ListAgreements(Context().get(), list, &resp).ok());
  ASSERT_FALSE(resp.next_page_token().empty());
  list.set_page_token(resp.next_page_token());
  list.set_as_of("2026");
  e = ReadError(stub_->ListAgreements(Context().get(), list, &resp));
  EXPECT_EQ(e.reason, "PAGE_TOKEN_MISMATCH");
}

// ---- Count ----

std::vector<std::pair<std::string, int64_t>> Groups(const v1::CountResponse& r) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& g : r.groups()) {
    std::string key;
    for (const auto& v : g.values()) key += (key.empty() ? "" : "|") + v;
    out.emplace_back(key, g.count());
  }
  return out;
}

TEST_F(FeaturesE2eTest, CountAgreementsBySigningYearAndByKind) {
  v1::CountRequest req;
  req.set_collection("agreements");
  req.add_group_by("sign_date.year");
  v1::CountResponse resp;
  ASSERT_TRUE(stub_->Count(Context().get(), req, &resp).ok());
  EXPECT_THAT(Groups(resp), ElementsAre(Pair("2014", 1), Pair("2025", 3)));
  EXPECT_EQ(resp.total_size(), 6);

  req.clear_group_by();
  req.add_group_by("kind");
  resp.Clear();
  ASSERT_TRUE(stub_->Count(Context().get(), req, &resp).ok());
  EXPECT_THAT(Groups(resp),
              ElementsAre(Pair("TRADE_AGREEMENT", 1), Pair("MEMORANDUM_OF_UNDERSTANDING", 2),
                          Pair("DEFENCE_ARRANGEMENT", 1), Pair("PARTNERSHIP_STATEMENT", 1),
                          Pair("JOINT_STATEMENT", 1)));  // enum number order
}

TEST_F(FeaturesE2eTest, CountByTwoFieldsWithAFilter) {
  v1::CountRequest req;
  req.set_collection("agreements");
  req.set_filter("signed >= \"2000\" AND cooperation_areas:\"cooperationAreas/critical-minerals\"");
  req.add_group_by("sign_date.year");
  req.add_group_by("kind");
  v1::CountResponse resp;
  ASSERT_TRUE(stub_->Count(Context().get(), req, &resp).ok());
  EXPECT_THAT(Groups(resp), ElementsAre(Pair("2025|TRADE_AGREEMENT", 1),
                                        Pair("2025|MEMORANDUM_OF_UNDERSTANDING", 1)));
  EXPECT_EQ(resp.total_size(), 2);
}

TEST_F(FeaturesE2eTest, CountCommitmentsByParty) {
  v1::CountRequest req;
  req.set_collection("commitments");
  req.set_filter("kind = NON_TARIFF_BARRIERS");
  req.add_group_by("committed_by");
  v1::CountResponse resp;
  ASSERT_TRUE(stub_->Count(Context().get(), req, &resp).ok());
  EXPECT_THAT(Groups(resp), ElementsAre(Pair("countries/my", 5)));
}

TEST_F(FeaturesE2eTest, BadCountRequests) {
  v1::CountRequest req;
  req.set_collection("treaties");
  req.add_group_by("kind");
  v1::CountResponse resp;
  ErrorDetails e = ReadError(stub_->Count(Context().get(), req, &resp));
  EXPECT_EQ(e.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(e.reason, "INVALID_COLLECTION");
  req.set_collection("agreements");
  req.clear_group_by();
  e = ReadError(stub_->Count(Context().get(), req, &resp));
  EXPECT_EQ(e.reason, "INVALID_GROUP_BY");
  req.add_group_by("kind.year");
  e = ReadError(stub_->Count(Context().get(), req, &resp));
  EXPECT_EQ(e.reason, "INVALID_GROUP_BY");
  ASSERT_EQ(e.violations.size(), 1u);
  EXPECT_EQ(e.violations[0].first, "group_by");
  req.set_group_by(0, "kind");
  req.set_filter("kind = FRIENDSHIP");
  e = ReadError(stub_->Count(Context().get(), req, &resp));
  EXPECT_EQ(e.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_FALSE(e.reason.empty());
}

}  // namespace
}  // namespace accord::testing
