#include "service/counts/group_count.h"

#include <map>
#include <string>

#include "bench/catgen/catgen.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/engine/executor.h"
#include "service/query/checker.h"
#include "service/serving/serving_catalog.h"

namespace accord::counts {
namespace {

using catalog::CollectionId;
using v1::Agreement;

// The positions of the agreements matching `filter`, from the engine.
Roaring Matches(const serving::Collection& c, const std::string& filter) {
  absl::StatusOr<query::CheckedExpr> expr = query::CompileFilter(filter, c.schema());
  EXPECT_TRUE(expr.ok()) << expr.status();
  engine::ListQuery q;
  q.begin = 0;
  q.end = c.size();
  q.filter = filter.empty() ? nullptr : &*expr;
  q.limit = c.size();
  absl::StatusOr<engine::ListPage> page = engine::ExecuteList(c, q);
  EXPECT_TRUE(page.ok()) << page.status();
  Roaring out;
  for (uint32_t p : page->positions) out.add(p);
  return out;
}

GroupField Field(const serving::Collection& c, const char* path, Bucket bucket = Bucket::kValue) {
  const query::Field* f = c.schema().Find(path);
  EXPECT_NE(f, nullptr) << path;
  return {c.index().field(f), bucket};
}

// "key|key" -> count, with enums by name and years as numbers.
std::map<std::string, uint64_t> Flatten(const std::vector<GroupCount>& groups,
                                        const google::protobuf::EnumDescriptor* enum0 = nullptr) {
  std::map<std::string, uint64_t> out;
  for (const GroupCount& g : groups) {
    std::string key;
    for (size_t i = 0; i < g.key.size(); ++i) {
      const query::Value& v = g.key[i];
      if (i > 0) key += "|";
      if (v.type == query::Type::kString)
        key += std::string(v.str);
      else if (v.type == query::Type::kEnum && i == 0 && enum0 != nullptr)
        key += enum0->FindValueByNumber(static_cast<int>(v.num))->name();
      else
        key += std::to_string(v.num);
    }
    out[key] = g.count;
  }
  return out;
}

TEST(CountByGroupsTest, BundledAgreementsByKindAndBySigningYear) {
  auto snapshot = serving::ServingCatalog::Load(std::string(ACCORD_SOURCE_DIR) + "/data/catalogue");
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  const serving::Collection& agreements = (*snapshot)->collection(CollectionId::kAgreements);
  Roaring all = Matches(agreements, "");
  absl::StatusOr<std::vector<GroupCount>> by_kind = CountByGroups(all, {Field(agreements, "kind")});
  ASSERT_TRUE(by_kind.ok()) << by_kind.status();
  EXPECT_THAT(Flatten(*by_kind, Agreement::Kind_descriptor()),
              ::testing::ElementsAre(::testing::Pair("DEFENCE_ARRANGEMENT", 1),
                                     ::testing::Pair("JOINT_STATEMENT", 1),
                                     ::testing::Pair("MEMORANDUM_OF_UNDERSTANDING", 2),
                                     ::testing::Pair("PARTNERSHIP_STATEMENT", 1),
                                     ::testing::Pair("TRADE_AGREEMENT", 1)));
  // Signing years: the ACSA and the defence joint statement have no
  // signing date, so they are in no year.
  absl::StatusOr<std::vector<GroupCount>> by_year =
      CountByGroups(all, {Field(agreements, "sign_date", Bucket::kYear)});
  ASSERT_TRUE(by_year.ok()) << by_year.status();
  EXPECT_THAT(Flatten(*by_year),
              ::testing::ElementsAre(::testing::Pair("2014", 1), ::testing::Pair("2025", 3)));
  // Year x cooperation area, with a filter.
  Roaring memoranda = Matches(agreements, "kind = MEMORANDUM_OF_UNDERSTANDING");
  absl::StatusOr<std::vector<GroupCount>> two = CountByGroups(
      memoranda,
      {Field(agreements, "sign_date", Bucket::kYear), Field(agreements, "cooperation_areas")});
  ASSERT_TRUE(two.ok()) << two.status();
  auto flat = Flatten(*two);
  EXPECT_EQ(flat["2025|cooperationAreas/critical-minerals"], 1u);
  EXPECT_EQ(flat["2025|cooperationAreas/defence"], 1u);
  EXPECT_EQ(flat["2025|cooperationAreas/investment"], 1u);
  EXPECT_EQ(flat.count("2025|cooperationAreas/trade"), 0u);  // the ART is not an MOU
}

TEST(CountByGroupsTest, RejectsBadGroupings) {
  auto snapshot = serving::ServingCatalog::Load(std::string(ACCORD_SOURCE_DIR) + "/data/catalogue");
  ASSERT_TRUE(snapshot.ok());
  const serving::Collection& agreements = (*snapshot)->collection(CollectionId::kAgreements);
  Roaring all = Matches(agreements, "");
  GroupField kind = Field(agreements, "kind");
  EXPECT_EQ(CountByGroups(all, {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CountByGroups(all, {kind, kind, kind}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CountByGroups(all, {GroupField{kind.index, Bucket::kYear}}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Against a count record by record, on a generated catalogue.
TEST(CountByGroupsTest, AgreesWithCountingRecordByRecord) {
  catalog::RawCatalog raw;
  raw.arena = std::make_unique<google::protobuf::Arena>();
  raw.catalog = google::protobuf::Arena::CreateMessage<accord::v1::Catalog>(raw.arena.get());
  catgen::Spec spec{11, 4000};
  catgen::GenerateTaxonomy(spec, raw.catalog);
  catgen::GenerateAgreements(spec, 0, spec.agreements, raw.catalog);
  raw.version = "generated";
  auto stored = catalog::Snapshot::Build(std::move(raw), "generated");
  ASSERT_TRUE(stored.ok()) << stored.status();
  auto built = serving::ServingCatalog::Build(*stored);
  const serving::Collection& c = built->collection(CollectionId::kAgreements);
  const std::string filter = "sign_date >= \"1990\" AND parties:\"" + catgen::CountryName(0) + "\"";
  Roaring matches = Matches(c, filter);
  ASSERT_GT(matches.cardinality(), 50u);

  absl::StatusOr<std::vector<GroupCount>> got =
      CountByGroups(matches, {Field(c, "sign_date", Bucket::kYear), Field(c, "cooperation_areas")});
  ASSERT_TRUE(got.ok()) << got.status();
  google::protobuf::Arena arena;
  std::map<std::string, uint64_t> want;
  for (uint32_t p : matches) {
    const auto& a = static_cast<const Agreement&>(*c.Parse(p, &arena));
    if (a.sign_date().year() == 0) continue;
    for (const std::string& area : a.cooperation_areas()) {
      ++want[std::to_string(a.sign_date().year()) + "|" + area];
    }
  }
  EXPECT_EQ(Flatten(*got), want);

  absl::StatusOr<std::vector<GroupCount>> by_party_state =
      CountByGroups(matches, {Field(c, "parties"), Field(c, "state")});
  ASSERT_TRUE(by_party_state.ok());
  std::map<std::string, uint64_t> want2;
  for (uint32_t p : matches) {
    const auto& a = static_cast<const Agreement&>(*c.Parse(p, &arena));
    for (const std::string& party : a.parties()) {
      ++want2[party + "|" + std::to_string(a.state())];
    }
  }
  EXPECT_EQ(Flatten(*by_party_state), want2);
}

}  // namespace
}  // namespace accord::counts
