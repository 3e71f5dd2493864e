// The loader parses files in parallel; what it returns must be what a
// one-by-one read in name order gives: records in file order, origins, the
// version, and the first broken file's error.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/catalog/loader.h"
#include "tests/catalog/catalog_test_util.h"

namespace accord::catalog {
namespace {

using ::accord::testing::TempCatalogDir;
using ::testing::HasSubstr;

constexpr int kFiles = 24;
constexpr int kPerFile = 40;

// File f holds countries "countries/fFF-rRR" in order, text or binary.
void WriteFiles(const TempCatalogDir& dir) {
  for (int f = 0; f < kFiles; ++f) {
    accord::v1::Catalog c;
    for (int r = 0; r < kPerFile; ++r) {
      c.add_countries()->set_name(absl::StrFormat("countries/f%02d-r%02d", f, r));
    }
    if (f % 3 == 0) {
      dir.Write(absl::StrFormat("part-%02d.binpb", f), c.SerializeAsString());
    } else {
      dir.Write(absl::StrFormat("part-%02d.textproto", f), c.DebugString());
    }
  }
}

TEST(LoaderParallelTest, RecordsOriginsAndVersionFollowFileOrder) {
  TempCatalogDir dir;
  WriteFiles(dir);
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto raw = ReadCatalogDirectory(dir.path());
    ASSERT_TRUE(raw.ok()) << raw.status();
    ASSERT_EQ(raw->catalog->countries_size(), kFiles * kPerFile);
    for (int f = 0; f < kFiles; ++f) {
      for (int r = 0; r < kPerFile; ++r) {
        const int i = f * kPerFile + r;
        EXPECT_EQ(raw->catalog->countries(i).name(),
                  absl::StrFormat("countries/f%02d-r%02d", f, r));
        EXPECT_THAT(raw->origins.FileOf(CollectionId::kCountries, i),
                    HasSubstr(absl::StrFormat("part-%02d.", f)));
      }
      EXPECT_THAT(raw->files[f], HasSubstr(absl::StrFormat("part-%02d.", f)));
    }
    static std::string first_version;
    if (attempt == 0) first_version = raw->version;
    EXPECT_EQ(raw->version, first_version);
  }
}

TEST(LoaderParallelTest, TheFirstBrokenFileInNameOrderIsReported) {
  TempCatalogDir dir;
  WriteFiles(dir);
  // Two broken files: the later one is small and fails fast; the error is
  // still the earlier one's.
  dir.Write("part-05.textproto", "countries { nmae: \"x\" }\n");
  dir.Write("part-22.textproto", "???");
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto raw = ReadCatalogDirectory(dir.path());
    ASSERT_EQ(raw.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(raw.status().message(), HasSubstr("part-05.textproto:1:"));
    EXPECT_THAT(raw.status().message(), HasSubstr("nmae"));
  }
}

}  // namespace
}  // namespace accord::catalog
