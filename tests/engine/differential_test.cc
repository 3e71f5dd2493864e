// The indexed executor must return exactly what the naive one returns:
// randomized filters, orderings and paging over a generated catalogue.
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "accord/v1/accord_service.pb.h"
#include "bench/catgen/catgen.h"
#include "gtest/gtest.h"
#include "service/api/resource_methods.h"
#include "service/catalog/snapshot.h"
#include "service/engine/executor.h"
#include "service/engine/naive_executor.h"
#include "service/engine/planner.h"
#include "service/engine/rank_plan.h"
#include "service/query/checker.h"
#include "service/query/order_by.h"
#include "service/serving/serving_catalog.h"
#include "tests/engine/filter_maker.h"

namespace accord::engine {
namespace {

using catalog::CollectionId;

std::shared_ptr<const serving::ServingCatalog> Generated(size_t agreements) {
  catalog::RawCatalog raw;
  raw.arena = std::make_unique<google::protobuf::Arena>();
  raw.catalog = google::protobuf::Arena::CreateMessage<accord::v1::Catalog>(raw.arena.get());
  catgen::Spec spec{7, agreements};
  catgen::GenerateTaxonomy(spec, raw.catalog);
  catgen::GenerateAgreements(spec, 0, agreements, raw.catalog);
  raw.version = "generated";
  auto built = catalog::Snapshot::Build(std::move(raw), "generated");
  EXPECT_TRUE(built.ok()) << built.status();
  return built.ok() ? serving::ServingCatalog::Build(*built) : nullptr;
}

const serving::ServingCatalog& Shared() {
  static const auto* s = new std::shared_ptr<const serving::ServingCatalog>(Generated(2000));
  return **s;
}

// Checks one query: total, an offset page, and cursor paging to the end
// against the naive executor's full ordered result.
void Compare(const serving::Collection& c, const std::string& filter_text,
             const std::string& order_text, size_t begin, size_t end, FilterMaker& maker) {
  SCOPED_TRACE(absl::StrCat("filter: ", filter_text, "  order_by: ", order_text));
  absl::StatusOr<query::CheckedExpr> filter = query::CompileFilter(filter_text, c.schema());
  ASSERT_TRUE(filter.ok()) << filter.status();
  absl::StatusOr<std::vector<query::OrderKey>> order = query::ParseOrderBy(order_text, c.schema());
  ASSERT_TRUE(order.ok()) << order.status();

  ListQuery all;
  all.begin = begin;
  all.end = end;
  all.filter = &*filter;
  all.order = &*order;
  all.limit = c.size();
  const ListPage expected = ExecuteListNaive(c, all);

  absl::StatusOr<ListPage> got = ExecuteList(c, all);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->total_size, expected.total_size);
  EXPECT_EQ(got->positions, expected.positions);

  // One page at a random offset.
  ListQuery page = all;
  page.limit = 1 + maker.Below(60);
  page.offset = maker.Below(static_cast<uint32_t>(expected.total_size) + 5);
  const ListPage naive_page = ExecuteListNaive(c, page);
  got = ExecuteList(c, page);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->positions, naive_page.positions) << "offset " << page.offset;

  // Cursor paging through everything.
  std::vector<uint32_t> paged;
  ListQuery next = all;
  next.limit = 1 + maker.Below(40);
  for (int guard = 0; guard < 10000; ++guard) {
    got = ExecuteList(c, next);
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_EQ(got->total_size, expected.total_size);
    if (guard < 3) {
      // The same page when the caller already knows the total (a later page
      // of a query whose first page was kept): same records, same total.
      ListQuery known = next;
      known.known_total = static_cast<int64_t>(expected.total_size);
      absl::StatusOr<ListPage> with_total = ExecuteList(c, known);
      ASSERT_TRUE(with_total.ok()) << with_total.status();
      ASSERT_EQ(with_total->positions, got->positions);
      ASSERT_EQ(with_total->total_size, expected.total_size);
    }
    paged.insert(paged.end(), got->positions.begin(), got->positions.end());
    if (got->positions.size() < next.limit) break;
    next.after = got->positions.back();
  }
  EXPECT_EQ(paged, expected.positions) << "page size " << next.limit;
}

