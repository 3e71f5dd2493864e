#include "service/server/reloader.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "gtest/gtest.h"

namespace accord::server {
namespace {

TEST(ReloaderTest, RequestReturnsAtOnceAndReloadsOnItsOwnThread) {
  // A directory that does not exist: each reload fails fast, and is counted.
  catalog::CatalogStore store("/nonexistent/accord/catalogue");
  std::atomic<int> done{0};
  std::thread::id reload_thread;
  Reloader reloader(&store, [&](const absl::Status& s) {
    EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
    reload_thread = std::this_thread::get_id();
    ++done;
  });
  reloader.Request();
  for (int i = 0; i < 200 && done.load() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  reloader.Stop();
  EXPECT_EQ(done.load(), 1);
  EXPECT_NE(reload_thread, std::this_thread::get_id());
  EXPECT_EQ(reloader.completed(), 1);
}

TEST(ReloaderTest, RequestsDuringAReloadCoalesceIntoOne) {
  catalog::CatalogStore store("/nonexistent/accord/catalogue");
  std::atomic<bool> release{false};
  std::atomic<int> done{0};
  Reloader reloader(&store, [&](const absl::Status&) {
    while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ++done;
  });
  reloader.Request();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the first is running
  for (int i = 0; i < 10; ++i) reloader.Request();
  release = true;
  for (int i = 0; i < 200 && done.load() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  reloader.Stop();
  EXPECT_EQ(done.load(), 2);
}

TEST(ReloaderTest, StopDropsPendingRequestsAndIsIdempotent) {
  catalog::CatalogStore store("/nonexistent/accord/catalogue");
  Reloader reloader(&store, nullptr);
  reloader.Stop();
  reloader.Request();
  reloader.Stop();
  EXPECT_EQ(reloader.completed(), 0);
}

}  // namespace
}  // namespace accord::server
