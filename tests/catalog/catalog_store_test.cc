#include "service/catalog/catalog_store.h"

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/catalog/catalog_test_util.h"

namespace accord::catalog {
namespace {

namespace fs = std::filesystem;
using ::accord::testing::kValidCatalog;
using ::accord::testing::kValidText;
using ::accord::testing::TempCatalogDir;
using ::testing::HasSubstr;

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

}  // namespace
}  // namespace accord::catalog