// A known total is what the page reports: the count is not redone.
TEST(DifferentialTest, AKnownTotalIsReportedAsGiven) {
  const serving::Collection& c = Shared().collection(CollectionId::kAgreements);
  absl::StatusOr<query::CheckedExpr> filter =
      query::CompileFilter("kind = TREATY OR kind = MEMORANDUM_OF_UNDERSTANDING", c.schema());
  ASSERT_TRUE(filter.ok()) << filter.status();
  ListQuery q;
  q.begin = 0;
  q.end = c.size();
  q.filter = &*filter;
  q.limit = 5;
  absl::StatusOr<ListPage> counted = ExecuteList(c, q);
  ASSERT_TRUE(counted.ok()) << counted.status();
  ASSERT_GT(counted->total_size, 5u);
  q.known_total = 123456;
  absl::StatusOr<ListPage> given = ExecuteList(c, q);
  ASSERT_TRUE(given.ok()) << given.status();
  EXPECT_EQ(given->total_size, 123456u);
  EXPECT_EQ(given->positions, counted->positions);
}

TEST(DifferentialTest, RandomFiltersOrdersAndPagesOnAgreements) {
  const serving::Collection& c = Shared().collection(CollectionId::kAgreements);
  ASSERT_EQ(c.size(), 2000u);
  FilterMaker maker(12345, c);
  for (int i = 0; i < 400; ++i) {
    Compare(c, maker.Expr(3), maker.OrderBy(), 0, c.size(), maker);
    if (HasFatalFailure()) return;
  }
}

// Conjunctions the rank-space plan answers: ordered by a date (either
// way), or in name order with a date range; dates of day, month and year
// precision, and records without a date (entry_into_force_date is unset on
// about half). Pages, offsets, cursors and counts as the naive executor.
TEST(DifferentialTest, RankSpaceConjunctionsOrderedOrRangedByDate) {
  const serving::Collection& c = Shared().collection(CollectionId::kAgreements);
  FilterMaker maker(4242, c);
  static const char* const kKinds[] = {"TRADE_AGREEMENT", "MEMORANDUM_OF_UNDERSTANDING", "TREATY",
                                       "JOINT_STATEMENT"};
  static const char* const kStates[] = {"SIGNED", "IN_FORCE", "TERMINATED"};
  static const char* const kOps[] = {"<", "<=", ">", ">=", "=", ":"};
  static const char* const kOrders[] = {"sign_date", "sign_date desc", "",
                                        "entry_into_force_date desc", "entry_into_force_date"};
  auto atom = [&]() -> std::string {
    switch (maker.Below(9)) {
      case 0:
      case 1:
        return absl::StrCat("parties:\"", maker.Country(), "\"");
      case 2:
        return absl::StrCat("kind = ", kKinds[maker.Below(4)]);
      case 3:
        return absl::StrCat("cooperation_areas:\"", maker.Area(), "\"");
      case 4:
        return absl::StrCat("state = ", kStates[maker.Below(3)]);
      case 5:
        return absl::StrCat("legally_binding = ", maker.Below(2) ? "true" : "false");
      case 6:
        return absl::StrCat("entry_into_force_date", kOps[maker.Below(6)], "\"", maker.Date(),
                            "\"");
      default:
        return absl::StrCat(maker.Below(2) ? "sign_date" : "signed", kOps[maker.Below(6)], "\"",
                            maker.Date(), "\"");
    }
  };
  int ordered = 0, ranged = 0;
  for (int i = 0; i < 300; ++i) {
    std::vector<std::string> parts;
    for (int n = 1 + maker.Below(3); n > 0; --n) parts.push_back(atom());
    const std::string filter_text = absl::StrJoin(parts, " AND ");
    const std::string order_text = kOrders[maker.Below(5)];
    auto filter = query::CompileFilter(filter_text, c.schema());
    auto order = query::ParseOrderBy(order_text, c.schema());
    ASSERT_TRUE(filter.ok() && order.ok()) << filter_text;
    ListQuery q;
    q.end = c.size();
    q.filter = &*filter;
    q.order = &*order;
    switch (ChooseRankPlan(c, q)) {
      case RankPlan::kOrdered:
        ++ordered;
        break;
      case RankPlan::kNameOrder:
        ++ranged;
        break;
      case RankPlan::kNotApplicable:
        break;
    }
    // The count alone (limit 0) takes its own shortcuts.
    q.limit = 0;
    absl::StatusOr<ListPage> count = ExecuteList(c, q);
    ASSERT_TRUE(count.ok());
    q.limit = c.size();
    EXPECT_EQ(count->total_size, ExecuteListNaive(c, q).total_size)
        << filter_text << " order_by " << order_text;
    Compare(c, filter_text, order_text, 0, c.size(), maker);
    if (HasFatalFailure()) return;
  }
  // Most of these take the rank-space plan.
  EXPECT_GT(ordered, 120);
  EXPECT_GT(ranged, 20);
}

