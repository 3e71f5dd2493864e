#include "service/catalog/loader.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/catalog/catalog_test_util.h"

namespace accord::catalog {
namespace {

using ::accord::testing::TempCatalogDir;
using ::testing::HasSubstr;

TEST(LoaderTest, MissingDirectoryIsNotFound) {
  auto raw = ReadCatalogDirectory("/nonexistent/accord/catalogue");
  EXPECT_EQ(raw.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(raw.status().message(), HasSubstr("/nonexistent/accord/catalogue"));
}

TEST(LoaderTest, DirectoryWithoutCatalogueFilesFails) {
  TempCatalogDir dir;
  dir.Write("README.md", "not a catalogue");
  auto raw = ReadCatalogDirectory(dir.path());
  EXPECT_EQ(raw.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(raw.status().message(), HasSubstr("holds no *.textproto or *.binpb file"));
}

TEST(LoaderTest, TextSyntaxErrorNamesFileLineAndColumn) {
  TempCatalogDir dir;
  dir.Write("a.textproto", "countries { name: \"countries/my\" }\ncountries { nmae: \"x\" }\n");
  auto raw = ReadCatalogDirectory(dir.path());
  ASSERT_EQ(raw.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(raw.status().message(), HasSubstr("a.textproto:2:17:"));
  EXPECT_THAT(raw.status().message(), HasSubstr("nmae"));
}

TEST(LoaderTest, CorruptBinaryFileIsRejected) {
  TempCatalogDir dir;
  dir.Write("big.binpb", std::string("\xff\xff\xff\xff", 4));
  auto raw = ReadCatalogDirectory(dir.path());
  EXPECT_EQ(raw.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(raw.status().message(), HasSubstr("big.binpb: not a valid binary accord.v1.Catalog"));
}

TEST(LoaderTest, MergesFilesInNameOrderAndRemembersOrigins) {
  TempCatalogDir dir;
  dir.Write("b.textproto", "countries { name: \"countries/us\" iso_code: \"US\" }");
  dir.Write("a.textproto",
            "countries { name: \"countries/my\" iso_code: \"MY\" }\n"
            "sectors { name: \"sectors/energy\" }\n"
            "sources { name: \"sources/article\" }");
  accord::v1::Catalog binary;
  binary.add_countries()->set_name("countries/cn");
  dir.Write("c.binpb", binary.SerializeAsString());
  dir.Write("texts/article.txt", "Some text.");
  auto raw = ReadCatalogDirectory(dir.path());
  ASSERT_TRUE(raw.ok()) << raw.status();
  ASSERT_EQ(raw->catalog->countries_size(), 3);
  EXPECT_EQ(raw->catalog->countries(0).name(), "countries/my");
  EXPECT_EQ(raw->catalog->countries(1).name(), "countries/us");
  EXPECT_EQ(raw->catalog->countries(2).name(), "countries/cn");
  EXPECT_THAT(raw->origins.FileOf(CollectionId::kCountries, 0), HasSubstr("a.textproto"));
  EXPECT_THAT(raw->origins.FileOf(CollectionId::kCountries, 1), HasSubstr("b.textproto"));
  EXPECT_THAT(raw->origins.FileOf(CollectionId::kCountries, 2), HasSubstr("c.binpb"));
  EXPECT_THAT(raw->origins.FileOf(CollectionId::kSectors, 0), HasSubstr("a.textproto"));
  EXPECT_EQ(raw->texts.at("article"), "Some text.");
  EXPECT_EQ(raw->files, (std::vector<std::string>{"a.textproto", "b.textproto", "c.binpb"}));
  EXPECT_EQ(raw->version.size(), 16u);
}

TEST(LoaderTest, VersionChangesWithAnyByte) {
  TempCatalogDir dir;
  // Texts count only for sources the catalogue has.
  dir.Write("a.textproto", "countries { name: \"countries/my\" } sources { name: \"sources/s\" }");
  auto first = ReadCatalogDirectory(dir.path());
  auto again = ReadCatalogDirectory(dir.path());
  dir.Write("texts/s.txt", "x");
  auto with_text = ReadCatalogDirectory(dir.path());
  ASSERT_TRUE(first.ok() && again.ok() && with_text.ok());
  EXPECT_EQ(first->version, again->version);
  EXPECT_NE(first->version, with_text->version);
}

}  // namespace
}  // namespace accord::catalog
