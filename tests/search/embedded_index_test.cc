// SearchIndex::Export / OpenEmbedded: an index written into another file
// (the compiled catalogue's "@search" section) and opened in place answers
// exactly as the index that was built, and anything that is not that
// index's bytes, for that catalogue, is refused with DataLoss.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/catalog/snapshot.h"
#include "service/search/search_index.h"

namespace accord::search {
namespace {

using catalog::CollectionId;
using ::testing::HasSubstr;

std::vector<CollectionRecords> Collections(const catalog::Snapshot& snapshot) {
  std::vector<CollectionRecords> collections;
  for (CollectionId id : catalog::kAllCollections) {
    collections.push_back(
        CollectionRecords{std::string(catalog::CollectionName(id)), &snapshot.collection(id)});
  }
  return collections;
}

// A file holding `prefix` bytes of junk, then `section`, then more junk, as
// the section would sit inside a compiled catalogue.
struct EmbeddedFile {
  std::string path;
  int fd = -1;
  uint64_t offset = 0;
};
EmbeddedFile WriteEmbedded(const std::string& section, size_t prefix, const std::string& name) {
  EmbeddedFile f;
  f.path = (std::filesystem::path(::testing::TempDir()) / name).string();
  std::ofstream out(f.path, std::ios::binary | std::ios::trunc);
  out << std::string(prefix, 'x') << section << std::string(4099, 'y');
  out.close();
  f.offset = prefix;
  f.fd = open(f.path.c_str(), O_RDONLY | O_CLOEXEC);
  return f;
}

class EmbeddedIndexTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto snapshot = catalog::Snapshot::Load(std::string(ACCORD_SOURCE_DIR) + "/data/catalogue");
    ASSERT_TRUE(snapshot.ok()) << snapshot.status();
    snapshot_ = new std::shared_ptr<const catalog::Snapshot>(*snapshot);
    auto built = SearchIndex::Build(Collections(**snapshot_));
    ASSERT_TRUE(built.ok()) << built.status();
    built_ = built->release();
    auto exported = built_->Export((*snapshot_)->version());
    ASSERT_TRUE(exported.ok()) << exported.status();
    section_ = new std::string(*std::move(exported));
  }
  static void TearDownTestSuite() {
    delete built_;
    delete section_;
    delete snapshot_;
  }

  static absl::StatusOr<std::unique_ptr<SearchIndex>> Open(const std::string& section,
                                                           const std::string& identity,
                                                           const std::string& file) {
    EmbeddedFile f = WriteEmbedded(section, 24, file);
    EXPECT_GE(f.fd, 0);
    auto opened =
        SearchIndex::OpenEmbedded(Collections(**snapshot_), identity, f.fd, f.offset, section);
    close(f.fd);
    std::remove(f.path.c_str());  // the index keeps its own descriptor
    return opened;
  }

  static std::shared_ptr<const catalog::Snapshot>* snapshot_;
  static SearchIndex* built_;
  static std::string* section_;
};
std::shared_ptr<const catalog::Snapshot>* EmbeddedIndexTest::snapshot_ = nullptr;
SearchIndex* EmbeddedIndexTest::built_ = nullptr;
std::string* EmbeddedIndexTest::section_ = nullptr;

// Same totals, hits (collection, position), scores and snippets.
void ExpectSameAnswers(const SearchIndex& a, const SearchIndex& b,
                       const std::vector<SearchRequest>& requests) {
  for (const SearchRequest& r : requests) {
    absl::StatusOr<SearchResult> x = a.Search(r), y = b.Search(r);
    ASSERT_EQ(x.status(), y.status()) << r.query;
    if (!x.ok()) continue;
    EXPECT_EQ(x->total, y->total) << r.query;
    ASSERT_EQ(x->hits.size(), y->hits.size()) << r.query;
    for (size_t i = 0; i < x->hits.size(); ++i) {
      EXPECT_EQ(x->hits[i].collection, y->hits[i].collection) << r.query << " #" << i;
      EXPECT_EQ(x->hits[i].position, y->hits[i].position) << r.query << " #" << i;
      EXPECT_EQ(x->hits[i].score, y->hits[i].score) << r.query << " #" << i;
      EXPECT_EQ(x->hits[i].snippet, y->hits[i].snippet) << r.query << " #" << i;
    }
  }
}

