// A catalogue served from a compiled file, whose indexes are read back
// from the file (ServingCatalog::FromStorage), answers exactly as the same
// catalogue with indexes built from its records (ServingCatalog::Build):
// the same value indexes and sorted columns, and the same pages, totals
// and counts for random filters (indexed, computed from children, nested,
// unindexed), orderings and paging. Corrupt index sections are DataLoss.
#include <xxhash.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bench/catgen/catgen.h"
#include "gtest/gtest.h"
#include "service/catalog/compiled_file.h"
#include "service/catalog/snapshot.h"
#include "service/engine/executor.h"
#include "service/engine/naive_executor.h"
#include "service/query/checker.h"
#include "service/query/order_by.h"
#include "service/serving/serving_catalog.h"
#include "tests/engine/filter_maker.h"

namespace accord::engine {
namespace {

using catalog::CollectionId;

std::shared_ptr<const catalog::Snapshot> GeneratedStorage(size_t agreements) {
  catalog::RawCatalog raw;
  raw.arena = std::make_unique<google::protobuf::Arena>();
  raw.catalog = google::protobuf::Arena::CreateMessage<accord::v1::Catalog>(raw.arena.get());
  catgen::Spec spec{11, agreements};
  catgen::GenerateTaxonomy(spec, raw.catalog);
  catgen::GenerateAgreements(spec, 0, agreements, raw.catalog);
  raw.version = "generated";
  auto built = catalog::Snapshot::Build(std::move(raw), "generated");
  EXPECT_TRUE(built.ok()) << built.status();
  return built.ok() ? *built : nullptr;
}

// The compiled file's bytes in 8-byte aligned memory.
struct Bytes {
  std::vector<uint64_t> words;
  size_t size = 0;
  absl::string_view view() const { return {reinterpret_cast<const char*>(words.data()), size}; }
  char* data() { return reinterpret_cast<char*>(words.data()); }
  // Recomputes every section's checksum and the section table's, as a file
  // deliberately altered would.
  void Reseal() {
    uint32_t sections;
    std::memcpy(&sections, data() + 12, 4);
    for (uint32_t s = 0; s < sections; ++s) {
      char* entry = data() + 64 + s * 64;
      uint64_t at, length;
      std::memcpy(&at, entry + 32, 8);
      std::memcpy(&length, entry + 40, 8);
      if (at > size || length > size - at) continue;  // left for the reader to refuse
      const uint64_t sum = catalog::CompiledChecksum(absl::string_view(data() + at, length));
      std::memcpy(entry + 48, &sum, 8);
    }
    const uint64_t sum = XXH3_64bits(data() + 64, size_t{sections} * 64);
    std::memcpy(data() + 24, &sum, sizeof(sum));
  }
};

class CompiledIndexTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto storage = GeneratedStorage(1500);
    ASSERT_NE(storage, nullptr);
    built_ =
        new std::shared_ptr<const serving::ServingCatalog>(serving::ServingCatalog::Build(storage));
    path_ = new std::string(
        (std::filesystem::path(::testing::TempDir()) / "accord_compiled_index_test.accord")
            .string());
    ASSERT_TRUE(catalog::WriteCompiledCatalog(*storage, *path_,
                                              serving::ServingCatalog::IndexAttachments(**built_))
                    .ok());
    auto opened = catalog::Snapshot::Open(*path_);
    ASSERT_TRUE(opened.ok()) << opened.status();
    auto compiled = serving::ServingCatalog::FromStorage(*opened);
    ASSERT_TRUE(compiled.ok()) << compiled.status();
    compiled_ = new std::shared_ptr<const serving::ServingCatalog>(*compiled);
  }
  static void TearDownTestSuite() { std::filesystem::remove(*path_); }

