// The compiled-query cache: hits for the same query and snapshot only, a
// bounded size, and after a reload List answers from the new catalogue
// with queries compiled against it.
#include "service/api/query_cache.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/api/resource_methods.h"
#include "service/serving/serving_catalog.h"

namespace accord::api {
namespace {

using catalog::CollectionId;

std::shared_ptr<const serving::ServingCatalog> LoadFrom(const std::string& dir) {
  auto loaded = serving::ServingCatalog::Load(dir);
  EXPECT_TRUE(loaded.ok()) << loaded.status();
  return loaded.ok() ? *loaded : nullptr;
}

std::shared_ptr<const CompiledQuery> Query() { return std::make_shared<const CompiledQuery>(); }

// The bundled catalogue with the first agreement's title prefixed by
// "Zyzzyva ", in a fresh directory of this test's own (ctest runs tests in
// parallel, each in its own process).
std::string RetitledCatalogue() {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::path(testing::TempDir()) /
      absl::StrCat("query_cache_retitled-",
                   ::testing::UnitTest::GetInstance()->current_test_info()->name(), "-", getpid());
  fs::remove_all(dir);
  fs::copy(ACCORD_SOURCE_DIR "/data/catalogue", dir, fs::copy_options::recursive);
  const fs::path file = dir / "agreements.textproto";
  std::stringstream text;
  text << std::ifstream(file).rdbuf();
  std::string s = text.str();
  const size_t at = s.find("\n  title: \"");
  EXPECT_NE(at, std::string::npos);
  s.insert(at + std::string("\n  title: \"").size(), "Zyzzyva ");
  std::ofstream(file, std::ios::trunc) << s;
  return dir.string();
}

TEST(QueryCacheTest, FindsWhatWasInsertedForTheSameQueryAndSnapshot) {
  auto a = LoadFrom(ACCORD_SOURCE_DIR "/data/catalogue");
  ASSERT_NE(a, nullptr);
  QueryCache cache;
  EXPECT_EQ(cache.Find(a, CollectionId::kAgreements, "kind = TREATY", ""), nullptr);
  auto q = Query();
  cache.Insert(a, CollectionId::kAgreements, "kind = TREATY", "", q);
  EXPECT_EQ(cache.Find(a, CollectionId::kAgreements, "kind = TREATY", ""), q);
  // Another collection, filter or order_by is another query.
  EXPECT_EQ(cache.Find(a, CollectionId::kPartnerships, "kind = TREATY", ""), nullptr);
  EXPECT_EQ(cache.Find(a, CollectionId::kAgreements, "kind = TREATY ", ""), nullptr);
  EXPECT_EQ(cache.Find(a, CollectionId::kAgreements, "kind = TREATY", "title"), nullptr);
  // The split between filter and order_by is part of the key.
  cache.Insert(a, CollectionId::kAgreements, "ab", "", Query());
  EXPECT_EQ(cache.Find(a, CollectionId::kAgreements, "a", "b"), nullptr);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(QueryCacheTest, AnotherSnapshotNeverSeesAnEntry) {
  // Two loads of the same files: the same version string, different
  // snapshots (each with its own schemas, which compiled queries point into).
  auto a = LoadFrom(ACCORD_SOURCE_DIR "/data/catalogue");
  auto b = LoadFrom(ACCORD_SOURCE_DIR "/data/catalogue");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(a->version(), b->version());
  QueryCache cache;
  auto qa = Query();
  cache.Insert(a, CollectionId::kAgreements, "kind = TREATY", "", qa);
  EXPECT_EQ(cache.Find(b, CollectionId::kAgreements, "kind = TREATY", ""), nullptr);
  // Inserting for the new snapshot drops the old one's entries.
  auto qb = Query();
  cache.Insert(b, CollectionId::kAgreements, "kind = TREATY", "", qb);
  EXPECT_EQ(cache.Find(b, CollectionId::kAgreements, "kind = TREATY", ""), qb);
  EXPECT_EQ(cache.Find(a, CollectionId::kAgreements, "kind = TREATY", ""), nullptr);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(QueryCacheTest, ASnapshotAtAFreedOnesAddressIsAnotherSnapshot) {
  QueryCache cache;
  {
    auto a = LoadFrom(ACCORD_SOURCE_DIR "/data/catalogue");
    ASSERT_NE(a, nullptr);
    cache.Insert(a, CollectionId::kAgreements, "kind = TREATY", "", Query());
  }
  // Whatever address the next snapshot gets, the entry is not its.
  auto b = LoadFrom(ACCORD_SOURCE_DIR "/data/catalogue");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(cache.Find(b, CollectionId::kAgreements, "kind = TREATY", ""), nullptr);
}

TEST(QueryCacheTest, DropsTheLeastRecentlyUsedWhenFull) {
  auto a = LoadFrom(ACCORD_SOURCE_DIR "/data/catalogue");
  ASSERT_NE(a, nullptr);
  QueryCache cache(2);
  auto q1 = Query(), q2 = Query(), q3 = Query();
  cache.Insert(a, CollectionId::kAgreements, "f1", "", q1);
  cache.Insert(a, CollectionId::kAgreements, "f2", "", q2);
  EXPECT_EQ(cache.Find(a, CollectionId::kAgreements, "f1", ""), q1);  // f2 is now oldest
  cache.Insert(a, CollectionId::kAgreements, "f3", "", q3);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Find(a, CollectionId::kAgreements, "f1", ""), q1);
  EXPECT_EQ(cache.Find(a, CollectionId::kAgreements, "f2", ""), nullptr);
  EXPECT_EQ(cache.Find(a, CollectionId::kAgreements, "f3", ""), q3);
}

TEST(QueryCacheTest, DoesNotKeepVeryLongQueries) {
  auto a = LoadFrom(ACCORD_SOURCE_DIR "/data/catalogue");
  ASSERT_NE(a, nullptr);
  QueryCache cache;
  const std::string long_filter(QueryCache::kMaxKeyBytes + 1, 'x');
  cache.Insert(a, CollectionId::kAgreements, long_filter, "", Query());
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.Find(a, CollectionId::kAgreements, long_filter, ""), nullptr);
}

// What a client sees across a reload: the same List, through the same
// cache, answers from the catalogue now served.
TEST(QueryCacheTest, ListAfterAReloadAnswersFromTheNewCatalogue) {
  auto before = LoadFrom(ACCORD_SOURCE_DIR "/data/catalogue");
  auto after = LoadFrom(RetitledCatalogue());
  ASSERT_NE(before, nullptr);
  ASSERT_NE(after, nullptr);
  ASSERT_NE(before->version(), after->version());
  QueryCache cache;
  ListRequest request;
  request.page_size = 10;
  request.filter = "title = \"Zyzzyva*\"";
  request.order_by = "sign_date desc";
  auto list = [&](const std::shared_ptr<const serving::ServingCatalog>& snapshot,
                  std::vector<std::string>* names) {
    Selection selection;
    std::string token;
    int32_t total = -1;
    absl::Status s = SelectList(snapshot, CollectionId::kAgreements, request, &cache, &selection,
                                &token, &total);
    EXPECT_TRUE(s.ok()) << s;
    names->clear();
    for (uint32_t p : selection.positions) {
      names->emplace_back(snapshot->collection(CollectionId::kAgreements).name(p));
    }
    return total;
  };
  std::vector<std::string> names;
  EXPECT_EQ(list(before, &names), 0);
  EXPECT_TRUE(names.empty());
  EXPECT_EQ(list(before, &names), 0);  // from the cache
  const auto cached =
      cache.Find(before, CollectionId::kAgreements, request.filter, request.order_by);
  ASSERT_NE(cached, nullptr);
  EXPECT_EQ(list(after, &names), 1);
  ASSERT_EQ(names.size(), 1u);
  const auto recompiled =
      cache.Find(after, CollectionId::kAgreements, request.filter, request.order_by);
  ASSERT_NE(recompiled, nullptr);
  EXPECT_NE(recompiled, cached);
  // Every answer is the one an uncached List gives.
  Selection selection;
  std::string token;
  int32_t total = -1;
  ASSERT_TRUE(
      SelectList(*after, CollectionId::kAgreements, request, &selection, &token, &total).ok());
  EXPECT_EQ(total, 1);
  ASSERT_EQ(selection.positions.size(), 1u);
  EXPECT_EQ(after->collection(CollectionId::kAgreements).name(selection.positions[0]), names[0]);
}

struct Listed {
  absl::Status status;
  std::vector<uint32_t> positions;
  std::string token;
  int32_t total = -1;
};

// SelectList through `cache` (or, with none, uncached).
Listed List(const std::shared_ptr<const serving::ServingCatalog>& snapshot, CollectionId collection,
            const ListRequest& request, QueryCache* cache) {
  Listed out;
  Selection selection;
  out.status =
      cache != nullptr
          ? SelectList(snapshot, collection, request, cache, &selection, &out.token, &out.total)
          : SelectList(*snapshot, collection, request, &selection, &out.token, &out.total);
  out.positions = selection.positions;
  return out;
}

// A first page answered again from the query's memo is the page an
// uncached List gives: positions, total_size and next_page_token.
TEST(QueryCacheTest, AKeptFirstPageIsTheUncachedAnswer) {
  auto a = LoadFrom(ACCORD_SOURCE_DIR "/data/catalogue");
  ASSERT_NE(a, nullptr);
  struct Case {
    CollectionId collection;
    std::string parent, filter, order_by;
    int32_t page_size;
  };
  const Case cases[] = {
      {CollectionId::kAgreements, "", "", "", 2},
      {CollectionId::kAgreements, "", "parties:\"countries/my\"", "", 1},
      {CollectionId::kAgreements, "", "parties:\"countries/my\"", "sign_date desc", 3},
      {CollectionId::kAgreements, "", "title = \"no such title\"", "", 10},
      {CollectionId::kCommitments, "agreements/-", "", "", 2},
      {CollectionId::kCommitments, "", "", "", 2},
  };
  QueryCache cache;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.filter + " | " + c.order_by + " | " + c.parent);
    ListRequest request;
    request.parent = c.parent;
    request.filter = c.filter;
    request.order_by = c.order_by;
    request.page_size = c.page_size;
    const Listed uncached = List(a, c.collection, request, nullptr);
    ASSERT_TRUE(uncached.status.ok()) << uncached.status;
    for (int call = 0; call < 2; ++call) {  // the first fills the memo, the second reads it
      const Listed cached = List(a, c.collection, request, &cache);
      ASSERT_TRUE(cached.status.ok()) << cached.status;
      EXPECT_EQ(cached.positions, uncached.positions);
      EXPECT_EQ(cached.total, uncached.total);
      EXPECT_EQ(cached.token, uncached.token);
    }
    const auto compiled = cache.Find(a, c.collection, c.filter, c.order_by);
    ASSERT_NE(compiled, nullptr);
    EXPECT_GE(compiled->first_pages->size(), 1u);
  }
  // "" and "agreements/-" select the same commitments: one compiled query,
  // one kept page (the same range and page size).
  EXPECT_EQ(cache.Find(a, CollectionId::kCommitments, "", "")->first_pages->size(), 1u);
}

