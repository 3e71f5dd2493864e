#include "tools/accord_catalog/catalog_diff.h"

#include "accord/v1/catalog.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace accord::tools {
namespace {

using ::testing::HasSubstr;

catalog::RawCatalog Raw(const std::string& text) {
  catalog::RawCatalog raw;
  raw.arena = std::make_unique<google::protobuf::Arena>();
  raw.catalog = google::protobuf::Arena::CreateMessage<accord::v1::Catalog>(raw.arena.get());
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, raw.catalog));
  return raw;
}

constexpr char kBefore[] = R"text(
  countries { name: "countries/my" iso_code: "MY" }
  agreements {
    name: "agreements/acsa"
    title: "ACSA"
    sectors: "sectors/a"
    sectors: "sectors/c"
    events { type: RENEWED date { year: 2025 month: 10 day: 30 } }
  }
  agreements { name: "agreements/gone" title: "Gone" }
  sources { name: "sources/s" title: "S" }
)text";

constexpr char kAfter[] = R"text(
  countries { name: "countries/my" iso_code: "MY" }
  agreements {
    name: "agreements/acsa"
    title: "ACSA"
    sectors: "sectors/a"
    sectors: "sectors/b"
    sectors: "sectors/c"
    events { type: RENEWED date { year: 2025 month: 10 } }
  }
  agreements { name: "agreements/new" title: "New" }
  sources { name: "sources/s" title: "S" }
)text";

TEST(DiffCatalogsTest, ResourcesAddedRemovedAndChangedFieldByField) {
  catalog::RawCatalog before = Raw(kBefore);
  catalog::RawCatalog after = Raw(kAfter);
  std::vector<ResourceChange> changes = DiffCatalogs(before, after);
  ASSERT_EQ(changes.size(), 3u);
  // Name order within the collection.
  EXPECT_EQ(changes[0].name, "agreements/acsa");
  EXPECT_EQ(changes[0].kind, ResourceChange::Kind::kChanged);
  EXPECT_EQ(changes[1].name, "agreements/gone");
  EXPECT_EQ(changes[1].kind, ResourceChange::Kind::kRemoved);
  EXPECT_EQ(changes[2].name, "agreements/new");
  EXPECT_EQ(changes[2].kind, ResourceChange::Kind::kAdded);
  EXPECT_EQ(changes[2].collection, "agreements");

  // In field-number order: the dropped day is one removal, one inserted
  // sector one addition.
  const auto& fields = changes[0].fields;
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].kind, FieldChange::Kind::kRemoved);
  EXPECT_EQ(fields[0].path, "events[0].date.day");
  EXPECT_EQ(fields[0].old_value, "30");
  EXPECT_EQ(fields[1].kind, FieldChange::Kind::kAdded);
  EXPECT_EQ(fields[1].path, "sectors[1]");
  EXPECT_EQ(fields[1].new_value, "\"sectors/b\"");

  EXPECT_EQ(FormatDiffText(changes),
            "~ agreements/acsa\n"
            "    - events[0].date.day: 30\n"
            "    + sectors[1]: \"sectors/b\"\n"
            "- agreements/gone\n"
            "+ agreements/new\n");
}

TEST(DiffCatalogsTest, AModifiedValueShowsOldAndNew) {
  std::vector<ResourceChange> changes =
      DiffCatalogs(Raw("sources { name: \"sources/s\" title: \"Old\" }"),
                   Raw("sources { name: \"sources/s\" title: \"New\" }"));
  ASSERT_EQ(changes.size(), 1u);
  ASSERT_EQ(changes[0].fields.size(), 1u);
  EXPECT_EQ(FormatDiffText(changes), "~ sources/s\n    ~ title: \"Old\" -> \"New\"\n");
}

TEST(DiffCatalogsTest, ASourceTextChangeIsATextFieldChange) {
  catalog::RawCatalog before = Raw("sources { name: \"sources/s\" }");
  catalog::RawCatalog after = Raw("sources { name: \"sources/s\" }");
  before.texts["s"] = "old words";
  after.texts["s"] = "new words";
  std::vector<ResourceChange> changes = DiffCatalogs(before, after);
  ASSERT_EQ(changes.size(), 1u);
  ASSERT_EQ(changes[0].fields.size(), 1u);
  EXPECT_EQ(changes[0].fields[0].path, "text");
}

TEST(DiffCatalogsTest, IdenticalCataloguesHaveNoChanges) {
  EXPECT_TRUE(DiffCatalogs(Raw(kBefore), Raw(kBefore)).empty());
  EXPECT_EQ(FormatDiffText({}), "");
  EXPECT_EQ(FormatDiffJson({}), "{\n  \"added\": [],\n  \"removed\": [],\n  \"changed\": []\n}");
}

TEST(DiffCatalogsTest, JsonReportIsValidJsonWithEveryChange) {
  std::string json = FormatDiffJson(DiffCatalogs(Raw(kBefore), Raw(kAfter)));
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok()) << json;
  const auto& f = parsed.fields();
  ASSERT_EQ(f.at("added").list_value().values_size(), 1);
  EXPECT_EQ(f.at("added").list_value().values(0).struct_value().fields().at("name").string_value(),
            "agreements/new");
  ASSERT_EQ(f.at("removed").list_value().values_size(), 1);
  ASSERT_EQ(f.at("changed").list_value().values_size(), 1);
  const auto& changed = f.at("changed").list_value().values(0).struct_value().fields();
  const auto& fields = changed.at("fields").list_value();
  ASSERT_EQ(fields.values_size(), 2);
  const auto& day = fields.values(0).struct_value().fields();
  EXPECT_EQ(day.at("change").string_value(), "removed");
  EXPECT_EQ(day.at("path").string_value(), "events[0].date.day");
  EXPECT_EQ(day.at("old").string_value(), "30");
  EXPECT_EQ(day.count("new"), 0u);
}

}  // namespace
}  // namespace accord::tools