  static Bytes ReadFile() {
    Bytes b;
    b.size = std::filesystem::file_size(*path_);
    b.words.resize((b.size + 7) / 8);
    FILE* f = std::fopen(path_->c_str(), "rb");
    EXPECT_EQ(std::fread(b.data(), 1, b.size, f), b.size);
    std::fclose(f);
    return b;
  }
  // Where the section named `name` lies: (offset, size) from the table.
  static std::pair<uint64_t, uint64_t> Section(const Bytes& b, absl::string_view name) {
    uint32_t sections;
    std::memcpy(&sections, b.view().data() + 12, 4);
    for (uint32_t s = 0; s < sections; ++s) {
      const char* entry = b.view().data() + 64 + s * 64;
      if (absl::string_view(entry, strnlen(entry, 24)) == name) {
        uint64_t at, size;
        std::memcpy(&at, entry + 32, 8);
        std::memcpy(&size, entry + 40, 8);
        return {at, size};
      }
    }
    ADD_FAILURE() << "no section " << name;
    return {0, 0};
  }
  // Serves `b` as a compiled catalogue.
  static absl::Status Serve(const Bytes& b) {
    auto storage = catalog::Snapshot::FromCompiled(nullptr, b.view(), "altered.accord");
    if (!storage.ok()) return storage.status();
    auto served = serving::ServingCatalog::FromStorage(*storage);
    if (!served.ok()) return served.status();
    // Whatever was accepted answers a query over every index.
    const serving::Collection& c = (*served)->collection(CollectionId::kAgreements);
    auto filter = query::CompileFilter(
        "parties:\"countries/my\" OR kind = TREATY OR sign_date >= \"2000\" OR "
        "commitments.kind = TARIFF",
        c.schema());
    auto order = query::ParseOrderBy("sign_date desc", c.schema());
    if (!filter.ok() || !order.ok()) return absl::InternalError("query");
    ListQuery q;
    q.end = c.size();
    q.filter = &*filter;
    q.order = &*order;
    return ExecuteList(c, q).status();
  }

  static std::shared_ptr<const serving::ServingCatalog>* built_;
  static std::shared_ptr<const serving::ServingCatalog>* compiled_;
  static std::string* path_;
};

std::shared_ptr<const serving::ServingCatalog>* CompiledIndexTest::built_ = nullptr;
std::shared_ptr<const serving::ServingCatalog>* CompiledIndexTest::compiled_ = nullptr;
std::string* CompiledIndexTest::path_ = nullptr;

TEST_F(CompiledIndexTest, ReadsBackTheSameValueIndexesAndColumns) {
  int views = 0;  // columns read in place from the file's bytes, not copied
  for (CollectionId id : catalog::kAllCollections) {
    const serving::Collection& want = (*built_)->collection(id);
    const serving::Collection& got = (*compiled_)->collection(id);
    ASSERT_EQ(got.size(), want.size());
    for (const auto& owned : want.schema().fields()) {
      const query::Field* f = owned.get();
      const query::Field* g = got.schema().Find(f->path);
      ASSERT_NE(g, nullptr) << f->path;
      SCOPED_TRACE(f->path);
      const index::FieldIndex* a = want.index().field(f);
      const index::FieldIndex* b = got.index().field(g);
      ASSERT_EQ(a == nullptr, b == nullptr);
      if (a != nullptr) {
        ASSERT_EQ(a->entries().size(), b->entries().size());
        for (size_t e = 0; e < a->entries().size(); ++e) {
          EXPECT_EQ(a->entries()[e].value.str, b->entries()[e].value.str);
          EXPECT_EQ(a->entries()[e].value.num, b->entries()[e].value.num);
          EXPECT_EQ(a->entries()[e].value.date.first, b->entries()[e].value.date.first);
          EXPECT_EQ(a->entries()[e].value.date.last, b->entries()[e].value.date.last);
          EXPECT_EQ(a->entries()[e].postings, b->entries()[e].postings);
          EXPECT_EQ(a->entries()[e].count, b->entries()[e].count);
        }
      }
      if (!f->repeated) {
        const index::SortColumn& x = want.index().sort(f);
        const index::SortColumn& y = got.index().sort(g);
        EXPECT_EQ(x.sorted(), y.sorted());
        EXPECT_FALSE(x.is_view());
        views += y.is_view();
        ASSERT_EQ(x.key_count(), y.key_count());
        for (uint32_t k = 0; k <= x.key_count(); ++k) EXPECT_EQ(x.group_begin(k), y.group_begin(k));
        for (uint32_t p = 0; p < want.size(); ++p) {
          ASSERT_EQ(x.key(p), y.key(p));
          ASSERT_EQ(x.where(p), y.where(p));
        }
      }
    }
  }
  EXPECT_GT(views, 5);
}

