#include "service/server/catalog_watcher.h"

#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace accord::server {
namespace {

namespace fs = std::filesystem;

constexpr absl::Duration kSettle = absl::Milliseconds(100);

void Write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

// Counts on_change calls; waits for them with a deadline.
class Calls {
 public:
  std::function<void()> Callback() {
    return [this] {
      std::lock_guard<std::mutex> lock(mu_);
      ++count_;
      cv_.notify_all();
    };
  }
  // The count once it reaches `n`, or what it is after `timeout`.
  int WaitFor(int n, absl::Duration timeout = absl::Seconds(5)) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, absl::ToChronoMilliseconds(timeout), [&] { return count_ >= n; });
    return count_;
  }
  int Now() {
    std::lock_guard<std::mutex> lock(mu_);
    return count_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
};

class CatalogWatcherTest : public testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/accord_watch_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
  }
  void TearDown() override { fs::remove_all(root_); }

  // Nothing more arrives within a few settle periods.
  void ExpectQuiet(Calls& calls, int count) {
    absl::SleepFor(4 * kSettle);
    EXPECT_EQ(calls.Now(), count);
  }

  fs::path root_;
};

TEST_F(CatalogWatcherTest, RejectsAMissingDirectory) {
  auto watcher = CatalogWatcher::Start((root_ / "absent").string(), kSettle, [] {});
  EXPECT_EQ(watcher.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CatalogWatcherTest, AnEditIsOneCallAfterTheBurstSettles) {
  fs::path dir = root_ / "catalogue";
  fs::create_directories(dir / "texts");
  Write(dir / "agreements.textproto", "a");
  Calls calls;
  auto watcher = CatalogWatcher::Start(dir.string(), kSettle, calls.Callback());
  ASSERT_TRUE(watcher.ok()) << watcher.status();
  ExpectQuiet(calls, 0);
  // Several writes in a row: one reload.
  for (int i = 0; i < 5; ++i) Write(dir / "agreements.textproto", std::to_string(i));
  EXPECT_EQ(calls.WaitFor(1), 1);
  ExpectQuiet(calls, 1);
  // A file in a subdirectory.
  Write(dir / "texts" / "new.txt", "words");
  EXPECT_EQ(calls.WaitFor(2), 2);
  // A removal.
  fs::remove(dir / "agreements.textproto");
  EXPECT_EQ(calls.WaitFor(3), 3);
  ExpectQuiet(calls, 3);
}

TEST_F(CatalogWatcherTest, AConfigMapStyleSymlinkSwapIsNoticed) {
  // The kubelet's layout: files are symlinks through "..data", which points
  // at a timestamped directory and is replaced by rename(2).
  fs::path dir = root_ / "catalogue";
  fs::create_directories(dir / "..2026_01_01");
  Write(dir / "..2026_01_01" / "agreements.textproto", "old");
  fs::create_directory_symlink("..2026_01_01", dir / "..data");
  fs::create_symlink("..data/agreements.textproto", dir / "agreements.textproto");
  Calls calls;
  auto watcher = CatalogWatcher::Start(dir.string(), kSettle, calls.Callback());
  ASSERT_TRUE(watcher.ok()) << watcher.status();

  fs::create_directories(dir / "..2026_01_02");
  Write(dir / "..2026_01_02" / "agreements.textproto", "new");
  fs::create_directory_symlink("..2026_01_02", dir / "..data_tmp");
  fs::rename(dir / "..data_tmp", dir / "..data");
  fs::remove_all(dir / "..2026_01_01");
  EXPECT_EQ(calls.WaitFor(1), 1);
  ExpectQuiet(calls, 1);
  std::ifstream in(dir / "agreements.textproto");
  std::string text;
  in >> text;
  EXPECT_EQ(text, "new");
}

TEST_F(CatalogWatcherTest, FollowsTheCatalogueSymlinkToItsNewTarget) {
  fs::create_directories(root_ / "rev1");
  fs::create_directories(root_ / "rev2");
  fs::create_directory_symlink("rev1", root_ / "current");
  Calls calls;
  auto watcher = CatalogWatcher::Start((root_ / "current").string(), kSettle, calls.Callback());
  ASSERT_TRUE(watcher.ok()) << watcher.status();
  // Something next to the catalogue, not in it: no reload.
  Write(root_ / "unrelated.txt", "x");
  ExpectQuiet(calls, 0);
  // git-sync style: point "current" at rev2 by rename.
  fs::create_directory_symlink("rev2", root_ / "current.tmp");
  fs::rename(root_ / "current.tmp", root_ / "current");
  EXPECT_EQ(calls.WaitFor(1), 1);
  // The watch now follows rev2, not rev1.
  Write(root_ / "rev1" / "stale.textproto", "x");
  ExpectQuiet(calls, 1);
  Write(root_ / "rev2" / "agreements.textproto", "x");
  EXPECT_EQ(calls.WaitFor(2), 2);
}

TEST_F(CatalogWatcherTest, NoCallAfterItIsDestroyed) {
  fs::path dir = root_ / "catalogue";
  fs::create_directories(dir);
  Calls calls;
  {
    auto watcher = CatalogWatcher::Start(dir.string(), kSettle, calls.Callback());
    ASSERT_TRUE(watcher.ok());
    Write(dir / "a.textproto", "x");  // pending when destroyed
  }
  ExpectQuiet(calls, 0);
}

}  // namespace
}  // namespace accord::server
