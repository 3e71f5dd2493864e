#include "service/catalog/snapshot.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/catalog/catalog_test_util.h"

namespace accord::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::shared_ptr<const Snapshot> LoadBundled() {
  auto snapshot = Snapshot::Load(ACCORD_SOURCE_DIR "/data/catalogue");
  EXPECT_TRUE(snapshot.ok()) << snapshot.status();
  return snapshot.ok() ? *snapshot : nullptr;
}

// The record called `name` parsed into `arena`, or nullptr.
const google::protobuf::Message* Find(const Collection& c, absl::string_view name,
                                      google::protobuf::Arena* arena) {
  const int64_t i = c.IndexOf(name);
  return i < 0 ? nullptr : c.Parse(static_cast<size_t>(i), arena);
}

TEST(SnapshotTest, BundledCatalogueLoadsWithDerivedFields) {
  google::protobuf::Arena arena;
  auto snapshot = LoadBundled();
  ASSERT_NE(snapshot, nullptr);
  const auto& agreements = snapshot->collection(CollectionId::kAgreements);
  const auto* art = static_cast<const accord::v1::Agreement*>(
      Find(agreements, "agreements/my-us-reciprocal-trade-2025", &arena));
  ASSERT_NE(art, nullptr);
  EXPECT_EQ(art->short_title(), "ART");
  EXPECT_EQ(art->state(), accord::v1::Agreement::SIGNED);
  EXPECT_EQ(art->sign_date().year(), 2025);
  EXPECT_EQ(art->sign_date().month(), 10);
  EXPECT_EQ(art->sign_date().day(), 26);
  EXPECT_EQ(art->sign_date().precision(), accord::v1::Date::DAY);
  EXPECT_TRUE(art->has_legally_binding() && art->legally_binding());

  const auto* partnership = static_cast<const accord::v1::Partnership*>(
      Find(snapshot->collection(CollectionId::kPartnerships), "partnerships/my-us", &arena));
  ASSERT_NE(partnership, nullptr);
  EXPECT_EQ(partnership->current_level(),
            accord::v1::Partnership::COMPREHENSIVE_STRATEGIC_PARTNERSHIP);

  const auto& commitments = snapshot->collection(CollectionId::kCommitments);
  auto [begin, end] = commitments.RangeWithPrefix("agreements/my-us-reciprocal-trade-2025/");
  EXPECT_GT(end, begin);
  for (size_t i = begin; i < end; ++i) {
    EXPECT_EQ(static_cast<const accord::v1::Commitment&>(*commitments.Parse(i, &arena)).agreement(),
              "agreements/my-us-reciprocal-trade-2025");
  }
  const auto* article = static_cast<const accord::v1::Source*>(
      Find(snapshot->collection(CollectionId::kSources),
           "sources/article-us-malaysia-relations-2025", &arena));
  ASSERT_NE(article, nullptr);
  EXPECT_THAT(article->text(), HasSubstr("Agreement on Reciprocal Trade (ART)"));
}

TEST(SnapshotTest, RecordsAreInNameOrderAndIndexed) {
  auto snapshot = LoadBundled();
  ASSERT_NE(snapshot, nullptr);
  for (CollectionId id : kAllCollections) {
    const Collection& c = snapshot->collection(id);
    for (size_t i = 1; i < c.size(); ++i) EXPECT_LT(c.name(i - 1), c.name(i));
    for (size_t i = 0; i < c.size(); ++i) EXPECT_EQ(c.IndexOf(c.name(i)), static_cast<int64_t>(i));
  }
  EXPECT_EQ(snapshot->collection(CollectionId::kCountries).IndexOf("countries/zz"), -1);
}

TEST(SnapshotTest, DerivesAncestorsAndPrecision) {
  testing::TempCatalogDir dir;
  dir.Write("c.textproto", testing::kValidCatalog);
  dir.Write("texts/article.txt", testing::kValidText);
  auto snapshot = Snapshot::Load(dir.path());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  google::protobuf::Arena arena;
  const auto* area = static_cast<const accord::v1::CooperationArea*>(
      Find((*snapshot)->collection(CollectionId::kCooperationAreas),
           "cooperationAreas/maritime-security", &arena));
  ASSERT_NE(area, nullptr);
  EXPECT_THAT(area->ancestors(), ElementsAre("cooperationAreas/security"));
  const auto* pact = static_cast<const accord::v1::Agreement*>(
      Find((*snapshot)->collection(CollectionId::kAgreements), "agreements/pact", &arena));
  ASSERT_NE(pact, nullptr);
  EXPECT_EQ(pact->sign_date().precision(), accord::v1::Date::MONTH);
  EXPECT_EQ(pact->sign_date().day(), 0);
  EXPECT_EQ(pact->state(), accord::v1::Agreement::SIGNED);
  EXPECT_FALSE(pact->has_entry_into_force_date());
}

