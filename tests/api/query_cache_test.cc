// The compiled-query cache: hits for the same query and snapshot only, a
// bounded size, and after a reload List answers from the new catalogue
// with queries compiled against it.
#include "service/api/query_cache.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

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
// "Zyzzyva ", in a fresh directory.
std::string RetitledCatalogue() {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(testing::TempDir()) / "query_cache_retitled";
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