// Only first pages are kept: a page_token's page is computed every time,
// and is the uncached answer.
TEST(QueryCacheTest, PagesAfterTheFirstAreNotKept) {
  auto a = LoadFrom(ACCORD_SOURCE_DIR "/data/catalogue");
  ASSERT_NE(a, nullptr);
  QueryCache cache;
  ListRequest request;
  request.page_size = 1;
  const Listed first = List(a, CollectionId::kAgreements, request, &cache);
  ASSERT_TRUE(first.status.ok()) << first.status;
  ASSERT_FALSE(first.token.empty());
  request.page_token = first.token;
  const Listed second = List(a, CollectionId::kAgreements, request, &cache);
  const Listed uncached = List(a, CollectionId::kAgreements, request, nullptr);
  ASSERT_TRUE(second.status.ok()) << second.status;
  EXPECT_EQ(second.positions, uncached.positions);
  EXPECT_EQ(second.total, uncached.total);
  EXPECT_EQ(second.token, uncached.token);
  EXPECT_NE(second.positions, first.positions);
  EXPECT_EQ(cache.Find(a, CollectionId::kAgreements, "", "")->first_pages->size(), 1u);
}

// A reload that changes the answer: the first page kept for the old
// catalogue is never the answer from the new one.
TEST(QueryCacheTest, AKeptFirstPageIsNotServedAfterAReload) {
  auto before = LoadFrom(ACCORD_SOURCE_DIR "/data/catalogue");
  auto after = LoadFrom(RetitledCatalogue());
  ASSERT_NE(before, nullptr);
  ASSERT_NE(after, nullptr);
  QueryCache cache;
  ListRequest request;
  request.page_size = 10;
  request.filter = "title = \"Zyzzyva*\"";  // name order: the count path
  for (int call = 0; call < 2; ++call) {
    const Listed old = List(before, CollectionId::kAgreements, request, &cache);
    ASSERT_TRUE(old.status.ok()) << old.status;
    EXPECT_EQ(old.total, 0);
    EXPECT_TRUE(old.positions.empty());
  }
  const auto kept = cache.Find(before, CollectionId::kAgreements, request.filter, "");
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->first_pages->size(), 1u);
  const Listed now = List(after, CollectionId::kAgreements, request, &cache);
  ASSERT_TRUE(now.status.ok()) << now.status;
  EXPECT_EQ(now.total, 1);
  ASSERT_EQ(now.positions.size(), 1u);
  EXPECT_NE(after->collection(CollectionId::kAgreements).bytes(now.positions[0]).find("Zyzzyva"),
            absl::string_view::npos);
  // And again, now from the new snapshot's own memo.
  const Listed again = List(after, CollectionId::kAgreements, request, &cache);
  EXPECT_EQ(again.total, 1);
  EXPECT_EQ(again.positions, now.positions);
}

// A query that does not compile is not cached, and fails the same way
// every time.
TEST(QueryCacheTest, ErrorsAreNotCached) {
  auto a = LoadFrom(ACCORD_SOURCE_DIR "/data/catalogue");
  ASSERT_NE(a, nullptr);
  QueryCache cache;
  ListRequest request;
  request.filter = "no_such_field = 1";
  for (int i = 0; i < 2; ++i) {
    Selection selection;
    std::string token;
    int32_t total = 0;
    absl::Status s =
        SelectList(a, CollectionId::kAgreements, request, &cache, &selection, &token, &total);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find("no_such_field"), std::string::npos) << s;
  }
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace accord::api