// Totals, a whole ordered result, a page at an offset and a count (limit
// 0) from the compiled catalogue, against the built one's and the naive
// executor's.
void Same(const serving::Collection& want, const serving::Collection& got,
          const std::string& filter_text, const std::string& order_text, size_t begin, size_t end,
          size_t offset, size_t limit) {
  SCOPED_TRACE(absl::StrCat("filter: ", filter_text, "  order_by: ", order_text));
  auto wf = query::CompileFilter(filter_text, want.schema());
  auto gf = query::CompileFilter(filter_text, got.schema());
  auto wo = query::ParseOrderBy(order_text, want.schema());
  auto go = query::ParseOrderBy(order_text, got.schema());
  ASSERT_TRUE(wf.ok() && gf.ok() && wo.ok() && go.ok());
  ListQuery w, g;
  w.begin = g.begin = begin;
  w.end = g.end = end;
  w.filter = &*wf;
  g.filter = &*gf;
  w.order = &*wo;
  g.order = &*go;
  w.limit = g.limit = want.size();
  const ListPage naive = ExecuteListNaive(want, w);
  absl::StatusOr<ListPage> built = ExecuteList(want, w);
  absl::StatusOr<ListPage> compiled = ExecuteList(got, g);
  ASSERT_TRUE(built.ok() && compiled.ok());
  EXPECT_EQ(compiled->positions, naive.positions);
  EXPECT_EQ(compiled->positions, built->positions);
  EXPECT_EQ(compiled->total_size, naive.total_size);
  w.offset = g.offset = offset;
  w.limit = g.limit = limit;
  built = ExecuteList(want, w);
  compiled = ExecuteList(got, g);
  ASSERT_TRUE(built.ok() && compiled.ok());
  EXPECT_EQ(compiled->positions, built->positions);
  EXPECT_EQ(compiled->total_size, built->total_size);
  w.limit = g.limit = 0;
  built = ExecuteList(want, w);
  compiled = ExecuteList(got, g);
  ASSERT_TRUE(built.ok() && compiled.ok());
  EXPECT_EQ(compiled->total_size, naive.total_size);
}

TEST_F(CompiledIndexTest, AgreementsAnswerAsBuiltForRandomFiltersAndOrders) {
  const serving::Collection& want = (*built_)->collection(CollectionId::kAgreements);
  const serving::Collection& got = (*compiled_)->collection(CollectionId::kAgreements);
  FilterMaker maker(2026, want);
  for (int i = 0; i < 250; ++i) {
    const std::string filter = maker.Expr(2);
    const std::string order = maker.OrderBy();
    const size_t offset = maker.Below(40);
    Same(want, got, filter, order, 0, want.size(), offset, 1 + maker.Below(30));
    if (HasFatalFailure()) return;
  }
}

TEST_F(CompiledIndexTest, CommitmentsAnswerAsBuiltWholeAndUnderOneParent) {
  const serving::Collection& want = (*built_)->collection(CollectionId::kCommitments);
  const serving::Collection& got = (*compiled_)->collection(CollectionId::kCommitments);
  const serving::Collection& agreements = (*built_)->collection(CollectionId::kAgreements);
  FilterMaker maker(7, agreements);
  const char* const kFilters[] = {"kind = TARIFF", "committed_by:\"countries/my\"",
                                  "committed_to:*", "NOT kind = INVESTMENT", ""};
  const char* const kOrders[] = {"", "kind desc", "title, kind", "name desc"};
  for (int i = 0; i < 60; ++i) {
    const std::string filter = kFilters[maker.Below(5)];
    const std::string order = kOrders[maker.Below(4)];
    if (maker.Below(2)) {
      Same(want, got, filter, order, 0, want.size(), maker.Below(20), 10);
    } else {
      auto [b, e] =
          want.RangeWithPrefix(absl::StrCat(agreements.name(maker.Below(agreements.size())), "/"));
      Same(want, got, filter, order, b, e, 0, 5);
    }
    if (HasFatalFailure()) return;
  }
}

