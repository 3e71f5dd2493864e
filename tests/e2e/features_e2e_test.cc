// End-to-end tests of as_of, Count and Search (issue 11): the real accord_server
// with the bundled catalogue, through the generated C++ stubs.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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

class FeaturesE2eTest : public BundledServerTest {
 protected:
  std::vector<std::string> ListAgreementNamesAsOf(const std::string& as_of,
                                                  const std::string& filter = "",
                                                  int page_size = 0) {
    v1::ListAgreementsRequest req;
    req.set_as_of(as_of);
    req.set_filter(filter);
    req.set_page_size(page_size);
    return ListAllAgreementNames(stub_.get(), req);
  }
};

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
  EXPECT_THAT(
      ListAgreementNamesAsOf("2020-06-01"),
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

// Free text cannot group, even where the catalogue is small enough for its
// index to hold it; references, enums, booleans and years can.
TEST_F(FeaturesE2eTest, CountRejectsFreeTextGroupBy) {
  for (const auto& [collection, path] :
       std::vector<std::pair<std::string, std::string>>{{"agreements", "title"},
                                                        {"agreements", "summary"},
                                                        {"agreements", "short_title"},
                                                        {"agreements", "place_of_signing"},
                                                        {"agreements", "name"},
                                                        {"commitments", "description"},
                                                        {"commitments", "products"},
                                                        {"countries", "display_name"}}) {
    v1::CountRequest req;
    req.set_collection(collection);
    req.add_group_by("kind");
    req.set_group_by(0, path);
    v1::CountResponse resp;
    ErrorDetails e = ReadError(stub_->Count(Context().get(), req, &resp));
    EXPECT_EQ(e.code, grpc::StatusCode::INVALID_ARGUMENT) << collection << " " << path;
    EXPECT_EQ(e.reason, "INVALID_GROUP_BY") << path;
    ASSERT_EQ(e.violations.size(), 1u) << path;
    EXPECT_EQ(e.violations[0].first, "group_by");
    EXPECT_THAT(e.violations[0].second,
                HasSubstr(absl::StrCat("cannot group ", collection, " by \"", path, "\"")));
  }
  v1::CountRequest req;
  req.set_collection("agreements");
  req.add_group_by("title");
  v1::CountResponse resp;
  EXPECT_THAT(ReadError(stub_->Count(Context().get(), req, &resp)).message,
              HasSubstr("free text, not a reference"));
  for (const std::string path :
       {"kind", "state", "parties", "cooperation_areas", "sectors", "partnership",
        "legally_binding", "sign_date.year", "commitments.committed_by"}) {
    req.set_group_by(0, path);
    grpc::Status s = stub_->Count(Context().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << path << ": " << s.error_message();
  }
}

// AIP-157 with a nested path: an agreement with no signing date answers
// `read_mask: sign_date.year` without a sign_date, from the stored bytes and
// as_of alike; a dated one keeps the year only.
TEST_F(FeaturesE2eTest, NestedReadMaskOnAnAbsentFieldLeavesItUnset) {
  for (const std::string as_of : {"", "2026"}) {
    v1::GetAgreementRequest req;
    req.set_name(kAcsa);
    req.set_as_of(as_of);
    req.mutable_read_mask()->add_paths("name");
    req.mutable_read_mask()->add_paths("sign_date.year");
    v1::Agreement a;
    ASSERT_TRUE(stub_->GetAgreement(Context().get(), req, &a).ok());
    EXPECT_EQ(a.name(), kAcsa);
    EXPECT_FALSE(a.has_sign_date()) << "as_of=" << as_of;
    req.set_name(kArt);
    ASSERT_TRUE(stub_->GetAgreement(Context().get(), req, &a).ok());
    ASSERT_TRUE(a.has_sign_date());
    EXPECT_EQ(a.sign_date().year(), 2025);
    EXPECT_EQ(a.sign_date().month(), 0);
  }
  v1::ListAgreementsRequest list;
  list.set_filter(absl::StrCat("name = \"", kAcsa, "\""));
  list.mutable_read_mask()->add_paths("sign_date.year");
  v1::ListAgreementsResponse resp;
  ASSERT_TRUE(stub_->ListAgreements(Context().get(), list, &resp).ok());
  ASSERT_EQ(resp.agreements_size(), 1);
  EXPECT_FALSE(resp.agreements(0).has_sign_date());
}

// ---- Search ----

v1::SearchResponse SearchOrDie(v1::AccordService::Stub* stub, const v1::SearchRequest& req) {
  v1::SearchResponse resp;
  grpc::Status s = stub->Search(Context().get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp;
}

std::vector<std::string> ResultNames(const v1::SearchResponse& r) {
  std::vector<std::string> out;
  for (const auto& x : r.results()) out.push_back(x.name());
  return out;
}

TEST_F(FeaturesE2eTest, SearchRanksAndHighlights) {
  v1::SearchRequest req;
  req.set_query("critical minerals");
  req.add_collections("agreements");
  v1::SearchResponse resp = SearchOrDie(stub_.get(), req);
  ASSERT_GE(resp.results_size(), 2);
  EXPECT_EQ(resp.results(0).name(), "agreements/my-us-critical-minerals-mou-2025");
  EXPECT_EQ(resp.results(0).collection(), "agreements");
  EXPECT_THAT(resp.results(0).snippet(), HasSubstr("<mark>critical</mark> <mark>minerals</mark>"));
  EXPECT_GE(resp.results(0).score(), resp.results(1).score());
  EXPECT_EQ(resp.total_size(), resp.results_size());
}

TEST_F(FeaturesE2eTest, SearchStemsWordsAndKeepsPhrasesInOrder) {
  v1::SearchRequest req;
  req.set_query("\"defense articles and services\"");
  EXPECT_THAT(ResultNames(SearchOrDie(stub_.get(), req)), ElementsAre(kArt));
  req.set_query("\"services and defense articles\"");
  EXPECT_EQ(SearchOrDie(stub_.get(), req).total_size(), 0);
  req.set_query("renewals");  // stems to "renew", as in "renewed"
  req.add_collections("agreements");
  EXPECT_THAT(ResultNames(SearchOrDie(stub_.get(), req)), ::testing::Contains(kAcsa));
}

TEST_F(FeaturesE2eTest, SearchCombinesWithAFilterAndPages) {
  v1::SearchRequest req;
  req.set_query("malaysia");
  req.add_collections("commitments");
  req.set_filter("committed_to:\"countries/us\" AND kind = NON_TARIFF_BARRIERS");
  v1::SearchResponse filtered = SearchOrDie(stub_.get(), req);
  ASSERT_GE(filtered.total_size(), 2);
  for (const auto& r : filtered.results()) {
    EXPECT_THAT(r.name(), HasSubstr(std::string(kArt) + "/commitments/my-"));
  }
  // Pages of 2 concatenate to the whole result.
  req.clear_filter();
  req.clear_collections();
  req.set_page_size(100);
  v1::SearchResponse whole = SearchOrDie(stub_.get(), req);
  ASSERT_GT(whole.total_size(), 10);
  ASSERT_EQ(whole.results_size(), whole.total_size());
  std::vector<std::string> paged;
  req.set_page_size(2);
  do {
    v1::SearchResponse page = SearchOrDie(stub_.get(), req);
    EXPECT_EQ(page.total_size(), whole.total_size());
    for (const auto& r : page.results()) paged.push_back(r.name());
    req.set_page_token(page.next_page_token());
  } while (!req.page_token().empty());
  EXPECT_EQ(paged, ResultNames(whole));
}

TEST_F(FeaturesE2eTest, BadSearchRequests) {
  v1::SearchRequest req;
  v1::SearchResponse resp;
  ErrorDetails e = ReadError(stub_->Search(Context().get(), req, &resp));
  EXPECT_EQ(e.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(e.reason, "INVALID_QUERY");
  req.set_query("pact");
  req.set_filter("kind = TRADE_AGREEMENT");
  e = ReadError(stub_->Search(Context().get(), req, &resp));
  EXPECT_EQ(e.reason, "FILTER_NEEDS_ONE_COLLECTION");
  req.add_collections("treaties");
  e = ReadError(stub_->Search(Context().get(), req, &resp));
  EXPECT_EQ(e.reason, "INVALID_COLLECTION");
  ASSERT_EQ(e.violations.size(), 1u);
  EXPECT_EQ(e.violations[0].first, "collections[0]");
}

// The index is rebuilt with the catalogue: a record added by a reload is
// found, and a page token from before the reload is refused.
TEST(SearchReloadE2eTest, TheIndexFollowsTheCatalogue) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(::testing::TempDir()) / "accord_search_reload";
  fs::remove_all(dir);
  fs::copy(BundledCatalog(), dir, fs::copy_options::recursive);
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--catalog=" + dir.string()})) << server.log();
  auto stub = NewStub(server.address());
  v1::SearchRequest req;
  req.set_query("zanzibar");
  EXPECT_EQ(SearchOrDie(stub.get(), req).total_size(), 0);
  req.set_query("malaysia");
  req.set_page_size(1);
  std::string token = SearchOrDie(stub.get(), req).next_page_token();
  ASSERT_FALSE(token.empty());

  std::ofstream(dir / "sectors-extra.textproto")
      << "sectors { name: \"sectors/zanzibar-spices\" display_name: \"Zanzibar spices\" }\n";
  server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForLog("reload ok", 20)) << server.log();
  req.set_query("zanzibar");
  req.set_page_size(0);
  EXPECT_THAT(ResultNames(SearchOrDie(stub.get(), req)), ElementsAre("sectors/zanzibar-spices"));
  req.set_query("malaysia");
  req.set_page_token(token);
  v1::SearchResponse resp;
  EXPECT_EQ(ReadError(stub->Search(Context().get(), req, &resp)).reason, "CATALOG_CHANGED");
  fs::remove_all(dir);
}

// With --nosearch_index no index is built; Search says so with a canonical
// code and details, and the rest of the service answers as usual.
TEST(SearchDisabledE2eTest, SearchAnswersUnimplementedWithTheReason) {
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--catalog=" + BundledCatalog(), "--nosearch_index"})) << server.log();
  EXPECT_THAT(server.log(), HasSubstr("(no search index)"));
  auto stub = NewStub(server.address());
  v1::SearchRequest req;
  req.set_query("critical minerals");
  v1::SearchResponse resp;
  ErrorDetails e = ReadError(stub->Search(Context().get(), req, &resp));
  EXPECT_EQ(e.code, grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(e.reason, "SEARCH_DISABLED");
  EXPECT_EQ(e.domain, "accord");
  EXPECT_EQ(e.metadata["flag"], "--search_index");
  EXPECT_THAT(e.message, HasSubstr("--nosearch_index"));
  v1::GetAgreementRequest get;
  get.set_name(kArt);
  v1::Agreement a;
  EXPECT_TRUE(stub->GetAgreement(Context().get(), get, &a).ok());
  EXPECT_EQ(a.name(), kArt);
}

}  // namespace
}  // namespace accord::testing
