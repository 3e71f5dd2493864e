// A compiled catalogue carrying its search index ("@search", written by
// `accord_catalog compile`): the load opens it in place (no build, no index
// directory) and Search answers exactly as over the directory; a section
// that belongs to another catalogue fails the load with DataLoss; without
// the section the index is built as from sources.
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/catalog/compiled_file.h"
#include "service/serving/catalog_store.h"
#include "service/serving/serving_catalog.h"

namespace accord::serving {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::string kCatalogue = std::string(ACCORD_SOURCE_DIR) + "/data/catalogue";

// Compiles `records_from` into `out` as `accord_catalog compile` does; the
// "@search" section (unless `with_search` is false) is the index built from
// `search_from` (normally the same directory).
void Compile(const std::string& records_from, const std::string& out, bool with_search = true,
             const std::string& search_from = "") {
  auto snapshot = catalog::Snapshot::Load(records_from);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  std::shared_ptr<const ServingCatalog> served = ServingCatalog::Build(*snapshot);
  std::vector<catalog::Attachment> attachments = ServingCatalog::IndexAttachments(*served);
  if (with_search) {
    auto indexed = search_from.empty() ? ServingCatalog::WithSearchIndex(std::move(served))
                                       : ServingCatalog::Load(search_from);
    ASSERT_TRUE(indexed.ok()) << indexed.status();
    if (!search_from.empty()) indexed = ServingCatalog::WithSearchIndex(*std::move(indexed));
    ASSERT_TRUE(indexed.ok()) << indexed.status();
    auto section = ServingCatalog::SearchAttachment(**indexed);
    ASSERT_TRUE(section.ok()) << section.status();
    attachments.push_back(*std::move(section));
  }
  ASSERT_TRUE(catalog::WriteCompiledCatalog(**snapshot, out, attachments).ok());
}

struct Answer {
  uint64_t total;
  std::vector<std::string> names;
  std::vector<double> scores;
  std::vector<std::string> snippets;
  bool operator==(const Answer& o) const {
    return total == o.total && names == o.names && scores == o.scores && snippets == o.snippets;
  }
};

Answer Ask(const ServingCatalog& catalog, const std::string& query, size_t offset) {
  search::SearchRequest request;
  request.query = query;
  request.offset = offset;
  request.limit = 7;
  absl::StatusOr<search::SearchResult> result = catalog.search_index()->Search(request);
  EXPECT_TRUE(result.ok()) << result.status();
  Answer a{result.ok() ? result->total : 0, {}, {}, {}};
  if (!result.ok()) return a;
  for (const search::Hit& hit : result->hits) {
    a.names.emplace_back(
        catalog.collection(static_cast<CollectionId>(hit.collection)).name(hit.position));
    a.scores.push_back(hit.score);
    a.snippets.push_back(hit.snippet);
  }
  return a;
}

class CompiledSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    work_ = fs::path(::testing::TempDir()) / absl::StrCat("accord_compiled_search_", info->name());
    fs::remove_all(work_);
    fs::create_directories(work_ / "index-dir");
  }
  void TearDown() override { fs::remove_all(work_); }
  // Where a built index would go: must stay empty when the index is opened.
  std::string index_dir() const { return (work_ / "index-dir").string(); }
  bool IndexDirEmpty() const { return fs::is_empty(work_ / "index-dir"); }
  fs::path work_;
};

