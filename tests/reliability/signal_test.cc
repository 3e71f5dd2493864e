// Signals while a reload is running: the reload runs off the signal thread,
// so SIGTERM turns health NOT_SERVING at once, however long the load takes.
#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "gtest/gtest.h"
#include "tests/reliability/reliability_util.h"

namespace accord::testing {
namespace {

// A catalogue copy with `megabytes` MB of comments in one more file: valid,
// and about 10 ms per MB to read, hash and parse.
void AddSlowFile(const TempDir& dir, int megabytes) {
  std::ofstream big(dir / "zz-big.textproto");
  std::string line = "# " + std::string(1000, 'x') + "\n";
  for (int i = 0; i < megabytes * 1000; ++i) big << line;
}

TEST(SignalTest, SigtermDuringASlowReloadTurnsHealthNotServingAtOnce) {
  TempDir dir;
  fs::copy(BundledCatalog(), dir.path(), fs::copy_options::recursive);
  ServerProcess server;
  ASSERT_TRUE(server.Start(
      {"--catalog=" + dir.path(), "--max_catalog_bytes=200000000", "--shutdown_drain=0s"}))
      << server.log();
  auto channel = InsecureChannel(server.address());
  ASSERT_EQ(HealthOf(channel, ""), 1);
  AddSlowFile(dir, 80);  // about 0.8 s
  server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForLog("SIGHUP", 5));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto signalled = std::chrono::steady_clock::now();
  server.Signal(SIGTERM);
  // Health turns (NOT_SERVING, or calls refused) within 300 ms; the old
  // server, reloading on its signal thread, took the rest of the load.
  int health = 1;
  while (health == 1 && std::chrono::steady_clock::now() - signalled < std::chrono::seconds(2)) {
    health = HealthOf(channel, "");
    if (health == 1) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto answered = std::chrono::steady_clock::now();
  EXPECT_NE(health, 1);
  EXPECT_LT(answered - signalled, std::chrono::milliseconds(300));
  channel.reset();  // an idle connection would hold the exit for seconds
  // The reload was still running when health turned.
  std::string log = server.log();
  EXPECT_EQ(log.find("reload ok"), std::string::npos) << log;
  // The exit waits for the reload to end (bounded by --max_catalog_bytes).
  EXPECT_EQ(server.Wait(60), 0) << server.log();
}

TEST(SignalTest, SigtermDuringTheFirstLoadStopsAtOnce) {
  TempDir dir;
  fs::copy(BundledCatalog(), dir.path(), fs::copy_options::recursive);
  AddSlowFile(dir, 300);
  ServerProcess server;
  ASSERT_TRUE(server.Launch({"--catalog=" + dir.path(), "--max_catalog_bytes=400000000"}));
  ASSERT_TRUE(server.WaitForLog("loading the catalogue", 10)) << server.log();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto signalled = std::chrono::steady_clock::now();
  server.Signal(SIGTERM);
  // The load takes seconds; the process ends well before it would finish.
  EXPECT_EQ(server.Wait(10), 0) << server.log();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, std::chrono::milliseconds(1000));
  const std::string log = server.log();
  EXPECT_NE(log.find("SIGTERM before the first catalogue finished loading"), std::string::npos)
      << log;
  EXPECT_EQ(log.find("listening on"), std::string::npos) << log;
}

TEST(SignalTest, SighupDuringTheFirstLoadReloadsOnceServing) {
  TempDir dir;
  fs::copy(BundledCatalog(), dir.path(), fs::copy_options::recursive);
  AddSlowFile(dir, 50);
  ServerProcess server;
  ASSERT_TRUE(server.Launch(
      {"--catalog=" + dir.path(), "--max_catalog_bytes=400000000", "--shutdown_drain=0s"}));
  ASSERT_TRUE(server.WaitForLog("loading the catalogue", 10)) << server.log();
  server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForLog("reload ok", 30)) << server.log();
  EXPECT_NE(server.log().find("SIGHUP during the first load: reloading the catalogue"),
            std::string::npos)
      << server.log();
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(20), 0) << server.log();
}

TEST(SignalTest, ReloadsRequestedDuringAReloadAreCoalesced) {
  TempDir dir;
  fs::copy(BundledCatalog(), dir.path(), fs::copy_options::recursive);
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--catalog=" + dir.path(), "--shutdown_drain=0s"})) << server.log();
  for (int i = 0; i < 20; ++i) server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForLog("reload ok", 10)) << server.log();
  auto stub = StubOn(InsecureChannel(server.address()));
  // Let the reloads finish; then at least one and at most 20 ran, all ok.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  accord::v1::CatalogStatus status = StatusOf(stub.get());
  EXPECT_GE(status.reload_count(), 1);
  EXPECT_LE(status.reload_count(), 20);
  EXPECT_EQ(status.failed_reload_count(), 0);
  stub.reset();  // an idle connection would hold the exit for seconds
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(20), 0) << server.log();
}

// The reviewer's case: assessments.textproto replaced by a dangling symlink,
// then SIGHUP. The reload fails naming the file; nothing vanishes.
TEST(SignalTest, ReloadWithADanglingSymlinkFailsNamingTheFile) {
  TempDir dir;
  fs::copy(BundledCatalog(), dir.path(), fs::copy_options::recursive);
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--catalog=" + dir.path(), "--shutdown_drain=0s"})) << server.log();
  auto stub = StubOn(InsecureChannel(server.address()));
  const int64_t assessments = StatusOf(stub.get()).record_counts().at("assessments");
  ASSERT_GT(assessments, 0);
  fs::remove(dir / "assessments.textproto");
  fs::create_symlink(dir / "gone.textproto", dir / "assessments.textproto");
  server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForLog("reload failed", 10)) << server.log();
  accord::v1::CatalogStatus status = StatusOf(stub.get());
  EXPECT_NE(status.last_error().find("assessments.textproto"), std::string::npos)
      << status.last_error();
  EXPECT_EQ(status.failed_reload_count(), 1);
  EXPECT_EQ(status.record_counts().at("assessments"), assessments);
  stub.reset();  // an idle connection would hold the exit for seconds
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(20), 0);
}

}  // namespace
}  // namespace accord::testing
