#include "service/search/search_index.h"

#include <set>

#include "absl/strings/ascii.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/catalog/snapshot.h"

namespace accord::search {
namespace {

using catalog::CollectionId;
using ::testing::HasSubstr;

class SearchIndexTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto snapshot = catalog::Snapshot::Load(std::string(ACCORD_SOURCE_DIR) + "/data/catalogue");
    ASSERT_TRUE(snapshot.ok()) << snapshot.status();
    snapshot_ = new std::shared_ptr<const catalog::Snapshot>(*snapshot);
    std::vector<CollectionRecords> collections;
    for (CollectionId id : catalog::kAllCollections) {
      const catalog::Collection& c = (*snapshot_)->collection(id);
      collections.push_back(CollectionRecords{std::string(catalog::CollectionName(id)), &c});
    }
    auto built = SearchIndex::Build(std::move(collections));
    ASSERT_TRUE(built.ok()) << built.status();
    index_ = built->release();
  }
  static void TearDownTestSuite() {
    delete index_;
    delete snapshot_;
  }

  static std::string NameOf(const Hit& hit) {
    const auto& c = (*snapshot_)->collection(static_cast<CollectionId>(hit.collection));
    return std::string(c.name(hit.position));
  }
  static std::vector<std::string> Names(const SearchRequest& r) {
    absl::StatusOr<SearchResult> result = index_->Search(r);
    EXPECT_TRUE(result.ok()) << result.status();
    std::vector<std::string> out;
    if (result.ok()) {
      for (const Hit& h : result->hits) out.push_back(NameOf(h));
    }
    return out;
  }
  static int Agreements() { return static_cast<int>(CollectionId::kAgreements); }

  static std::shared_ptr<const catalog::Snapshot>* snapshot_;
  static SearchIndex* index_;
};
std::shared_ptr<const catalog::Snapshot>* SearchIndexTest::snapshot_ = nullptr;
SearchIndex* SearchIndexTest::index_ = nullptr;

TEST_F(SearchIndexTest, EveryRecordIsADocument) {
  size_t records = 0;
  for (CollectionId id : catalog::kAllCollections) records += (*snapshot_)->collection(id).size();
  EXPECT_EQ(index_->document_count(), records);
}

TEST_F(SearchIndexTest, RanksTheCriticalMineralsMouFirstAmongAgreements) {
  SearchRequest r;
  r.query = "critical minerals";
  r.collections = {Agreements()};
  std::vector<std::string> names = Names(r);
  ASSERT_GE(names.size(), 2u);
  // Its title says "Critical Minerals" (titles weigh more).
  EXPECT_EQ(names[0], "agreements/my-us-critical-minerals-mou-2025");
  EXPECT_THAT(names, ::testing::Contains("agreements/my-us-reciprocal-trade-2025"));
  EXPECT_THAT(names, ::testing::Not(::testing::Contains("agreements/my-us-acsa")));
}

TEST_F(SearchIndexTest, StemmingMatchesOtherFormsOfAWord) {
  SearchRequest singular;
  singular.query = "mineral";
  SearchRequest plural;
  plural.query = "minerals";
  std::vector<std::string> a = Names(singular), b = Names(plural);
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(std::set<std::string>(a.begin(), a.end()), std::set<std::string>(b.begin(), b.end()));
}

TEST_F(SearchIndexTest, PhraseQueriesKeepWordOrder) {
  SearchRequest phrase;
  phrase.query = "\"defense articles and services\"";
  phrase.collections = {Agreements()};
  EXPECT_THAT(Names(phrase), ::testing::ElementsAre("agreements/my-us-reciprocal-trade-2025"));
  SearchRequest reversed;
  reversed.query = "\"services and defense articles\"";
  EXPECT_TRUE(Names(reversed).empty());
}

TEST_F(SearchIndexTest, SnippetsHighlightTheMatches) {
  SearchRequest r;
  r.query = "acquisition";
  r.collections = {Agreements()};
  absl::StatusOr<SearchResult> result = index_->Search(r);
  ASSERT_TRUE(result.ok());
  ASSERT_FALSE(result->hits.empty());
  for (const Hit& h : result->hits) {
    EXPECT_THAT(absl::AsciiStrToLower(h.snippet), HasSubstr("<mark>acquisition</mark>"))
        << NameOf(h);
    EXPECT_GT(h.score, 0);
  }
}

TEST_F(SearchIndexTest, AFilterNarrowsTheResultsAndTheTotal) {
  const auto& agreements = (*snapshot_)->collection(CollectionId::kAgreements);
  Roaring only_art;
  only_art.add(static_cast<uint32_t>(agreements.IndexOf("agreements/my-us-reciprocal-trade-2025")));
  SearchRequest r;
  r.query = "critical minerals";
  r.collections = {Agreements()};
  r.allowed.assign(catalog::kCollectionCount, nullptr);
  r.allowed[Agreements()] = &only_art;
  absl::StatusOr<SearchResult> result = index_->Search(r);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->total, 1u);
  ASSERT_EQ(result->hits.size(), 1u);
  EXPECT_EQ(NameOf(result->hits[0]), "agreements/my-us-reciprocal-trade-2025");
}

TEST_F(SearchIndexTest, PagesConcatenateToTheWholeResult) {
  SearchRequest all;
  all.query = "malaysia";
  all.limit = 1000;
  absl::StatusOr<SearchResult> whole = index_->Search(all);
  ASSERT_TRUE(whole.ok());
  ASSERT_GT(whole->total, 10u);
  EXPECT_EQ(whole->hits.size(), whole->total);
  std::vector<std::string> paged;
  for (size_t offset = 0; offset < whole->total; offset += 4) {
    SearchRequest page = all;
    page.offset = offset;
    page.limit = 4;
    absl::StatusOr<SearchResult> got = index_->Search(page);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->total, whole->total);
    for (const Hit& h : got->hits) paged.push_back(NameOf(h));
  }
  std::vector<std::string> expected;
  for (const Hit& h : whole->hits) expected.push_back(NameOf(h));
  EXPECT_EQ(paged, expected);
  for (size_t i = 1; i < whole->hits.size(); ++i) {
    EXPECT_GE(whole->hits[i - 1].score, whole->hits[i].score);
  }
}

TEST_F(SearchIndexTest, AnEmptyQueryIsInvalid) {
  SearchRequest r;
  r.query = "  ";
  EXPECT_EQ(index_->Search(r).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SearchableTextTest, TitlesSeparateFromBodyAndReferencesLeftOut) {
  accord::v1::Agreement a;
  a.set_name("agreements/x");
  a.set_title("Pact");
  a.set_summary("About trade.");
  a.add_parties("countries/my");
  a.add_evidence()->set_quote("exact words");
  RecordText t = SearchableText(a);
  EXPECT_EQ(t.titles, "Pact");
  EXPECT_EQ(t.body, "About trade.\nexact words");
}

}  // namespace
}  // namespace accord::search
