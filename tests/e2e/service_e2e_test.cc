// End-to-end tests: the real accord_server on a free loopback port with the
// bundled catalogue, called through the generated C++ stubs.
#include <functional>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/catalog/text.h"
#include "tests/e2e/e2e_client.h"
#include "tests/support/health.grpc.pb.h"
#include "tests/support/server_process.h"

namespace accord::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
namespace v1 = ::accord::v1;

constexpr char kArt[] = "agreements/my-us-reciprocal-trade-2025";
constexpr char kMinerals[] = "agreements/my-us-critical-minerals-mou-2025";
constexpr char kArticle[] = "sources/article-us-malaysia-relations-2025";

using ServiceE2eTest = BundledServerTest;

// ---- The questions the service exists to answer. ----

TEST_F(ServiceE2eTest, WhichAgreementsCoverCriticalMineralsNewestFirst) {
  v1::ListAgreementsRequest req;
  req.set_filter(
      "parties:\"countries/my\" AND parties:\"countries/us\" AND "
      "cooperation_areas:\"cooperationAreas/critical-minerals\" AND signed >= \"2025-01-01\"");
  req.set_order_by("sign_date desc");
  v1::ListAgreementsResponse resp;
  ASSERT_TRUE(stub_->ListAgreements(Context().get(), req, &resp).ok());
  ASSERT_EQ(resp.agreements_size(), 2);
  // Same day: the tie is broken by name.
  EXPECT_EQ(resp.agreements(0).name(), kMinerals);
  EXPECT_EQ(resp.agreements(1).name(), kArt);
  EXPECT_EQ(resp.total_size(), 2);
  EXPECT_EQ(resp.next_page_token(), "");
  EXPECT_EQ(resp.agreements(1).short_title(), "ART");
  EXPECT_FALSE(resp.agreements(0).legally_binding());
  EXPECT_TRUE(resp.agreements(1).legally_binding());
}

TEST_F(ServiceE2eTest, WhatMalaysiaCommittedToUnderTheArt) {
  v1::ListCommitmentsRequest req;
  req.set_parent(kArt);
  req.set_filter("committed_by:\"countries/my\" AND kind = MARKET_ACCESS");
  v1::ListCommitmentsResponse resp;
  ASSERT_TRUE(stub_->ListCommitments(Context().get(), req, &resp).ok());
  std::vector<std::string> names;
  for (const auto& c : resp.commitments()) {
    names.push_back(c.name());
    EXPECT_THAT(c.committed_by(), Contains("countries/my"));
    EXPECT_EQ(c.agreement(), kArt);
    EXPECT_FALSE(c.evidence().empty());
  }
  EXPECT_THAT(names, Contains(absl::StrCat(kArt, "/commitments/my-preferential-market-access")));
  // Products from the USTR fact sheet are on the preferential-access commitment.
  v1::GetCommitmentRequest get;
  get.set_name(absl::StrCat(kArt, "/commitments/my-preferential-market-access"));
  v1::Commitment commitment;
  ASSERT_TRUE(stub_->GetCommitment(Context().get(), get, &commitment).ok());
  EXPECT_THAT(commitment.products(), Contains("dairy"));
  EXPECT_THAT(commitment.committed_to(), ElementsAre("countries/us"));
}

TEST_F(ServiceE2eTest, WhenTheRelationshipBecameACspAndUnderWhichLeaders) {
  v1::GetPartnershipRequest req;
  req.set_name("partnerships/my-us");
  v1::Partnership p;
  ASSERT_TRUE(stub_->GetPartnership(Context().get(), req, &p).ok());
  EXPECT_EQ(p.current_level(), v1::Partnership::COMPREHENSIVE_STRATEGIC_PARTNERSHIP);
  ASSERT_EQ(p.level_history_size(), 2);
  const auto& first = p.level_history(0);
  EXPECT_EQ(first.level(), v1::Partnership::COMPREHENSIVE_PARTNERSHIP);
  EXPECT_EQ(first.date().year(), 2014);
  EXPECT_EQ(first.leaders(0).display_name(), "Barack Obama");
  const auto& csp = p.level_history(1);
  EXPECT_EQ(csp.level(), v1::Partnership::COMPREHENSIVE_STRATEGIC_PARTNERSHIP);
  EXPECT_EQ(csp.date().year(), 2025);
  EXPECT_EQ(csp.date().month(), 10);
  EXPECT_EQ(csp.date().day(), 26);
  EXPECT_EQ(csp.date().precision(), v1::Date::DAY);
  std::vector<std::string> leaders;
  for (const auto& l : csp.leaders()) leaders.push_back(l.display_name());
  EXPECT_THAT(leaders, ElementsAre("Donald Trump", "Anwar Ibrahim"));
}