TEST_F(CompiledIndexTest, TruncatedIndexSectionIsDataLoss) {
  Bytes b = ReadFile();
  ASSERT_TRUE(Serve(b).ok());
  for (const char* name : {"@ix/agreements", "@ix/commitments", "@ix/countries"}) {
    SCOPED_TRACE(name);
    auto [at, size] = Section(b, name);
    ASSERT_GT(size, 16u);
    for (uint64_t cut : {uint64_t{0}, uint64_t{7}, size / 2, size - 1}) {
      Bytes t = b;
      // The table entry's size field: the section now ends early.
      uint32_t sections;
      std::memcpy(&sections, t.data() + 12, 4);
      for (uint32_t s = 0; s < sections; ++s) {
        char* entry = t.data() + 64 + s * 64;
        if (absl::string_view(entry, strnlen(entry, 24)) == name) std::memcpy(entry + 40, &cut, 8);
      }
      t.Reseal();
      const absl::Status status = Serve(t);
      EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << cut << ": " << status;
      EXPECT_NE(status.message().find("index"), std::string::npos) << status;
    }
  }
}

TEST_F(CompiledIndexTest, CorruptIndexBytesAreDataLossOrHarmlessNeverACrash) {
  Bytes b = ReadFile();
  auto [at, size] = Section(b, "@ix/agreements");
  // Without resealing, the checksum catches any change.
  {
    Bytes t = b;
    t.data()[at + size / 2] ^= 0x5a;
    const absl::Status status = Serve(t);
    EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
    EXPECT_NE(status.message().find("checksum"), std::string::npos) << status;
  }
  // The record count the index covers.
  {
    Bytes t = b;
    uint64_t n;
    std::memcpy(&n, t.data() + at, 8);
    ++n;
    std::memcpy(t.data() + at, &n, 8);
    t.Reseal();
    EXPECT_EQ(Serve(t).code(), absl::StatusCode::kDataLoss);
  }
  // Resealed random damage: rejected as DataLoss, or (when it only changed
  // a value or a position into another valid one) served without a crash.
  std::mt19937 rng(8);
  int rejected = 0;
  for (int trial = 0; trial < 300; ++trial) {
    Bytes t = b;
    for (int k = 0; k < 3; ++k) {
      t.data()[at + rng() % size] = static_cast<char>(rng());
    }
    t.Reseal();
    const absl::Status status = Serve(t);
    if (!status.ok()) {
      EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 100);
}

TEST_F(CompiledIndexTest, AFileWithoutIndexesIsServedWithBuiltIndexes) {
  const Bytes bytes = ReadFile();
  auto storage = catalog::Snapshot::FromCompiled(nullptr, bytes.view(), "x");
  ASSERT_TRUE(storage.ok());
  // Written without attachments: FromStorage builds them, as Build does.
  const std::string bare = *path_ + ".bare";
  ASSERT_TRUE(catalog::WriteCompiledCatalog(**storage, bare).ok());
  auto opened = catalog::Snapshot::Open(bare);
  ASSERT_TRUE(opened.ok());
  EXPECT_FALSE((*opened)->attachment("@ix/agreements").has_value());
  auto served = serving::ServingCatalog::FromStorage(*opened);
  ASSERT_TRUE(served.ok());
  const serving::Collection& want = (*built_)->collection(CollectionId::kAgreements);
  Same(want, (*served)->collection(CollectionId::kAgreements), "kind = TREATY", "sign_date desc", 0,
       want.size(), 3, 10);
  std::filesystem::remove(bare);
}

}  // namespace
}  // namespace accord::engine