TEST(SnapshotTest, InvalidCatalogueFailsToLoad) {
  testing::TempCatalogDir dir;
  dir.Write("c.textproto", "agreements { name: \"agreements/x\" }");
  auto snapshot = Snapshot::Load(dir.path());
  EXPECT_EQ(snapshot.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(snapshot.status().message(), HasSubstr("c.textproto: agreements/x: title"));
}

// Build's use_parsed sees every collection's parsed records in position
// order, each the message whose serialization is stored, once, before the
// parse is freed; the snapshot is the same as without it.
TEST(SnapshotTest, BuildHandsTheParsedRecordsInPositionOrder) {
  auto raw = ReadCatalogDirectory(ACCORD_SOURCE_DIR "/data/catalogue");
  ASSERT_TRUE(raw.ok()) << raw.status();
  int calls = 0;
  size_t checked = 0;
  const Snapshot* seen = nullptr;
  auto built = Snapshot::Build(
      *std::move(raw), "dir", [&](const Snapshot& s, const Snapshot::ParsedCollections& parsed) {
        ++calls;
        seen = &s;
        for (CollectionId id : kAllCollections) {
          const Collection& c = s.collection(id);
          const auto& records = parsed[static_cast<int>(id)];
          ASSERT_EQ(records.size(), c.size());
          for (size_t p = 0; p < c.size(); ++p) {
            ASSERT_EQ(records[p]->SerializeAsString(), c.bytes(p)) << c.name(p);
            ++checked;
          }
        }
      });
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(seen, built->get());
  EXPECT_GT(checked, 10u);
  auto plain = LoadBundled();
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ((*built)->version(), plain->version());
  for (CollectionId id : kAllCollections) {
    ASSERT_EQ((*built)->collection(id).size(), plain->collection(id).size());
    for (size_t p = 0; p < plain->collection(id).size(); ++p) {
      EXPECT_EQ((*built)->collection(id).bytes(p), plain->collection(id).bytes(p));
    }
  }
}

TEST(SnapshotTest, BuildDoesNotHandOverAnInvalidCatalogue) {
  auto raw = ReadCatalogDirectory(ACCORD_SOURCE_DIR "/data/catalogue");
  ASSERT_TRUE(raw.ok()) << raw.status();
  *raw->catalog->add_countries() = raw->catalog->countries(0);
  bool called = false;
  auto built =
      Snapshot::Build(*std::move(raw), "dir",
                      [&](const Snapshot&, const Snapshot::ParsedCollections&) { called = true; });
  ASSERT_FALSE(built.ok());
  EXPECT_THAT(built.status().message(), HasSubstr("more than one record"));
  EXPECT_FALSE(called);
}

// SortByName orders as a plain sort of the names: names sharing long
// prefixes, differing only after the first 8 bytes past them, shorter than
// that, prefixes of each other, and bytes above 0x7f.
// Large enough to be sorted in parts on several cores and merged.
TEST(SnapshotTest, SortByNameOfALargeCollectionOrdersAsAPlainSort) {
  std::vector<std::string> names;
  for (int64_t i = 0; i < 300000; ++i) {
    names.push_back(
        absl::StrCat("agreements/us-my-tr-", (i * 7919) % 100003, "/commitments/c", i % 7));
  }
  std::vector<NameRow> rows;
  std::vector<absl::string_view> want;
  for (const std::string& n : names) {
    rows.push_back({0, n, nullptr});
    want.push_back(n);
  }
  SortByName(&rows);
  std::sort(want.begin(), want.end());
  ASSERT_EQ(rows.size(), want.size());
  for (size_t i = 0; i < rows.size(); ++i) ASSERT_EQ(rows[i].name, want[i]) << i;
}

TEST(SnapshotTest, SortByNameOrdersAsAPlainSort) {
  std::vector<std::string> names = {"agreements/abcdefgh-2", "agreements/abcdefgh-10",
                                    "agreements/abcdefgh",   "agreements/a",
                                    "agreements/",           "agreements/abcdefgh-1",
                                    "agreements/zz",         "agreements/\xc3\xa9t\xc3\xa9",
                                    "agreements/abcdefgi",   "agreements/abcdefg",
                                    "agreements/b-1",        "agreements/abcdefgh-1x"};
  // NUL bytes, which a short name's zero-padded keys cannot tell apart.
  names.push_back(std::string("agreements/abcdefgh\0", 20));
  names.push_back(std::string("agreements/abcdefgh\0\0", 21));
  names.push_back(std::string("agreements/abcdefghijklmnop\0q", 29));
  names.push_back(std::string("agreements/abcdefghijklmnop", 27));
  for (int i = 0; i < 200; ++i) {
    names.push_back(absl::StrCat("agreements/xy-", (i * 7919) % 1000, "-", i % 3));
    // Names equal in their first 16 bytes past the prefix (two keys).
    names.push_back(absl::StrCat("agreements/us-my-tr-", (i * 31) % 7, "/commitments/c", i % 11));
  }
  std::vector<NameRow> rows;
  std::vector<std::pair<absl::string_view, const google::protobuf::Message*>> want;
  for (const std::string& n : names) {
    rows.push_back({0, n, nullptr});
    want.emplace_back(n, nullptr);
  }
  SortByName(&rows);
  std::sort(want.begin(), want.end());
  ASSERT_EQ(rows.size(), want.size());
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].name, want[i].first) << i;
  // Already sorted (names and, for equal names, records): kept as is.
  std::vector<NameRow> sorted_rows = rows;
  SortByName(&sorted_rows);
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(sorted_rows[i].name, want[i].first) << i;
  std::vector<NameRow> one = {{0, "countries/x", nullptr}};
  SortByName(&one);
  EXPECT_EQ(one[0].name, "countries/x");
  std::vector<NameRow> none;
  SortByName(&none);
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace accord::catalog