TEST_F(ServiceE2eTest, EvidenceQuotesAreInTheShippedSourceText) {
  v1::GetSourceRequest get_source;
  get_source.set_name(kArticle);
  v1::Source article;
  ASSERT_TRUE(stub_->GetSource(Context().get(), get_source, &article).ok());
  std::string folded = catalog::FoldWhitespace(article.text());
  ASSERT_THAT(folded, HasSubstr("Agreement on Reciprocal Trade (ART)"));

  v1::GetPartnershipRequest req;
  req.set_name("partnerships/my-us");
  v1::Partnership p;
  ASSERT_TRUE(stub_->GetPartnership(Context().get(), req, &p).ok());
  int quotes = 0;
  for (const auto& e : p.level_history(1).evidence()) {
    if (e.source() != kArticle) continue;
    ++quotes;
    EXPECT_THAT(folded, HasSubstr(catalog::FoldWhitespace(e.quote())));
  }
  EXPECT_GE(quotes, 1);
  bool cites_dated_source = false;
  for (const auto& e : p.level_history(1).evidence()) {
    cites_dated_source |= e.source() == "sources/vietnamplus-malaysia-us-reciprocal-trade-2025";
  }
  EXPECT_TRUE(cites_dated_source) << "the day comes from VietnamPlus (reporting Bernama)";
}

// ---- Data points a reviewer found (issue 11), each as a user sees it. ----

TEST_F(ServiceE2eTest, AcsaRenewalIsDatedOnlyToTheMonth) {
  v1::GetAgreementRequest req;
  req.set_name("agreements/my-us-acsa");
  v1::Agreement acsa;
  ASSERT_TRUE(stub_->GetAgreement(Context().get(), req, &acsa).ok());
  ASSERT_EQ(acsa.events_size(), 1);
  EXPECT_EQ(acsa.events(0).type(), v1::Agreement::Event::RENEWED);
  EXPECT_EQ(acsa.events(0).date().year(), 2025);
  EXPECT_EQ(acsa.events(0).date().month(), 10);
  EXPECT_EQ(acsa.events(0).date().day(), 0);
  EXPECT_EQ(acsa.events(0).date().precision(), v1::Date::MONTH);
}

