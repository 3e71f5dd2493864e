#include "service/watch/change_log.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/serving/catalog_store.h"
#include "tests/catalog/catalog_test_util.h"

namespace accord::watch {
namespace {

using ::accord::testing::kValidCatalog;
using ::accord::testing::kValidText;
using ::accord::testing::TempCatalogDir;
using ::testing::ElementsAre;
using Kind = ChangeLog::Lookup::Kind;

std::string Sector(const std::string& id, const std::string& display) {
  return "sectors { name: \"sectors/" + id + "\" display_name: \"" + display + "\" }\n";
}

// A catalogue directory whose store feeds a change log.
struct Fixture {
  explicit Fixture(ChangeLog::Options options = {}) : log(options) {
    dir.Write("a.textproto", kValidCatalog);
    dir.Write("texts/article.txt", kValidText);
    dir.Write("b.textproto", Sector("mining", "Mining") + Sector("oil", "Oil"));
    serving::CatalogStore::Options store_options;
    store_options.on_swap = [this](std::shared_ptr<const serving::ServingCatalog> next) {
      log.Append(std::move(next));
    };
    store = std::make_unique<serving::CatalogStore>(dir.path(), store_options);
    EXPECT_TRUE(store->Reload().ok());
  }
  void Reload(const std::string& sectors) {
    dir.Write("b.textproto", sectors);
    ASSERT_TRUE(store->Reload().ok());
  }
  TempCatalogDir dir;
  ChangeLog log;
  std::unique_ptr<serving::CatalogStore> store;
};

std::vector<std::string> Describe(const LoggedVersion& v) {
  std::vector<std::string> out;
  for (const Change& c : v.changes) {
    const char* type = c.type == Change::Type::kAdded      ? "added "
                       : c.type == Change::Type::kModified ? "modified "
                                                           : "removed ";
    out.push_back(type + c.name);
  }
  return out;
}

TEST(ChangeLogTest, FirstLoadLogsNothingAndIsTheHead) {
  Fixture f;
  EXPECT_EQ(f.log.head().seq, 1u);
  EXPECT_EQ(f.log.head().catalog, f.store->Current());
  EXPECT_EQ(f.log.versions(), 0u);
  EXPECT_EQ(f.log.Next(1).kind, Kind::kCaughtUp);
  EXPECT_EQ(f.log.Next(2).kind, Kind::kAhead);
  EXPECT_EQ(f.log.oldest_cursor(), 1u);
}

TEST(ChangeLogTest, AReloadLogsItsAddsChangesAndRemovalsInNameOrderWithStoredBytes) {
  Fixture f;
  f.Reload(Sector("agriculture", "Farming") + Sector("mining", "Mining and quarrying"));
  ChangeLog::Lookup next = f.log.Next(1);
  ASSERT_EQ(next.kind, Kind::kFound);
  EXPECT_EQ(next.version->seq, 2u);
  EXPECT_EQ(next.version->version, f.store->Current()->version());
  EXPECT_THAT(
      Describe(*next.version),
      ElementsAre("added sectors/agriculture", "modified sectors/mining", "removed sectors/oil"));
  const serving::Collection& sectors = f.store->Current()->collection(CollectionId::kSectors);
  const Change& modified = next.version->changes[1];
  EXPECT_EQ(modified.new_bytes, sectors.bytes(sectors.IndexOf("sectors/mining")));
  EXPECT_FALSE(modified.old_bytes.empty());
  EXPECT_NE(modified.old_bytes, modified.new_bytes);
  EXPECT_TRUE(next.version->changes[2].new_bytes.empty());
  EXPECT_TRUE(next.version->changes[0].old_bytes.empty());
  EXPECT_EQ(f.log.Next(2).kind, Kind::kCaughtUp);
}

TEST(ChangeLogTest, AnUnchangedReloadIsAVersionWithNoChange) {
  Fixture f;
  f.Reload(Sector("mining", "Mining") + Sector("oil", "Oil"));
  ChangeLog::Lookup next = f.log.Next(1);
  ASSERT_EQ(next.kind, Kind::kFound);
  EXPECT_TRUE(next.version->changes.empty());
}

TEST(ChangeLogTest, OldVersionsAreEvictedByCount) {
  ChangeLog::Options options;
  options.max_versions = 2;
  Fixture f(options);
  for (int i = 0; i < 4; ++i) f.Reload(Sector("mining", "Mining " + std::to_string(i)));
  EXPECT_EQ(f.log.head().seq, 5u);
  EXPECT_EQ(f.log.versions(), 2u);
  EXPECT_EQ(f.log.oldest_cursor(), 3u);
  EXPECT_EQ(f.log.Next(2).kind, Kind::kEvicted);
  EXPECT_EQ(f.log.Next(3).kind, Kind::kFound);
  EXPECT_EQ(f.log.Next(3).version->seq, 4u);
}

TEST(ChangeLogTest, OldVersionsAreEvictedByBytesButTheNewestStays) {
  ChangeLog::Options options;
  options.max_bytes = 1;
  Fixture f(options);
  f.Reload(Sector("mining", "Mining 1"));
  f.Reload(Sector("mining", "Mining 2"));
  EXPECT_EQ(f.log.versions(), 1u);
  EXPECT_GT(f.log.bytes(), 1u);
  EXPECT_EQ(f.log.Next(1).kind, Kind::kEvicted);
  EXPECT_EQ(f.log.Next(2).kind, Kind::kFound);
}

TEST(ChangeLogTest, ListenerRunsAfterEachAppendWithTheNewHead) {
  Fixture f;
  std::vector<uint64_t> heads;
  f.log.SetListener([&] { heads.push_back(f.log.head().seq); });
  f.Reload(Sector("mining", "Mining 1"));
  f.Reload(Sector("mining", "Mining 2"));
  EXPECT_THAT(heads, ElementsAre(2u, 3u));
}

// Readers follow the log while it is appended to: each sees every version
// once, in order, with the changes that version made.
TEST(ChangeLogTest, ReadersFollowConcurrentAppendsWithoutGapsOrRepeats) {
  TempCatalogDir a;
  a.Write("a.textproto", kValidCatalog);
  a.Write("texts/article.txt", kValidText);
  a.Write("b.textproto", Sector("mining", "Mining"));
  auto first = serving::ServingCatalog::Load(a.path());
  ASSERT_TRUE(first.ok()) << first.status();
  a.Write("b.textproto", Sector("mining", "Mining and quarrying") + Sector("oil", "Oil"));
  auto second = serving::ServingCatalog::Load(a.path());
  ASSERT_TRUE(second.ok()) << second.status();

  ChangeLog::Options options;
  options.max_versions = 1000;
  ChangeLog log(options);
  log.Append(*first);
  constexpr int kAppends = 200;
  std::atomic<bool> failed{false};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      uint64_t cursor = 1;
      while (cursor < 1 + kAppends && !failed) {
        ChangeLog::Lookup next = log.Next(cursor);
        if (next.kind == Kind::kCaughtUp) continue;
        if (next.kind != Kind::kFound || next.version->seq != cursor + 1) {
          failed = true;
          return;
        }
        // Odd versions go back to `first`: mining changes, oil goes.
        size_t want = 2;
        if (next.version->changes.size() != want) failed = true;
        cursor = next.version->seq;
      }
    });
  }
  for (int i = 0; i < kAppends; ++i) log.Append(i % 2 == 0 ? *second : *first);
  for (auto& t : readers) t.join();
  EXPECT_FALSE(failed);
  EXPECT_EQ(log.head().seq, 1u + kAppends);
  EXPECT_EQ(log.versions(), static_cast<size_t>(kAppends));
}

TEST(ChangeLogTest, LogsOfTwoProcessesHaveDifferentLineages) {
  ChangeLog a, b;
  EXPECT_NE(a.lineage(), b.lineage());
  EXPECT_NE(a.lineage(), 0u);
}

}  // namespace
}  // namespace accord::watch
