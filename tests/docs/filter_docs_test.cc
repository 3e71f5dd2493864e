// docs/filtering.md must document every field a filter can name.
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/serving/serving_catalog.h"

namespace accord::catalog {
namespace {

TEST(FilterDocsTest, EveryFilterableFieldIsDocumented) {
  std::ifstream in(ACCORD_SOURCE_DIR "/docs/filtering.md");
  ASSERT_TRUE(in.good());
  std::stringstream doc;
  doc << in.rdbuf();
  auto snapshot = serving::ServingCatalog::Load(ACCORD_SOURCE_DIR "/data/catalogue");
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  for (CollectionId id : kAllCollections) {
    std::string heading = absl::StrCat("### ", CollectionName(id), " (");
    size_t section = doc.str().find(heading);
    ASSERT_NE(section, std::string::npos) << heading;
    size_t end = doc.str().find("### ", section + 4);
    std::string body = doc.str().substr(section, end - section);
    for (const auto& field : (*snapshot)->collection(id).schema().fields()) {
      EXPECT_NE(body.find(absl::StrCat("| `", field->path, "` |")), std::string::npos)
          << CollectionName(id) << "." << field->path
          << " is not in docs/filtering.md; regenerate the tables with accord_filter_fields";
    }
  }
}

}  // namespace
}  // namespace accord::catalog
