#include "service/serving/catalog_store.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/catalog/catalog_test_util.h"

namespace accord::serving {
namespace {

namespace fs = std::filesystem;
using ::accord::testing::kValidCatalog;
using ::accord::testing::kValidText;
using ::accord::testing::TempCatalogDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(CatalogStoreTest, ReloadThatEmptiesACollectionIsRefusedWithoutTheFlag) {
  TempCatalogDir dir;
  dir.Write("a.textproto", kValidCatalog);
  dir.Write("b.textproto", "sectors { name: \"sectors/mining\" display_name: \"Mining\" }\n");
  dir.Write("texts/article.txt", kValidText);
  CatalogStore store(dir.path());
  ASSERT_TRUE(store.Reload().ok());
  // The file holding every sector but one is emptied: still fine.
  dir.Write("b.textproto", "");
  EXPECT_TRUE(store.Reload().ok());
  EXPECT_EQ(store.Current()->collection(CollectionId::kSectors).size(), 1u);
  // Now a file empties the commitments: refused, the old catalogue serves.
  std::string without_commitments(kValidCatalog);
  without_commitments.erase(without_commitments.find("  commitments {"));
  dir.Write("a.textproto", without_commitments);
  absl::Status s = store.Reload();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("has no commitments, where the serving one has 1"));
  EXPECT_THAT(s.message(), HasSubstr("--allow_empty_collections"));
  EXPECT_EQ(store.Current()->collection(CollectionId::kCommitments).size(), 1u);
  EXPECT_THAT(store.Status().last_error(), HasSubstr("no commitments"));

  CatalogStore::Options allow;
  allow.allow_empty_collections = true;
  CatalogStore permissive(dir.path(), allow);
  ASSERT_TRUE(permissive.Reload().ok());
  EXPECT_EQ(permissive.Current()->collection(CollectionId::kCommitments).size(), 0u);
}

TEST(CatalogStoreTest, AllEmptyCatalogueNeedsTheFlag) {
  TempCatalogDir dir;
  dir.Write("a.textproto", "");
  dir.Write("b.textproto", "# nothing\n");
  CatalogStore store(dir.path());
  absl::Status s = store.Reload();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("holds no record at all"));
  EXPECT_EQ(store.Current(), nullptr);

  CatalogStore::Options allow;
  allow.allow_empty_collections = true;
  CatalogStore permissive(dir.path(), allow);
  EXPECT_TRUE(permissive.Reload().ok());
}

TEST(CatalogStoreTest, ReloadWithADanglingFileFailsAndKeepsServing) {
  TempCatalogDir dir;
  dir.Write("a.textproto", kValidCatalog);
  dir.Write("texts/article.txt", kValidText);
  CatalogStore store(dir.path());
  ASSERT_TRUE(store.Reload().ok());
  std::string version = store.Current()->version();
  fs::path a = fs::path(dir.path()) / "a.textproto";
  fs::remove(a);
  fs::create_symlink("/nonexistent/accord/a.textproto", a);
  dir.Write("z.textproto", kValidCatalog);  // a valid catalogue is still there
  absl::Status s = store.Reload();
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr(a.string()));
  EXPECT_EQ(store.Current()->version(), version);
  EXPECT_EQ(store.Status().failed_reload_count(), 1);
  EXPECT_THAT(store.Status().last_error(), HasSubstr("a.textproto"));
}

// Names of the records that a search for `query` finds in `catalog`.
std::vector<std::string> Found(const ServingCatalog& catalog, const std::string& query) {
  search::SearchRequest request;
  request.query = query;
  absl::StatusOr<search::SearchResult> result = catalog.search_index()->Search(request);
  EXPECT_TRUE(result.ok()) << result.status();
  std::vector<std::string> names;
  if (!result.ok()) return names;
  for (const search::Hit& hit : result->hits) {
    names.emplace_back(
        catalog.collection(static_cast<CollectionId>(hit.collection)).name(hit.position));
  }
  return names;
}

// The search index is part of the catalogue: built by the load, before it
// serves, and swapped with it; a catalogue held by a request keeps its own.
TEST(CatalogStoreTest, TheSearchIndexIsBuiltWithTheCatalogueAndSwappedWithIt) {
  TempCatalogDir dir;
  dir.Write("texts/article.txt", kValidText);
  dir.Write("a.textproto", kValidCatalog);
  auto sector = [](absl::string_view display_name) {
    return absl::StrCat("sectors { name: \"sectors/mining\" display_name: \"", display_name,
                        "\" }\n");
  };
  dir.Write("b.textproto", sector("Mining"));
  CatalogStore store(dir.path());
  ASSERT_TRUE(store.Reload().ok());
  std::shared_ptr<const ServingCatalog> before = store.Current();
  ASSERT_NE(before->search_index(), nullptr);
  size_t records = 0;
  for (CollectionId id : registry::kAllCollections) records += before->collection(id).size();
  EXPECT_EQ(before->search_index()->document_count(), records);
  EXPECT_THAT(Found(*before, "mining"), ElementsAre("sectors/mining"));
  EXPECT_THAT(Found(*before, "quarrying"), IsEmpty());

  dir.Write("b.textproto", "sectors { name: \"sectors/mining\" display_name: \"Quarrying\" }\n");
  ASSERT_TRUE(store.Reload().ok());
  std::shared_ptr<const ServingCatalog> after = store.Current();
  EXPECT_THAT(Found(*after, "quarrying"), ElementsAre("sectors/mining"));
  EXPECT_THAT(Found(*after, "mining"), IsEmpty());
  // The catalogue a request took before the reload answers as it did.
  EXPECT_THAT(Found(*before, "mining"), ElementsAre("sectors/mining"));
  EXPECT_THAT(Found(*before, "quarrying"), IsEmpty());
}

TEST(CatalogStoreTest, WithoutTheSearchIndexNoneIsBuilt) {
  TempCatalogDir dir;
  dir.Write("a.textproto", kValidCatalog);
  dir.Write("texts/article.txt", kValidText);
  CatalogStore::Options options;
  options.search_index = false;
  CatalogStore store(dir.path(), options);
  ASSERT_TRUE(store.Reload().ok());
  EXPECT_EQ(store.Current()->search_index(), nullptr);
  EXPECT_EQ(store.Current()->search_index_duration(), absl::ZeroDuration());
}

// An index that cannot be built fails the load like a bad file: the
// serving catalogue (with its index) stays.
TEST(CatalogStoreTest, ASearchIndexThatCannotBeBuiltFailsTheLoad) {
  TempCatalogDir dir;
  dir.Write("a.textproto", kValidCatalog);
  dir.Write("texts/article.txt", kValidText);
  CatalogStore::Options options;
  options.search.work_dir = (fs::path(dir.path()) / "no-such-dir").string();
  CatalogStore store(dir.path(), options);
  absl::Status s = store.Reload();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr("no-such-dir"));
  EXPECT_EQ(store.Current(), nullptr);
  EXPECT_THAT(store.Status().last_error(), HasSubstr("no-such-dir"));
}

}  // namespace
}  // namespace accord::serving