TEST_F(EmbeddedIndexTest, AnswersExactlyAsTheBuiltIndex) {
  auto opened = Open(*section_, (*snapshot_)->version(), "embedded_same.bin");
  ASSERT_TRUE(opened.ok()) << opened.status();
  const SearchIndex& embedded = **opened;
  EXPECT_TRUE(embedded.embedded());
  EXPECT_FALSE(built_->embedded());
  EXPECT_EQ(embedded.document_count(), built_->document_count());
  const auto& agreements = (*snapshot_)->collection(CollectionId::kAgreements);
  Roaring some;
  for (uint32_t i = 0; i < agreements.size(); i += 2) some.add(i);
  std::vector<SearchRequest> requests;
  for (const char* q : {"malaysia", "critical minerals", "\"defense articles and services\"",
                        "trade OR tariff", "minerals -critical", "semicond*", "cooperation",
                        "agreement", "united states", "AND AND (", "zzzz-nothing"}) {
    for (size_t offset : {size_t{0}, size_t{3}, size_t{10}}) {
      SearchRequest r;
      r.query = q;
      r.offset = offset;
      r.limit = 5;
      requests.push_back(r);
    }
    SearchRequest all;
    all.query = q;
    all.limit = 1000;
    requests.push_back(all);
    SearchRequest filtered = all;
    filtered.collections = {static_cast<int>(CollectionId::kAgreements)};
    filtered.allowed.assign(catalog::kCollectionCount, nullptr);
    filtered.allowed[static_cast<int>(CollectionId::kAgreements)] = &some;
    requests.push_back(filtered);
  }
  ExpectSameAnswers(*built_, embedded, requests);
  // The requests were not all empty.
  absl::StatusOr<SearchResult> malaysia = embedded.Search(requests[3]);
  ASSERT_TRUE(malaysia.ok());
  EXPECT_GT(malaysia->hits.size(), 10u);
  EXPECT_THAT(malaysia->hits[0].snippet, HasSubstr("<mark>"));
}

TEST_F(EmbeddedIndexTest, AnExportedIndexCannotBeExportedAgain) {
  auto opened = Open(*section_, (*snapshot_)->version(), "embedded_again.bin");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ((*opened)->Export("x").status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(EmbeddedIndexTest, AnIndexOfAnotherCatalogueVersionIsRefused) {
  auto opened = Open(*section_, "0123456789abcdef", "embedded_stale.bin");
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(opened.status().message(), HasSubstr((*snapshot_)->version()));
}

TEST_F(EmbeddedIndexTest, AnIndexOfOtherRecordsIsRefused) {
  // The same version string, but a catalogue with other record counts.
  accord::v1::Sector sector;
  catalog::RawCatalog raw;
  raw.arena = std::make_unique<google::protobuf::Arena>();
  raw.catalog = google::protobuf::Arena::CreateMessage<accord::v1::Catalog>(raw.arena.get());
  raw.catalog->add_sectors()->set_name("sectors/only");
  raw.version = (*snapshot_)->version();
  auto other = catalog::Snapshot::Build(std::move(raw), "other");
  ASSERT_TRUE(other.ok()) << other.status();
  EmbeddedFile f = WriteEmbedded(*section_, 8, "embedded_other.bin");
  auto opened = SearchIndex::OpenEmbedded(Collections(**other), (*other)->version(), f.fd, f.offset,
                                          *section_);
  close(f.fd);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(opened.status().message(), HasSubstr("records indexed"));
}

TEST_F(EmbeddedIndexTest, DamagedBytesAreRefused) {
  const std::string version = (*snapshot_)->version();
  std::string magic = *section_;
  magic[0] ^= 1;
  EXPECT_EQ(Open(magic, version, "embedded_magic.bin").status().code(),
            absl::StatusCode::kDataLoss);
  std::string truncated = section_->substr(0, section_->size() - 8192);
  EXPECT_EQ(Open(truncated, version, "embedded_truncated.bin").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(Open(section_->substr(0, 20), version, "embedded_short.bin").status().code(),
            absl::StatusCode::kDataLoss);
  // The Xapian database itself zeroed, the section's header left intact
  // (it is 48 + 8 bytes per collection long).
  std::string database = *section_;
  for (size_t i = 48 + 8 * catalog::kCollectionCount + 8; i < database.size(); ++i) {
    database[i] = '\0';
  }
  EXPECT_EQ(Open(database, version, "embedded_zeroed.bin").status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace accord::search