TEST_F(ServiceE2eTest, DefenceArticlesProvisionIsNotAMalaysianCommitment) {
  v1::GetCommitmentRequest get;
  get.set_name(absl::StrCat(kArt, "/commitments/my-acquisition-of-us-defence-articles"));
  v1::Commitment c;
  EXPECT_EQ(stub_->GetCommitment(Context().get(), get, &c).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // No Malaysian commitment in defence acquisition remains ...
  v1::ListCommitmentsRequest list;
  list.set_parent("agreements/-");
  list.set_filter("committed_by:\"countries/my\" AND kind = DEFENCE_ACQUISITION");
  v1::ListCommitmentsResponse none;
  ASSERT_TRUE(stub_->ListCommitments(Context().get(), list, &none).ok());
  EXPECT_EQ(none.total_size(), 0);
  // ... and the provision is on the agreement, with the article's words.
  v1::GetAgreementRequest req;
  req.set_name(kArt);
  v1::Agreement art;
  ASSERT_TRUE(stub_->GetAgreement(Context().get(), req, &art).ok());
  EXPECT_THAT(art.cooperation_areas(), Contains("cooperationAreas/defence-acquisition"));
  bool quoted = false;
  for (const auto& e : art.evidence()) {
    quoted |= absl::StrContains(e.quote(), "open the door for Malaysia");
  }
  EXPECT_TRUE(quoted);
}

TEST_F(ServiceE2eTest, FiveSectorsAreStatedAsFactOnThePartnership) {
  v1::ListPartnershipsRequest req;
  req.set_filter("economic_ties.sectors:\"sectors/semiconductors\"");
  v1::ListPartnershipsResponse resp;
  ASSERT_TRUE(stub_->ListPartnerships(Context().get(), req, &resp).ok());
  ASSERT_EQ(resp.partnerships_size(), 1);
  const v1::Partnership& p = resp.partnerships(0);
  ASSERT_EQ(p.economic_ties_size(), 1);
  EXPECT_EQ(p.economic_ties(0).country(), "countries/us");
  EXPECT_EQ(p.economic_ties(0).counterpart(), "countries/my");
  EXPECT_THAT(p.economic_ties(0).sectors(),
              ElementsAre("sectors/manufacturing", "sectors/electrical-and-electronic-products",
                          "sectors/banking", "sectors/oil-and-gas", "sectors/semiconductors"));
  ASSERT_EQ(p.economic_ties(0).evidence_size(), 1);
  EXPECT_EQ(p.economic_ties(0).evidence(0).attribution(), v1::Evidence::ATTRIBUTION_UNSPECIFIED);
  EXPECT_EQ(p.economic_ties(0).evidence(0).locator(), "paragraph 3");
}

TEST_F(ServiceE2eTest, WireServiceAttributionIsKept) {
  v1::ListSourcesRequest req;
  req.set_filter("original_publisher = \"Bernama\"");
  req.set_order_by("name");
  v1::ListSourcesResponse resp;
  ASSERT_TRUE(stub_->ListSources(Context().get(), req, &resp).ok());
  std::vector<std::string> publishers;
  for (const auto& s : resp.sources()) publishers.push_back(s.publisher());
  EXPECT_THAT(publishers, ElementsAre("Media Selangor", "VietnamPlus"));
}

TEST_F(ServiceE2eTest, EvidenceLocatorsPointIntoTheSource) {
  v1::ListAgreementsRequest req;
  req.set_filter("evidence.locator = \"F*\"");
  v1::ListAgreementsResponse resp;
  ASSERT_TRUE(stub_->ListAgreements(Context().get(), req, &resp).ok());
  EXPECT_EQ(resp.total_size(), 0);
  req.set_filter("evidence.locator = \"paragraph 4\"");
  ASSERT_TRUE(stub_->ListAgreements(Context().get(), req, &resp).ok());
  EXPECT_GE(resp.total_size(), 1);
}

TEST_F(ServiceE2eTest, AssessmentsAreAttributed) {
  v1::ListAssessmentsRequest req;
  req.set_filter(absl::StrCat("subjects:\"", kArt, "\" AND holder = ANALYSTS"));
  v1::ListAssessmentsResponse resp;
  ASSERT_TRUE(stub_->ListAssessments(Context().get(), req, &resp).ok());
  ASSERT_GE(resp.assessments_size(), 1);
  for (const auto& a : resp.assessments()) {
    EXPECT_EQ(a.holder(), v1::Assessment::ANALYSTS);
    EXPECT_FALSE(a.attributed_to().empty());
    EXPECT_FALSE(a.evidence().empty());
  }
}

TEST_F(ServiceE2eTest, AgreementsCanBeFilteredByTheirCommitments) {
  v1::ListAgreementsRequest req;
  req.set_filter(
      "commitments.committed_by = \"countries/my\" AND commitments.kind = EXPORT_ASSURANCE");
  v1::ListAgreementsResponse resp;
  ASSERT_TRUE(stub_->ListAgreements(Context().get(), req, &resp).ok());
  ASSERT_EQ(resp.agreements_size(), 1);
  EXPECT_EQ(resp.agreements(0).name(), kMinerals);
}

// ---- Every RPC, and read masks. ----

TEST_F(ServiceE2eTest, GetWithReadMaskReturnsOnlyTheAskedFields) {
  v1::GetAgreementRequest req;
  req.set_name(kArt);
  req.mutable_read_mask()->add_paths("name");
  req.mutable_read_mask()->add_paths("sign_date");
  v1::Agreement a;
  ASSERT_TRUE(stub_->GetAgreement(Context().get(), req, &a).ok());
  EXPECT_EQ(a.name(), kArt);
  EXPECT_EQ(a.title(), "");
  EXPECT_TRUE(a.events().empty());
  EXPECT_EQ(a.sign_date().day(), 26);
}

TEST_F(ServiceE2eTest, EveryCollectionAnswersGetBatchGetAndList) {
  v1::CatalogStatus status;
  ASSERT_TRUE(
      stub_->GetCatalogStatus(Context().get(), v1::GetCatalogStatusRequest(), &status).ok());
  EXPECT_EQ(status.name(), "catalogStatus");
  EXPECT_EQ(status.version().size(), 16u);
  EXPECT_EQ(status.last_error(), "");
  EXPECT_THAT(status.record_counts(), Contains(Pair("countries", 3)));
  EXPECT_THAT(status.record_counts(), Contains(Pair("agreements", 6)));

#define CHECK_COLLECTION(Resource, Plural, field, collection)                              \
  {                                                                                        \
    v1::List##Plural##Request list;                                                        \
    list.set_page_size(1000);                                                              \
    v1::List##Plural##Response listed;                                                     \
    ASSERT_TRUE(stub_->List##Plural(Context().get(), list, &listed).ok());                 \
    ASSERT_EQ(listed.field##_size(), status.record_counts().at(collection)) << collection; \
    ASSERT_GE(listed.field##_size(), 1) << collection;                                     \
    const std::string& first = listed.field(0).name();                                     \
    const std::string& last = listed.field(listed.field##_size() - 1).name();              \
    v1::Get##Resource##Request get;                                                        \
    get.set_name(first);                                                                   \
    v1::Resource got;                                                                      \
    ASSERT_TRUE(stub_->Get##Resource(Context().get(), get, &got).ok()) << first;           \
    EXPECT_EQ(got.SerializeAsString(), listed.field(0).SerializeAsString());               \
    v1::BatchGet##Plural##Request batch;                                                   \
    batch.add_names(last);                                                                 \
    batch.add_names(first);                                                                \
    batch.add_names(last);                                                                 \
    v1::BatchGet##Plural##Response batched;                                                \
    ASSERT_TRUE(stub_->BatchGet##Plural(Context().get(), batch, &batched).ok());           \
    ASSERT_EQ(batched.field##_size(), 3);                                                  \
    EXPECT_EQ(batched.field(0).name(), last);                                              \
    EXPECT_EQ(batched.field(1).name(), first);                                             \
    EXPECT_EQ(batched.field(2).name(), last);                                              \
  }
  CHECK_COLLECTION(Country, Countries, countries, "countries")
  CHECK_COLLECTION(Partnership, Partnerships, partnerships, "partnerships")
  CHECK_COLLECTION(Agreement, Agreements, agreements, "agreements")
  CHECK_COLLECTION(Commitment, Commitments, commitments, "commitments")
  CHECK_COLLECTION(CooperationArea, CooperationAreas, cooperation_areas, "cooperationAreas")
  CHECK_COLLECTION(Sector, Sectors, sectors, "sectors")
  CHECK_COLLECTION(Source, Sources, sources, "sources")
  CHECK_COLLECTION(Assessment, Assessments, assessments, "assessments")
#undef CHECK_COLLECTION
}

TEST_F(ServiceE2eTest, CommitmentsListUnderOneAgreementOrAll) {
  v1::ListCommitmentsRequest all;
  all.set_parent("agreements/-");
  all.set_page_size(1000);
  v1::ListCommitmentsResponse every;
  ASSERT_TRUE(stub_->ListCommitments(Context().get(), all, &every).ok());
  v1::ListCommitmentsRequest one;
  one.set_parent(kMinerals);
  v1::ListCommitmentsResponse under;
  ASSERT_TRUE(stub_->ListCommitments(Context().get(), one, &under).ok());
  ASSERT_GE(under.commitments_size(), 1);
  EXPECT_LT(under.commitments_size(), every.commitments_size());
  for (const auto& c : under.commitments()) EXPECT_EQ(c.agreement(), kMinerals);
  int expected = 0;
  for (const auto& c : every.commitments()) expected += c.agreement() == kMinerals;
  EXPECT_EQ(under.commitments_size(), expected);
}

// ---- Paging. ----

struct Page {
  std::vector<std::string> names;
  std::string next;
  int total = 0;
};
using Lister =
    std::function<grpc::Status(v1::AccordService::Stub*, int page_size, const std::string& token,
                               const std::string& order_by, Page* out)>;

template <typename Req, typename Resp, typename Call, typename Items>
Lister MakeLister(Call call, Items items) {
  return [call, items](v1::AccordService::Stub* stub, int page_size, const std::string& token,
                       const std::string& order_by, Page* out) {
    Req req;
    req.set_page_size(page_size);
    req.set_page_token(token);
    req.set_order_by(order_by);
    Resp resp;
    grpc::Status s = (stub->*call)(Context().get(), req, &resp);
    for (const auto& r : items(resp)) out->names.push_back(r.name());
    out->next = resp.next_page_token();
    out->total = resp.total_size();
    return s;
  };
}

struct PagingCase {
  const char* collection;
  Lister list;
  std::vector<std::string> orders;
};

std::vector<PagingCase> PagingCases() {
  using S = v1::AccordService::Stub;
  return {
      {"agreements",
       MakeLister<v1::ListAgreementsRequest, v1::ListAgreementsResponse>(
           &S::ListAgreements, [](const auto& r) { return r.agreements(); }),
       {"", "name desc", "sign_date desc", "kind, sign_date"}},
      {"commitments",
       MakeLister<v1::ListCommitmentsRequest, v1::ListCommitmentsResponse>(
           &S::ListCommitments, [](const auto& r) { return r.commitments(); }),
       {"", "kind", "kind desc, name"}},
      {"cooperationAreas",
       MakeLister<v1::ListCooperationAreasRequest, v1::ListCooperationAreasResponse>(
           &S::ListCooperationAreas, [](const auto& r) { return r.cooperation_areas(); }),
       {"", "display_name", "parent desc"}},
      {"sectors",
       MakeLister<v1::ListSectorsRequest, v1::ListSectorsResponse>(
           &S::ListSectors, [](const auto& r) { return r.sectors(); }),
       {"", "display_name desc"}},
      {"assessments",
       MakeLister<v1::ListAssessmentsRequest, v1::ListAssessmentsResponse>(
           &S::ListAssessments, [](const auto& r) { return r.assessments(); }),
       {"", "holder, stance desc"}},
      {"sources",
       MakeLister<v1::ListSourcesRequest, v1::ListSourcesResponse>(
           &S::ListSources, [](const auto& r) { return r.sources(); }),
       {"", "publish_date desc"}},
      {"countries",
       MakeLister<v1::ListCountriesRequest, v1::ListCountriesResponse>(
           &S::ListCountries, [](const auto& r) { return r.countries(); }),
       {"", "region"}},
  };
}

TEST_F(ServiceE2eTest, PagingToTheEndHasNoGapsNoDuplicatesAndAStableOrder) {
  for (const PagingCase& c : PagingCases()) {
    for (const std::string& order : c.orders) {
      Page whole;
      ASSERT_TRUE(c.list(stub_.get(), 1000, "", order, &whole).ok()) << c.collection << order;
      ASSERT_EQ(whole.next, "");
      ASSERT_EQ(static_cast<int>(whole.names.size()), whole.total);
      for (int page_size : {1, 2, 7}) {
        std::vector<std::string> seen;
        std::string token;
        int pages = 0;
        do {
          Page page;
          grpc::Status s = c.list(stub_.get(), page_size, token, order, &page);
          ASSERT_TRUE(s.ok()) << c.collection << " " << order << ": " << s.error_message();
          ASSERT_LE(static_cast<int>(page.names.size()), page_size);
          EXPECT_EQ(page.total, whole.total);
          seen.insert(seen.end(), page.names.begin(), page.names.end());
          token = page.next;
          ASSERT_LT(++pages, 1000) << "paging does not end";
        } while (!token.empty());
        EXPECT_EQ(seen, whole.names)
            << c.collection << " order_by=\"" << order << "\" page_size=" << page_size;
        EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
      }
    }
  }
}

TEST_F(ServiceE2eTest, EmptyParentAndDashParentShareTokens) {
  v1::ListCommitmentsRequest first;
  first.set_page_size(3);
  v1::ListCommitmentsResponse page1;
  ASSERT_TRUE(stub_->ListCommitments(Context().get(), first, &page1).ok());
  ASSERT_FALSE(page1.next_page_token().empty());
  v1::ListCommitmentsRequest next;
  next.set_parent("agreements/-");
  next.set_page_size(3);
  next.set_page_token(page1.next_page_token());
  v1::ListCommitmentsResponse page2;
  grpc::Status s = stub_->ListCommitments(Context().get(), next, &page2);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::ListCommitmentsRequest whole;
  whole.set_page_size(6);
  v1::ListCommitmentsResponse both;
  ASSERT_TRUE(stub_->ListCommitments(Context().get(), whole, &both).ok());
  ASSERT_EQ(page2.commitments_size(), 3);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(page2.commitments(i).name(), both.commitments(3 + i).name());
}

TEST_F(ServiceE2eTest, PageSizeIsDefaultedAndCoerced) {
  v1::ListCooperationAreasRequest req;
  v1::ListCooperationAreasResponse resp;
  ASSERT_TRUE(stub_->ListCooperationAreas(Context().get(), req, &resp).ok());
  EXPECT_EQ(resp.cooperation_areas_size(), std::min(50, resp.total_size()));
  req.set_page_size(1000000);
  ASSERT_TRUE(stub_->ListCooperationAreas(Context().get(), req, &resp).ok());
  EXPECT_EQ(resp.cooperation_areas_size(), resp.total_size());
}

// ---- Errors, with their codes and google.rpc details. ----

TEST_F(ServiceE2eTest, NotFoundNamesTheMissingResource) {
  v1::GetAgreementRequest req;
  req.set_name("agreements/no-such-agreement");
  v1::Agreement a;
  ErrorDetails e = ReadError(stub_->GetAgreement(Context().get(), req, &a));
  EXPECT_EQ(e.code, grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(e.message, HasSubstr("agreements/no-such-agreement"));
  EXPECT_EQ(e.reason, "RESOURCE_NOT_FOUND");
  EXPECT_EQ(e.domain, "accord");
  EXPECT_EQ(e.error_infos, 1);
  EXPECT_EQ(e.metadata["name"], "agreements/no-such-agreement");
}

struct ErrorCase {
  const char* label;
  std::function<grpc::Status(v1::AccordService::Stub*)> call;
  grpc::StatusCode code;
  std::string reason;
  std::string field;  // BadRequest field; "" for none
  std::string message_fragment;
};

grpc::Status ListAgreements(v1::AccordService::Stub* stub,
                            const std::function<void(v1::ListAgreementsRequest*)>& fill) {
  v1::ListAgreementsRequest req;
  fill(&req);
  v1::ListAgreementsResponse resp;
  return stub->ListAgreements(Context().get(), req, &resp);
}

std::string FirstPageToken(v1::AccordService::Stub* stub, const std::string& filter) {
  v1::ListAgreementsRequest req;
  req.set_page_size(1);
  req.set_filter(filter);
  v1::ListAgreementsResponse resp;
  EXPECT_TRUE(stub->ListAgreements(Context().get(), req, &resp).ok());
  EXPECT_FALSE(resp.next_page_token().empty());
  return resp.next_page_token();
}

std::vector<ErrorCase> ErrorCases() {
  using C = grpc::StatusCode;
  return {
      {"MalformedName",
       [](auto* stub) {
         v1::GetAgreementRequest req;
         req.set_name("agreements/Not An Id");
         v1::Agreement a;
         return stub->GetAgreement(Context().get(), req, &a);
       },
       C::INVALID_ARGUMENT, "INVALID_NAME", "name", "is not a valid agreement name"},
      {"NameOfAnotherCollection",
       [](auto* stub) {
         v1::GetCountryRequest req;
         req.set_name("agreements/my-us-reciprocal-trade-2025");
         v1::Country c;
         return stub->GetCountry(Context().get(), req, &c);
       },
       C::INVALID_ARGUMENT, "INVALID_NAME", "name", "expected \"countries/{country}\""},
      {"EmptyName",
       [](auto* stub) {
         v1::GetSectorRequest req;
         v1::Sector s;
         return stub->GetSector(Context().get(), req, &s);
       },
       C::INVALID_ARGUMENT, "INVALID_NAME", "name", "a sector name is required"},
      {"EmptyAgreementName",
       [](auto* stub) {
         v1::GetAgreementRequest req;
         v1::Agreement a;
         return stub->GetAgreement(Context().get(), req, &a);
       },
       C::INVALID_ARGUMENT, "INVALID_NAME", "name", "an agreement name is required"},
      {"NegativePageSize",
       [](auto* stub) { return ListAgreements(stub, [](auto* r) { r->set_page_size(-1); }); },
       C::INVALID_ARGUMENT, "INVALID_PAGE_SIZE", "page_size", "must not be negative"},
      {"FilterSyntax",
       [](auto* stub) { return ListAgreements(stub, [](auto* r) { r->set_filter("kind = "); }); },
       C::INVALID_ARGUMENT, "FILTER_SYNTAX", "filter", "offset 7"},
      {"FilterUnknownField",
       [](auto* stub) {
         return ListAgreements(stub, [](auto* r) { r->set_filter("colour = \"red\""); });
       },
       C::INVALID_ARGUMENT, "UNKNOWN_FIELD", "filter", "colour"},
      {"FilterWrongType",
       [](auto* stub) {
         return ListAgreements(stub, [](auto* r) { r->set_filter("signed >= \"last year\""); });
       },
       C::INVALID_ARGUMENT, "TYPE_MISMATCH", "filter", "offset"},
      {"FilterUnknownEnumValue",
       [](auto* stub) {
         return ListAgreements(stub, [](auto* r) { r->set_filter("kind = FRIENDSHIP"); });
       },
       C::INVALID_ARGUMENT, "TYPE_MISMATCH", "filter", "TRADE_AGREEMENT"},
      {"UnknownOrderByField",
       [](auto* stub) { return ListAgreements(stub, [](auto* r) { r->set_order_by("colour"); }); },
       C::INVALID_ARGUMENT, "INVALID_ORDER_BY", "order_by", "colour"},
      {"UnknownReadMaskPath",
       [](auto* stub) {
         return ListAgreements(stub, [](auto* r) { r->mutable_read_mask()->add_paths("colour"); });
       },
       C::INVALID_ARGUMENT, "INVALID_READ_MASK", "read_mask.paths[0]", "colour"},
      {"TamperedPageToken",
       [](auto* stub) {
         std::string token = FirstPageToken(stub, "");
         token[3] = token[3] == 'A' ? 'B' : 'A';
         return ListAgreements(stub, [&](auto* r) {
           r->set_page_size(1);
           r->set_page_token(token);
         });
       },
       C::INVALID_ARGUMENT, "INVALID_PAGE_TOKEN", "page_token", "page_token is not valid"},
      {"GarbagePageToken",
       [](auto* stub) {
         return ListAgreements(stub, [](auto* r) { r->set_page_token("hello world"); });
       },
       C::INVALID_ARGUMENT, "INVALID_PAGE_TOKEN", "page_token", "page_token is not valid"},
      {"PageTokenReusedWithAnotherFilter",
       [](auto* stub) {
         std::string token = FirstPageToken(stub, "");
         return ListAgreements(stub, [&](auto* r) {
           r->set_filter("parties:\"countries/my\"");
           r->set_page_token(token);
         });
       },
       C::INVALID_ARGUMENT, "PAGE_TOKEN_MISMATCH", "page_token", "different parent, filter"},
      {"PageTokenReusedWithAnotherOrder",
       [](auto* stub) {
         std::string token = FirstPageToken(stub, "");
         return ListAgreements(stub, [&](auto* r) {
           r->set_order_by("name desc");
           r->set_page_token(token);
         });
       },
       C::INVALID_ARGUMENT, "PAGE_TOKEN_MISMATCH", "page_token", "order_by"},
      {"EmptyBatchGet",
       [](auto* stub) {
         v1::BatchGetAgreementsRequest req;
         v1::BatchGetAgreementsResponse resp;
         return stub->BatchGetAgreements(Context().get(), req, &resp);
       },
       C::INVALID_ARGUMENT, "EMPTY_BATCH", "names", "at least one"},
      {"OversizedBatchGet",
       [](auto* stub) {
         v1::BatchGetAgreementsRequest req;
         for (int i = 0; i < 101; ++i) req.add_names(kArt);
         v1::BatchGetAgreementsResponse resp;
         return stub->BatchGetAgreements(Context().get(), req, &resp);
       },
       C::INVALID_ARGUMENT, "BATCH_TOO_LARGE", "names", "at most 100"},
      {"BatchGetWithAMissingName",
       [](auto* stub) {
         v1::BatchGetAgreementsRequest req;
         req.add_names(kArt);
         req.add_names("agreements/missing");
         v1::BatchGetAgreementsResponse resp;
         grpc::Status s = stub->BatchGetAgreements(Context().get(), req, &resp);
         EXPECT_EQ(resp.agreements_size(), 0) << "BatchGet is all or nothing";
         return s;
       },
       C::NOT_FOUND, "RESOURCE_NOT_FOUND", "", "agreements/missing"},
      {"BatchGetWithAMalformedName",
       [](auto* stub) {
         v1::BatchGetAgreementsRequest req;
         req.add_names(kArt);
         req.add_names("agreements/");
         v1::BatchGetAgreementsResponse resp;
         return stub->BatchGetAgreements(Context().get(), req, &resp);
       },
       C::INVALID_ARGUMENT, "INVALID_NAME", "names[1]", "agreements/"},
      {"BatchGetCommitmentOutsideParent",
       [](auto* stub) {
         v1::BatchGetCommitmentsRequest req;
         req.set_parent(kMinerals);
         req.add_names(absl::StrCat(kArt, "/commitments/my-preferential-market-access"));
         v1::BatchGetCommitmentsResponse resp;
         return stub->BatchGetCommitments(Context().get(), req, &resp);
       },
       C::INVALID_ARGUMENT, "PARENT_MISMATCH", "names[0]", "is not under parent"},
      {"BatchGetCommitmentsOfMissingParent",
       [](auto* stub) {
         v1::BatchGetCommitmentsRequest req;
         req.set_parent("agreements/missing");
         req.add_names("agreements/missing/commitments/x");
         v1::BatchGetCommitmentsResponse resp;
         return stub->BatchGetCommitments(Context().get(), req, &resp);
       },
       C::NOT_FOUND, "RESOURCE_NOT_FOUND", "", "agreements/missing"},
      {"BatchGetChecksReadMaskBeforeLookingUp",
       [](auto* stub) {
         v1::BatchGetAgreementsRequest req;
         req.add_names("agreements/missing");
         req.mutable_read_mask()->add_paths("colour");
         v1::BatchGetAgreementsResponse resp;
         return stub->BatchGetAgreements(Context().get(), req, &resp);
       },
       C::INVALID_ARGUMENT, "INVALID_READ_MASK", "read_mask.paths[0]", "colour"},
      {"ReadMaskInsideRepeatedField",
       [](auto* stub) {
         return ListAgreements(stub,
                               [](auto* r) { r->mutable_read_mask()->add_paths("events.type"); });
       },
       C::INVALID_ARGUMENT, "INVALID_READ_MASK", "read_mask.paths[0]", "\"events\" is repeated"},
      {"MalformedCommitmentParent",
       [](auto* stub) {
         v1::ListCommitmentsRequest req;
         req.set_parent("treaties/x");
         v1::ListCommitmentsResponse resp;
         return stub->ListCommitments(Context().get(), req, &resp);
       },
       C::INVALID_ARGUMENT, "INVALID_NAME", "parent", "agreements/-"},
      {"MissingCommitmentParent",
       [](auto* stub) {
         v1::ListCommitmentsRequest req;
         req.set_parent("agreements/missing");
         v1::ListCommitmentsResponse resp;
         return stub->ListCommitments(Context().get(), req, &resp);
       },
       C::NOT_FOUND, "RESOURCE_NOT_FOUND", "", "agreements/missing"},
      {"WrongCatalogStatusName",
       [](auto* stub) {
         v1::GetCatalogStatusRequest req;
         req.set_name("catalogStatus/x");
         v1::CatalogStatus resp;
         return stub->GetCatalogStatus(Context().get(), req, &resp);
       },
       C::INVALID_ARGUMENT, "INVALID_NAME", "name", "catalogStatus"},
  };
}

TEST_F(ServiceE2eTest, EveryErrorHasItsCodeReasonAndFieldViolation) {
  for (const ErrorCase& c : ErrorCases()) {
    SCOPED_TRACE(c.label);
    ErrorDetails e = ReadError(c.call(stub_.get()));
    EXPECT_EQ(e.code, c.code) << e.message;
    EXPECT_EQ(e.reason, c.reason) << e.message;
    EXPECT_EQ(e.domain, "accord");
    EXPECT_EQ(e.error_infos, 1);
    EXPECT_THAT(e.message, HasSubstr(c.message_fragment));
    if (c.field.empty()) {
      EXPECT_TRUE(e.violations.empty());
    } else {
      ASSERT_EQ(e.violations.size(), 1u) << e.message;
      EXPECT_EQ(e.violations[0].first, c.field);
      EXPECT_FALSE(e.violations[0].second.empty());
    }
  }
}

// ---- Standard services. ----

TEST_F(ServiceE2eTest, HealthReportsServing) {
  auto health = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
  for (const char* service : {"", "accord.v1.AccordService"}) {
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(service);
    grpc::health::v1::HealthCheckResponse resp;
    ASSERT_TRUE(health->Check(Context().get(), req, &resp).ok());
    EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }
  grpc::health::v1::HealthCheckRequest unknown;
  unknown.set_service("no.such.Service");
  grpc::health::v1::HealthCheckResponse resp;
  EXPECT_EQ(health->Check(Context().get(), unknown, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace accord::testing
