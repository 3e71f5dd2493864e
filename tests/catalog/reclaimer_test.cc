#include "service/catalog/reclaimer.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace accord::catalog {
namespace {

using ::testing::ElementsAre;

TEST(ReclaimerTest, ReleaseReturnsBeforeTheFunctionRunsAndRunsItOffTheCallersThread) {
  Reclaimer reclaimer;
  absl::Notification may_run;
  std::atomic<bool> ran{false};
  std::thread::id ran_on;
  reclaimer.Release([&] {
    may_run.WaitForNotification();
    ran_on = std::this_thread::get_id();
    ran = true;
  });
  // Release returned while the function is blocked: it did not run inline.
  EXPECT_FALSE(ran);
  EXPECT_EQ(reclaimer.completed(), 0);
  may_run.Notify();
  reclaimer.Drain();
  EXPECT_TRUE(ran);
  EXPECT_NE(ran_on, std::this_thread::get_id());
  EXPECT_EQ(reclaimer.completed(), 1);
}

TEST(ReclaimerTest, RunsFunctionsOnceEachInTheOrderHandedOver) {
  Reclaimer reclaimer;
  std::vector<int> order;  // only the reclaimer's thread appends, Drain orders the read
  for (int i = 0; i < 5; ++i) reclaimer.Release([&order, i] { order.push_back(i); });
  reclaimer.Drain();
  EXPECT_THAT(order, ElementsAre(0, 1, 2, 3, 4));
  EXPECT_EQ(reclaimer.completed(), 5);
}

TEST(ReclaimerTest, FreesWhatTheFunctionOwnsBeforeDrainReturns) {
  Reclaimer reclaimer;
  auto owned = std::make_shared<std::vector<char>>(1 << 20);
  std::weak_ptr<std::vector<char>> watch = owned;
  // The function owns the only reference; it does nothing itself: the
  // memory is freed when the function is destroyed.
  reclaimer.Release([owned = std::move(owned)] {});
  reclaimer.Drain();
  EXPECT_TRUE(watch.expired());
}

TEST(ReclaimerTest, DestructorRunsEverythingStillQueued) {
  std::atomic<int> ran{0};
  absl::Notification may_run;
  {
    Reclaimer reclaimer;
    reclaimer.Release([&] {
      may_run.WaitForNotification();
      ++ran;
    });
    for (int i = 0; i < 3; ++i) reclaimer.Release([&] { ++ran; });
    EXPECT_EQ(ran, 0);
    may_run.Notify();
  }  // joined here
  EXPECT_EQ(ran, 4);
}

TEST(ReclaimerTest, DestroyedUnusedDoesNothing) {
  Reclaimer reclaimer;
  EXPECT_EQ(reclaimer.completed(), 0);
  reclaimer.Drain();  // nothing handed over: returns at once
}

TEST(ReclaimerTest, ReleasesFromManyThreadsAllRun) {
  Reclaimer reclaimer;
  std::atomic<int> ran{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) reclaimer.Release([&] { ++ran; });
    });
  }
  for (auto& t : threads) t.join();
  reclaimer.Drain();
  EXPECT_EQ(ran, 400);
  EXPECT_EQ(reclaimer.completed(), 400);
}

TEST(ReclaimerTest, RunsAtALowerPriorityThanTheCaller) {
  Reclaimer reclaimer;
  const int caller = getpriority(PRIO_PROCESS, static_cast<pid_t>(syscall(SYS_gettid)));
  int seen = -100;
  reclaimer.Release(
      [&seen] { seen = getpriority(PRIO_PROCESS, static_cast<pid_t>(syscall(SYS_gettid))); });
  reclaimer.Drain();
  EXPECT_EQ(seen, std::max(caller, Reclaimer::kNice));
}

TEST(ReclaimerTest, DefaultIsOneProcessWideReclaimer) {
  EXPECT_EQ(&Reclaimer::Default(), &Reclaimer::Default());
  std::atomic<bool> ran{false};
  Reclaimer::Default().Release([&] { ran = true; });
  Reclaimer::Default().Drain();
  EXPECT_TRUE(ran);
}

}  // namespace
}  // namespace accord::catalog