// Two parties (read from pair postings), with other restrictions, in any
// order, whole collection: as the naive executor.
TEST(DifferentialTest, TwoPartiesFromPairPostings) {
  const serving::Collection& c = Shared().collection(CollectionId::kAgreements);
  // The parties have pair postings (the path under test).
  ASSERT_NE(c.index().cooccurrence(c.schema().Find("parties")), nullptr);
  FilterMaker maker(99, c);
  static const char* const kOrders[] = {"", "sign_date desc", "title", "name desc"};
  for (int i = 0; i < 120; ++i) {
    std::vector<std::string> parts = {absl::StrCat("parties:\"", maker.Country(), "\""),
                                      absl::StrCat("parties = \"", maker.Country(), "\"")};
    switch (maker.Below(4)) {
      case 0:
        parts.push_back(absl::StrCat("cooperation_areas:\"", maker.Area(), "\""));
        break;
      case 1:
        parts.push_back(absl::StrCat("parties:\"", maker.Country(), "\""));
        break;
      case 2:
        parts.push_back("kind = TRADE_AGREEMENT");
        break;
      default:
        break;
    }
    Compare(c, absl::StrJoin(parts, " AND "), kOrders[maker.Below(4)], 0, c.size(), maker);
    if (HasFatalFailure()) return;
  }
}

