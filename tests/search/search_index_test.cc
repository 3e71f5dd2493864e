#include "service/search/search_index.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/catalog/snapshot.h"

namespace accord::search {
namespace {

using catalog::CollectionId;
using ::testing::HasSubstr;

// A stored catalogue holding only `sectors`, named in their order (so a
// sector's position is its index in the vector).
std::shared_ptr<const catalog::Snapshot> SectorsOnly(
    const std::vector<accord::v1::Sector>& sectors) {
  catalog::RawCatalog raw;
  raw.arena = std::make_unique<google::protobuf::Arena>();
  raw.catalog = google::protobuf::Arena::CreateMessage<accord::v1::Catalog>(raw.arena.get());
  for (size_t i = 0; i < sectors.size(); ++i) {
    accord::v1::Sector* s = raw.catalog->add_sectors();
    *s = sectors[i];
    s->set_name(absl::StrFormat("sectors/s-%06d", i));
  }
  raw.version = "test";
  auto built = catalog::Snapshot::Build(std::move(raw), "test");
  EXPECT_TRUE(built.ok()) << built.status();
  return built.ok() ? *std::move(built) : nullptr;
}

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

// A catalogue big enough to be indexed by several threads: each thread
// indexes a range into its own shard, merged into one database. The result
// must be the same as one thread's: same hits, same order (ties by
// position), same scores, and each hit pointing at a record that has the
// word.
class ShardedBuildTest : public ::testing::Test {
 protected:
  static constexpr size_t kPerCollection = 25000;
  static void SetUpTestSuite() {
    const char* words[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"};
    records_ = new std::vector<std::vector<accord::v1::Sector>>(3);
    for (size_t c = 0; c < 3; ++c) {
      (*records_)[c].resize(kPerCollection);
      for (size_t i = 0; i < kPerCollection; ++i) {
        accord::v1::Sector& s = (*records_)[c][i];
        s.set_display_name(absl::StrCat(words[i % 7], " ", words[(i / 7 + c) % 7]));
        s.set_description(absl::StrCat("record ", c, "x", i, i % 11 == 0 ? " beta gamma" : ""));
      }
      stored_[c] = SectorsOnly((*records_)[c]);
    }
  }
  static void TearDownTestSuite() {
    delete records_;
    for (auto& s : stored_) s.reset();
  }

  static std::unique_ptr<SearchIndex> Build(int threads) {
    std::vector<CollectionRecords> collections;
    for (size_t c = 0; c < 3; ++c) {
      collections.push_back(
          CollectionRecords{absl::StrCat("c", c), &stored_[c]->collection(CollectionId::kSectors)});
    }
    BuildOptions options;
    options.threads = threads;
    auto built = SearchIndex::Build(std::move(collections), options);
    EXPECT_TRUE(built.ok()) << built.status();
    return built.ok() ? *std::move(built) : nullptr;
  }

  static std::vector<std::vector<accord::v1::Sector>>* records_;
  static std::shared_ptr<const catalog::Snapshot> stored_[3];
};
std::vector<std::vector<accord::v1::Sector>>* ShardedBuildTest::records_ = nullptr;
std::shared_ptr<const catalog::Snapshot> ShardedBuildTest::stored_[3];

TEST_F(ShardedBuildTest, ThreeShardsAnswerAsOneDatabase) {
  std::unique_ptr<SearchIndex> one = Build(1);
  std::unique_ptr<SearchIndex> three = Build(3);
  ASSERT_NE(one, nullptr);
  ASSERT_NE(three, nullptr);
  EXPECT_EQ(three->document_count(), 3 * kPerCollection);
  Roaring every_third;
  for (uint32_t i = 0; i < kPerCollection; i += 3) every_third.add(i);
  for (const std::string& query : {"alpha", "\"beta gamma\"", "zeta OR eta"}) {
    for (size_t offset : {size_t{0}, size_t{5000}}) {
      SearchRequest r;
      r.query = query;
      r.offset = offset;
      r.limit = 200;
      absl::StatusOr<SearchResult> a = one->Search(r), b = three->Search(r);
      ASSERT_TRUE(a.ok() && b.ok());
      ASSERT_GT(a->total, offset + 200) << query;
      EXPECT_EQ(a->total, b->total) << query;
      ASSERT_EQ(a->hits.size(), b->hits.size());
      for (size_t i = 0; i < a->hits.size(); ++i) {
        EXPECT_EQ(a->hits[i].collection, b->hits[i].collection) << query << " #" << i;
        EXPECT_EQ(a->hits[i].position, b->hits[i].position) << query << " #" << i;
        EXPECT_DOUBLE_EQ(a->hits[i].score, b->hits[i].score);
        EXPECT_EQ(a->hits[i].snippet, b->hits[i].snippet);
        const accord::v1::Sector& record = (*records_)[b->hits[i].collection][b->hits[i].position];
        const std::string word = query == "zeta OR eta" ? "eta" : query.substr(query[0] == '"');
        EXPECT_THAT(record.display_name() + " " + record.description(),
                    HasSubstr(word.substr(0, 4)));
      }
    }
    // A filter on the last collection (the third shard) admits its
    // positions only.
    SearchRequest filtered;
    filtered.query = query;
    filtered.collections = {2};
    filtered.allowed = {nullptr, nullptr, &every_third};
    filtered.limit = 100000;
    absl::StatusOr<SearchResult> a = one->Search(filtered), b = three->Search(filtered);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_GT(b->total, 0u);
    EXPECT_EQ(a->total, b->total);
    for (const Hit& h : b->hits) {
      EXPECT_EQ(h.collection, 2);
      EXPECT_EQ(h.position % 3, 0u);
    }
  }
}

// The sharded build, exported into a file and opened in place from it
// (the compiled catalogue's "@search" section), answers as it does built.
TEST_F(ShardedBuildTest, AShardedIndexExportedAnswersAsBuilt) {
  std::unique_ptr<SearchIndex> three = Build(3);
  ASSERT_NE(three, nullptr);
  absl::StatusOr<std::string> section = three->Export("v");
  ASSERT_TRUE(section.ok()) << section.status();
  const std::string path = ::testing::TempDir() + "/sharded_embedded.bin";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << "12345678" << *section;
  }
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  std::vector<CollectionRecords> collections;
  for (size_t c = 0; c < 3; ++c) {
    collections.push_back(
        CollectionRecords{absl::StrCat("c", c), &stored_[c]->collection(CollectionId::kSectors)});
  }
  auto embedded = SearchIndex::OpenEmbedded(std::move(collections), "v", fd, 8, *section);
  close(fd);
  std::remove(path.c_str());
  ASSERT_TRUE(embedded.ok()) << embedded.status();
  for (const std::string& query : {"alpha", "\"beta gamma\"", "zeta OR eta", "record"}) {
    for (size_t offset : {size_t{0}, size_t{5000}}) {
      SearchRequest r;
      r.query = query;
      r.offset = offset;
      r.limit = 100;
      absl::StatusOr<SearchResult> a = three->Search(r), b = (*embedded)->Search(r);
      ASSERT_TRUE(a.ok() && b.ok());
      ASSERT_GT(a->hits.size(), 0u) << query;
      EXPECT_EQ(a->total, b->total) << query;
      ASSERT_EQ(a->hits.size(), b->hits.size());
      for (size_t i = 0; i < a->hits.size(); ++i) {
        EXPECT_EQ(a->hits[i].collection, b->hits[i].collection) << query << " #" << i;
        EXPECT_EQ(a->hits[i].position, b->hits[i].position) << query << " #" << i;
        EXPECT_EQ(a->hits[i].score, b->hits[i].score);
        EXPECT_EQ(a->hits[i].snippet, b->hits[i].snippet);
      }
    }
  }
}

// Index directories of a process that was killed (no destructor ran) are
// removed by the next build in the same work dir; those of live indexes,
// and directories that are not index directories, are left alone.
TEST(AbandonedIndexTest, ABuildRemovesWhatAKilledProcessLeftBehind) {
  namespace fs = std::filesystem;
  const fs::path work = fs::path(::testing::TempDir()) / "accord_abandoned_indexes";
  fs::remove_all(work);
  fs::create_directories(work);
  fs::create_directories(work / "accord-search-unrelated");
  accord::v1::Sector sector;
  sector.set_display_name("Seabed mining");
  std::shared_ptr<const catalog::Snapshot> stored = SectorsOnly({sector});
  ASSERT_NE(stored, nullptr);
  auto build = [&] {
    BuildOptions options;
    options.work_dir = work.string();
    return SearchIndex::Build(
        {CollectionRecords{"sectors", &stored->collection(CollectionId::kSectors)}}, options);
  };
  auto dirs = [&] {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(work)) names.insert(e.path().filename().string());
    return names;
  };
  auto live = build();
  ASSERT_TRUE(live.ok()) << live.status();
  const std::set<std::string> with_live = dirs();
  ASSERT_EQ(with_live.size(), 2u);
  // A child process builds an index and dies without cleaning up.
  pid_t child = fork();
  if (child == 0) {
    auto leaked = build();
    if (leaked.ok()) leaked->release();
    kill(getpid(), SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  std::set<std::string> after_kill = dirs();
  ASSERT_EQ(after_kill.size(), 3u);

  auto next = build();
  ASSERT_TRUE(next.ok()) << next.status();
  std::set<std::string> now = dirs();
  EXPECT_EQ(now.size(), 3u);  // unrelated, live, next: the killed one is gone
  for (const std::string& name : with_live) EXPECT_TRUE(now.count(name)) << name;
  for (const std::string& name : after_kill) {
    if (!with_live.count(name)) EXPECT_FALSE(now.count(name)) << name << " was left";
  }
  SearchRequest r;
  r.query = "mining";
  EXPECT_EQ((*live)->Search(r)->total, 1u);
  EXPECT_EQ((*next)->Search(r)->total, 1u);
  live->reset();
  next->reset();
  EXPECT_EQ(dirs(), std::set<std::string>{"accord-search-unrelated"});
  fs::remove_all(work);
}

}  // namespace
}  // namespace accord::search
