// The loader and files it cannot read, a size cap, and texts no source
// references.
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/catalog/loader.h"
#include "tests/catalog/catalog_test_util.h"

namespace accord::catalog {
namespace {

namespace fs = std::filesystem;
using ::accord::testing::kValidCatalog;
using ::accord::testing::kValidText;
using ::accord::testing::TempCatalogDir;
using ::testing::HasSubstr;

// A valid two-file catalogue; tests then break b.textproto.
void WriteValid(const TempCatalogDir& dir) {
  dir.Write("a.textproto", kValidCatalog);
  dir.Write("b.textproto", "sectors { name: \"sectors/mining\" display_name: \"Mining\" }\n");
  dir.Write("texts/article.txt", kValidText);
}

void ExpectLoadErrorNaming(const TempCatalogDir& dir, const std::string& file,
                           const std::string& why) {
  auto raw = ReadCatalogDirectory(dir.path());
  ASSERT_FALSE(raw.ok()) << "loaded although " << file << " cannot be read";
  EXPECT_EQ(raw.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(raw.status().message(), HasSubstr((fs::path(dir.path()) / file).string()));
  EXPECT_THAT(raw.status().message(), HasSubstr(why));
}

TEST(LoaderFilesTest, ValidBaseline) {
  TempCatalogDir dir;
  WriteValid(dir);
  auto raw = ReadCatalogDirectory(dir.path());
  ASSERT_TRUE(raw.ok()) << raw.status();
  EXPECT_EQ(raw->catalog->sectors_size(), 2);
}

TEST(LoaderFilesTest, DanglingSymlinkIsAnErrorNamingTheFile) {
  TempCatalogDir dir;
  WriteValid(dir);
  fs::remove(fs::path(dir.path()) / "b.textproto");
  fs::create_symlink("/nonexistent/accord/b.textproto", fs::path(dir.path()) / "b.textproto");
  ExpectLoadErrorNaming(dir, "b.textproto", "No such file");
}

TEST(LoaderFilesTest, SymlinkLoopIsAnErrorNamingTheFile) {
  TempCatalogDir dir;
  WriteValid(dir);
  fs::path b = fs::path(dir.path()) / "b.textproto";
  fs::remove(b);
  fs::create_symlink(b, b);
  ExpectLoadErrorNaming(dir, "b.textproto", "symbolic links");
}

TEST(LoaderFilesTest, FifoIsAnErrorAndDoesNotBlock) {
  TempCatalogDir dir;
  WriteValid(dir);
  fs::path b = fs::path(dir.path()) / "b.textproto";
  fs::remove(b);
  ASSERT_EQ(mkfifo(b.c_str(), 0600), 0);
  absl::Time start = absl::Now();
  ExpectLoadErrorNaming(dir, "b.textproto", "a FIFO");
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

TEST(LoaderFilesTest, DirectoryWhereAFileWasIsAnError) {
  TempCatalogDir dir;
  WriteValid(dir);
  fs::path b = fs::path(dir.path()) / "b.textproto";
  fs::remove(b);
  fs::create_directory(b);
  ExpectLoadErrorNaming(dir, "b.textproto", "a directory");
}

TEST(LoaderFilesTest, UnreadableReferencedTextIsAnError) {
  TempCatalogDir dir;
  WriteValid(dir);
  fs::path text = fs::path(dir.path()) / "texts/article.txt";
  fs::remove(text);
  fs::create_symlink("/nonexistent/accord/article.txt", text);
  ExpectLoadErrorNaming(dir, "texts/article.txt", "No such file");
}

TEST(LoaderFilesTest, SizeCapIsCheckedBeforeReading) {
  TempCatalogDir dir;
  WriteValid(dir);
  // A sparse 1 GiB file: reading it would take seconds and a gigabyte.
  fs::resize_file(fs::path(dir.path()) / "b.textproto", uintmax_t{1} << 30);
  absl::Time start = absl::Now();
  auto raw = ReadCatalogDirectory(dir.path());
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  EXPECT_EQ(raw.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(raw.status().message(), HasSubstr("the limit is 67108864"));

  LoadLimits small;
  small.max_total_bytes = 100;
  TempCatalogDir tiny;
  WriteValid(tiny);
  auto capped = ReadCatalogDirectory(tiny.path(), small);
  EXPECT_EQ(capped.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(capped.status().message(), HasSubstr("--max_catalog_bytes"));
}

TEST(LoaderFilesTest, ReferencedTextsCountTowardsTheCap) {
  TempCatalogDir dir;
  WriteValid(dir);
  LoadLimits limits;
  limits.max_total_bytes =
      static_cast<int64_t>(fs::file_size(fs::path(dir.path()) / "a.textproto") +
                           fs::file_size(fs::path(dir.path()) / "b.textproto") + 10);
  auto raw = ReadCatalogDirectory(dir.path(), limits);
  EXPECT_EQ(raw.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(raw.status().message(), HasSubstr("texts/article.txt"));
}

TEST(LoaderFilesTest, UnreferencedTextsAreNeitherReadNorKept) {
  TempCatalogDir dir;
  WriteValid(dir);
  // 64 MiB that no source references, plus an unreadable one: both ignored.
  fs::path big = fs::path(dir.path()) / "texts/orphan.txt";
  dir.Write("texts/orphan.txt", "x");
  fs::resize_file(big, uintmax_t{64} << 20);
  fs::create_symlink("/nonexistent", fs::path(dir.path()) / "texts/dangling.txt");
  auto raw = ReadCatalogDirectory(dir.path());
  ASSERT_TRUE(raw.ok()) << raw.status();
  EXPECT_EQ(raw->texts.size(), 1u);
  EXPECT_TRUE(raw->texts.contains("article"));
  EXPECT_FALSE(raw->texts.contains("orphan"));
  // And the version does not depend on them.
  TempCatalogDir clean;
  WriteValid(clean);
  EXPECT_EQ(raw->version, ReadCatalogDirectory(clean.path())->version);
}

}  // namespace
}  // namespace accord::catalog
