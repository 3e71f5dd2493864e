#include "service/server/first_load_signals.h"

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <future>

#include "gtest/gtest.h"

namespace accord::server {
namespace {

// Blocks SIGHUP, SIGTERM and SIGINT in this thread (and so in the watcher
// it starts) for the test's lifetime, as main() does before any thread.
class FirstLoadSignalsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGHUP);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGINT);
    ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &signals_, &before_), 0);
  }
  void TearDown() override {
    // Nothing the test raised may stay pending when the mask is restored.
    const timespec none{0, 0};
    while (sigtimedwait(&signals_, nullptr, &none) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &before_, nullptr);
  }
  sigset_t signals_;
  sigset_t before_;
};

TEST_F(FirstLoadSignalsTest, SigtermStopsAtOnceWithTheSignal) {
  std::promise<int> stopped;
  FirstLoadSignals watch(signals_, [&stopped](int signal) { stopped.set_value(signal); });
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  auto got = stopped.get_future();
  ASSERT_EQ(got.wait_for(std::chrono::seconds(2)), std::future_status::ready);
  EXPECT_EQ(got.get(), SIGTERM);
  EXPECT_FALSE(watch.reload_requested());
}

TEST_F(FirstLoadSignalsTest, SigintStopsToo) {
  std::promise<int> stopped;
  FirstLoadSignals watch(signals_, [&stopped](int signal) { stopped.set_value(signal); });
  ASSERT_EQ(kill(getpid(), SIGINT), 0);
  auto got = stopped.get_future();
  ASSERT_EQ(got.wait_for(std::chrono::seconds(2)), std::future_status::ready);
  EXPECT_EQ(got.get(), SIGINT);
}

TEST_F(FirstLoadSignalsTest, SighupIsRememberedNotActedOn) {
  bool stop_called = false;
  FirstLoadSignals watch(signals_, [&stop_called](int) { stop_called = true; });
  ASSERT_EQ(kill(getpid(), SIGHUP), 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!watch.reload_requested() && std::chrono::steady_clock::now() < deadline) {
    usleep(1000);
  }
  watch.Finish();
  EXPECT_TRUE(watch.reload_requested());
  EXPECT_FALSE(stop_called);
}

TEST_F(FirstLoadSignalsTest, FinishIsPromptAndLeavesLaterSignalsPending) {
  bool stop_called = false;
  FirstLoadSignals watch(signals_, [&stop_called](int) { stop_called = true; });
  const auto start = std::chrono::steady_clock::now();
  watch.Finish();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  watch.Finish();  // idempotent
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  sigset_t pending;
  sigpending(&pending);
  EXPECT_EQ(sigismember(&pending, SIGTERM), 1);  // for the serving signal thread
  EXPECT_FALSE(stop_called);
  EXPECT_FALSE(watch.reload_requested());
}

}  // namespace
}  // namespace accord::server