// Two parties and a restriction on another field with few values (an
// area, the kind, the state), read from the pairs split by that field
// (Cooccurrence::By) when the pair is held by enough records, else from the
// pair intersected: the common countries make both happen. Any order, with
// and without more restrictions: as the naive executor.
TEST(DifferentialTest, TwoPartiesAndAnotherFieldFromSplitPairs) {
  const serving::Collection& c = Shared().collection(CollectionId::kAgreements);
  const query::Field* parties = c.schema().Find("parties");
  const query::Field* areas = c.schema().Find("cooperation_areas");
  const index::Cooccurrence* pairs = c.index().cooccurrence(parties);
  ASSERT_NE(pairs, nullptr);
  const index::Cooccurrence::Split* split = pairs->By(*c.index().field(areas));
  ASSERT_NE(split, nullptr);
  FilterMaker maker(2024, c);
  static const char* const kOrders[] = {"", "sign_date desc", "title", "name desc", "sign_date"};
  static const char* const kKinds[] = {"TRADE_AGREEMENT", "MEMORANDUM_OF_UNDERSTANDING", "TREATY"};
  int from_split = 0;
  for (int i = 0; i < 160; ++i) {
    // The most common countries, so that most pairs are split.
    const int ca = static_cast<int>(maker.Below(4));
    const int cb = 1 + ca + static_cast<int>(maker.Below(5));
    const int area = static_cast<int>(maker.Below(6));
    std::vector<std::string> parts = {absl::StrCat("parties:\"", catgen::CountryName(ca), "\""),
                                      absl::StrCat("parties = \"", catgen::CountryName(cb), "\"")};
    switch (maker.Below(3)) {
      case 0:
        parts.push_back(absl::StrCat("kind = ", kKinds[maker.Below(3)]));
        break;
      case 1:
        parts.push_back(maker.Below(2) ? "state = IN_FORCE" : "legally_binding = true");
        break;
      default:
        parts.push_back(absl::StrCat("cooperation_areas:\"", catgen::AreaName(area), "\""));
        break;
    }
    if (maker.Below(3) == 0) {
      parts.push_back(absl::StrCat("cooperation_areas:\"", maker.Area(), "\""));
    }
    if (maker.Below(4) == 0) parts.push_back("sign_date >= \"2000\"");
    if (maker.Below(6) == 0) parts.push_back(absl::StrCat("parties:\"", maker.Country(), "\""));
    std::swap(parts[0], parts[maker.Below(static_cast<uint32_t>(parts.size()))]);
    // Whether the area form reads a split pair.
    auto entry = [&](const query::Field* f, const std::string& value) -> int64_t {
      const auto& entries = c.index().field(f)->entries();
      for (size_t e = 0; e < entries.size(); ++e) {
        if (entries[e].value.str == value) return static_cast<int64_t>(e);
      }
      return -1;
    };
    const int64_t ea = entry(parties, catgen::CountryName(ca));
    const int64_t eb = entry(parties, catgen::CountryName(cb));
    const int64_t eg = entry(areas, catgen::AreaName(area));
    if (ea >= 0 && eb >= 0 && eg >= 0 &&
        split->Find(static_cast<uint32_t>(ea), static_cast<uint32_t>(eb),
                    static_cast<uint32_t>(eg)) != nullptr) {
      ++from_split;
    }
    Compare(c, absl::StrJoin(parts, " AND "), kOrders[maker.Below(5)], 0, c.size(), maker);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(from_split, 100);
}

// One value and a date range in name order, read by scanning the value's
// records' ranks in name order (RankSpace::RanksByPosition): windows of one
// to forty years and one-sided ranges, on days, months and years, so that
// pages, offsets and cursors fall inside, at the edges of and beyond the
// matches.
TEST(DifferentialTest, OneValueAndADateRangeInNameOrder) {
  const serving::Collection& c = Shared().collection(CollectionId::kAgreements);
  FilterMaker maker(31337, c);
  static const char* const kOps[] = {">=", ">", "<=", "<"};
  int ranged = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string term = maker.Below(2)
                                 ? absl::StrCat("cooperation_areas:\"", maker.Area(), "\"")
                                 : absl::StrCat("parties:\"", maker.Country(), "\"");
    const char* field = maker.Below(2) ? "sign_date" : "signed";
    const int year = 1950 + static_cast<int>(maker.Below(75));
    std::string filter_text;
    if (maker.Below(3) == 0) {
      filter_text =
          absl::StrCat(term, " AND ", field, " ", kOps[maker.Below(4)], " \"", year, "\"");
    } else {
      const int width = static_cast<int>(maker.Below(40));
      filter_text = absl::StrCat(term, " AND ", field, " >= \"", year, "-0", 1 + maker.Below(9),
                                 "\" AND ", field, " <= \"", year + width, "-12-31\"");
    }
    ListQuery q;
    auto filter = query::CompileFilter(filter_text, c.schema());
    ASSERT_TRUE(filter.ok()) << filter_text;
    q.end = c.size();
    q.filter = &*filter;
    if (ChooseRankPlan(c, q) == RankPlan::kNameOrder) ++ranged;
    Compare(c, filter_text, "", 0, c.size(), maker);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(ranged, 150);
}

TEST(DifferentialTest, RankSpacePlanIsChosenOnlyForShapesItAnswers) {
  const serving::ServingCatalog& s = Shared();
  const serving::Collection& c = s.collection(CollectionId::kAgreements);
  struct Case {
    const char* filter;
    const char* order;
    RankPlan plan;
  };
  const Case kCases[] = {
      {"parties:\"countries/aa\" AND kind = TREATY", "sign_date desc", RankPlan::kOrdered},
      {"parties:\"countries/aa\" AND kind = TREATY", "sign_date", RankPlan::kOrdered},
      {"parties:\"countries/aa\" AND sign_date >= \"2015\"", "", RankPlan::kNameOrder},
      {"cooperation_areas:\"cooperationAreas/water\" AND sign_date >= \"2000-01-01\" AND "
       "sign_date <= \"2001-12-31\"",
       "", RankPlan::kNameOrder},
      {"kind = TREATY AND entry_into_force_date < \"2000\"", "entry_into_force_date desc",
       RankPlan::kOrdered},
      // A range on another date matches thousands of values: not a term.
      {"sign_date >= \"2015\"", "entry_into_force_date desc", RankPlan::kNotApplicable},
      // Name order without a date range: the position-space plan.
      {"parties:\"countries/aa\" AND kind = TREATY", "", RankPlan::kNotApplicable},
      {"sign_date >= \"2015\"", "", RankPlan::kNotApplicable},
      // Not a conjunction of positive restrictions.
      {"parties:\"countries/aa\" OR kind = TREATY", "sign_date", RankPlan::kNotApplicable},
      {"NOT kind = TREATY", "sign_date", RankPlan::kNotApplicable},
      {"kind != TREATY", "sign_date", RankPlan::kNotApplicable},
      // An unindexed field, a name restriction, other orders.
      {"title = \"*Trade*\"", "sign_date", RankPlan::kNotApplicable},
      {"name = \"agreements/x\"", "sign_date", RankPlan::kNotApplicable},
      {"kind = TREATY", "title", RankPlan::kNotApplicable},
      {"kind = TREATY", "kind, sign_date desc", RankPlan::kNotApplicable},
      {"kind = TREATY AND sign_date >= \"2015\"", "name desc", RankPlan::kNotApplicable},
  };
  for (const Case& k : kCases) {
    SCOPED_TRACE(absl::StrCat(k.filter, " order_by ", k.order));
    auto filter = query::CompileFilter(k.filter, c.schema());
    auto order = query::ParseOrderBy(k.order, c.schema());
    ASSERT_TRUE(filter.ok() && order.ok());
    ListQuery q;
    q.end = c.size();
    q.filter = &*filter;
    q.order = &*order;
    EXPECT_EQ(ChooseRankPlan(c, q), k.plan);
    // Under one parent's range (not the whole collection): never.
    q.begin = 1;
    EXPECT_EQ(ChooseRankPlan(c, q), RankPlan::kNotApplicable);
  }
}

TEST(DifferentialTest, CommitmentsWholeAndUnderOneParent) {
  const serving::ServingCatalog& s = Shared();
  const serving::Collection& c = s.collection(CollectionId::kCommitments);
  const serving::Collection& agreements = s.collection(CollectionId::kAgreements);
  FilterMaker maker(777, agreements);
  const char* const kOrders[] = {"", "kind desc", "title, kind", "name desc"};
  for (int i = 0; i < 150; ++i) {
    std::vector<std::string> parts;
    switch (maker.Below(5)) {
      case 0:
        parts.push_back(absl::StrCat("committed_by:\"", maker.Country(), "\""));
        break;
      case 1:
        parts.push_back(absl::StrCat("kind = ", maker.Below(2) ? "TARIFF" : "INVESTMENT"));
        break;
      case 2:
        parts.push_back(absl::StrCat("cooperation_areas:\"", maker.Area(), "\""));
        break;
      case 3:
        parts.push_back("committed_to:*");
        break;
      default:
        parts.push_back("evidence.locator = \"*item 2\"");
        break;
    }
    if (maker.Below(2)) parts.push_back(absl::StrCat("NOT committed_to:\"", maker.Country(), "\""));
    const std::string filter = absl::StrJoin(parts, " AND ");
    const std::string order = kOrders[maker.Below(4)];
    if (maker.Below(2)) {
      Compare(c, filter, order, 0, c.size(), maker);
    } else {
      auto [b, e] =
          c.RangeWithPrefix(absl::StrCat(agreements.name(maker.Below(agreements.size())), "/"));
      Compare(c, filter, order, b, e, maker);
    }
    if (HasFatalFailure()) return;
  }
}

TEST(DifferentialTest, SelectiveFiltersAreAnsweredFromIndexes) {
  const serving::Collection& c = Shared().collection(CollectionId::kAgreements);
  for (const char* text :
       {"parties:\"countries/aa\" AND kind = TREATY",
        "cooperation_areas:\"cooperationAreas/water\"",
        "signed >= \"2020-01\" AND signed < \"2021\"",
        "commitments.kind = TARIFF AND parties:\"countries/nj\"", "name = \"agreements/x\"",
        "parties:\"countries/aa\" AND parties:\"countries/ab\" AND "
        "cooperation_areas:\"cooperationAreas/trade\""}) {
    SCOPED_TRACE(text);
    absl::StatusOr<query::CheckedExpr> filter = query::CompileFilter(text, c.schema());
    ASSERT_TRUE(filter.ok()) << filter.status();
    Roaring all;
    roaring_bitmap_add_range(&all.roaring, 0, c.size());
    PlanStats stats;
    ASSERT_TRUE(EvaluateFilter(c, *filter, all, nullptr, &stats).ok());
    EXPECT_EQ(stats.records_evaluated, 0u);
    EXPECT_GT(stats.indexed_restrictions, 0u);
  }
}

TEST(DifferentialTest, UnindexedFilterPollsCancellation) {
  const serving::Collection& c = Shared().collection(CollectionId::kCommitments);
  ASSERT_GT(c.size(), 4096u);
  absl::StatusOr<query::CheckedExpr> filter =
      query::CompileFilter("evidence.locator = \"*item 9\"", c.schema());
  ASSERT_TRUE(filter.ok());
  ListQuery q;
  q.end = c.size();
  q.filter = &*filter;
  int polls = 0;
  q.cancelled = [&] { return ++polls >= 1; };
  absl::StatusOr<ListPage> page = ExecuteList(c, q);
  EXPECT_EQ(page.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(polls, 1);
}

// Through the API: page tokens carry a cursor, and paging with them
// returns the naive order.
TEST(DifferentialTest, ListResourcesPagesWithCursorTokens) {
  const serving::ServingCatalog& s = Shared();
  const serving::Collection& c = s.collection(CollectionId::kAgreements);
  const std::string filter_text =
      "cooperation_areas:\"cooperationAreas/trade\" AND signed >= \"2000\"";
  const std::string order_text = "sign_date desc";
  auto filter = query::CompileFilter(filter_text, c.schema());
  auto order = query::ParseOrderBy(order_text, c.schema());
  ASSERT_TRUE(filter.ok() && order.ok());
  ListQuery all;
  all.end = c.size();
  all.filter = &*filter;
  all.order = &*order;
  all.limit = c.size();
  const ListPage expected = ExecuteListNaive(c, all);
  ASSERT_GT(expected.total_size, 60u);
  // The tokens resume inside the rank-space plan.
  EXPECT_EQ(ChooseRankPlan(c, all), RankPlan::kOrdered);

  std::vector<std::string> names;
  std::string token;
  for (int guard = 0; guard < 100; ++guard) {
    accord::v1::ListAgreementsResponse response;
    api::ListRequest request;
    request.page_size = 17;
    request.filter = filter_text;
    request.order_by = order_text;
    request.page_token = token;
    std::string next;
    int32_t total = 0;
    absl::Status st =
        api::ListResources(s, CollectionId::kAgreements, request,
                           api::AppendTo(response.mutable_agreements()), &next, &total);
    ASSERT_TRUE(st.ok()) << st;
    EXPECT_EQ(static_cast<size_t>(total), expected.total_size);
    for (const auto& a : response.agreements()) names.push_back(a.name());
    if (next.empty()) break;
    token = next;
  }
  std::vector<std::string> want;
  for (uint32_t p : expected.positions) want.emplace_back(c.name(p));
  EXPECT_EQ(names, want);
}

}  // namespace
}  // namespace accord::engine