TEST_F(CompiledSearchTest, OpensTheEmbeddedIndexAndAnswersAsTheDirectory) {
  const std::string file = (work_ / "c.accord").string();
  Compile(kCatalogue, file);
  CatalogStore::Options options;
  options.search.work_dir = index_dir();
  CatalogStore from_file(file, options);
  ASSERT_TRUE(from_file.Reload().ok());
  CatalogStore from_dir(kCatalogue, options);
  ASSERT_TRUE(from_dir.Reload().ok());
  const ServingCatalog& compiled = *from_file.Current();
  const ServingCatalog& sources = *from_dir.Current();
  ASSERT_NE(compiled.search_index(), nullptr);
  EXPECT_TRUE(compiled.search_index()->embedded());
  EXPECT_FALSE(sources.search_index()->embedded());
  EXPECT_EQ(compiled.version(), sources.version());
  size_t answered = 0;
  for (const char* q : {"malaysia", "critical minerals", "\"defense articles and services\"",
                        "semicond*", "trade -tariff", "cooperation OR partnership"}) {
    for (size_t offset : {size_t{0}, size_t{7}}) {
      Answer a = Ask(sources, q, offset), b = Ask(compiled, q, offset);
      EXPECT_TRUE(a == b) << q << " at " << offset;
      answered += a.names.size();
    }
  }
  EXPECT_GT(answered, 20u);
  // Only the directory's store built an index (and removes it with it).
  size_t dirs = 0;
  for (const auto& unused : fs::directory_iterator(index_dir())) ++dirs;
  EXPECT_EQ(dirs, 1u);
}

TEST_F(CompiledSearchTest, NothingIsBuiltOrWrittenForTheEmbeddedIndex) {
  const std::string file = (work_ / "c.accord").string();
  Compile(kCatalogue, file);
  CatalogStore::Options options;
  // A build here would fail (Unavailable): the directory does not exist.
  options.search.work_dir = (work_ / "no-such-dir").string();
  CatalogStore store(file, options);
  ASSERT_TRUE(store.Reload().ok());
  EXPECT_TRUE(store.Current()->search_index()->embedded());
  EXPECT_FALSE(fs::exists(work_ / "no-such-dir"));
  EXPECT_LT(store.Current()->search_index_duration(), absl::Seconds(1));
}

TEST_F(CompiledSearchTest, WithoutTheSectionTheIndexIsBuilt) {
  const std::string file = (work_ / "c.accord").string();
  Compile(kCatalogue, file, /*with_search=*/false);
  CatalogStore::Options options;
  options.search.work_dir = index_dir();
  CatalogStore store(file, options);
  ASSERT_TRUE(store.Reload().ok());
  ASSERT_NE(store.Current()->search_index(), nullptr);
  EXPECT_FALSE(store.Current()->search_index()->embedded());
  EXPECT_FALSE(IndexDirEmpty());
  EXPECT_GT(Ask(*store.Current(), "malaysia", 0).total, 10u);
}

TEST_F(CompiledSearchTest, NoSearchIndexStillMeansNone) {
  const std::string file = (work_ / "c.accord").string();
  Compile(kCatalogue, file);
  CatalogStore::Options options;
  options.search_index = false;
  CatalogStore store(file, options);
  ASSERT_TRUE(store.Reload().ok());
  EXPECT_EQ(store.Current()->search_index(), nullptr);
}

// A "@search" section built from another catalogue (another content
// version) is never served: the load fails with DataLoss naming the file,
// and on a reload the serving catalogue stays.
TEST_F(CompiledSearchTest, AnIndexOfAnotherCatalogueFailsTheLoad) {
  const fs::path other = work_ / "other";
  fs::copy(kCatalogue, other, fs::copy_options::recursive);
  {
    std::ofstream(other / "zz-extra.textproto")
        << "sectors { name: \"sectors/zz-extra\" display_name: \"Extra\" }\n";
  }
  const std::string file = (work_ / "c.accord").string();
  Compile(kCatalogue, file);
  CatalogStore::Options options;
  options.search.work_dir = index_dir();
  CatalogStore store(file, options);
  ASSERT_TRUE(store.Reload().ok());
  const std::string version = store.Current()->version();

  const std::string mixed = (work_ / "mixed.accord").string();
  Compile(kCatalogue, mixed, true, other.string());
  fs::rename(mixed, file);
  absl::Status s = store.Reload();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_THAT(s.message(), HasSubstr(file));
  EXPECT_THAT(s.message(), HasSubstr("search index"));
  EXPECT_EQ(store.Current()->version(), version);
  EXPECT_TRUE(IndexDirEmpty());
  CatalogStore fresh(file, options);
  EXPECT_EQ(fresh.Reload().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(fresh.Current(), nullptr);
}

}  // namespace
}  // namespace accord::serving
