// Hot reload (SIGHUP) and graceful shutdown (SIGTERM/SIGINT) of the real
// server binary.
#include <csignal>
#include <future>
#include <set>
#include <thread>

#include "gtest/gtest.h"
#include "tests/reliability/reliability_util.h"

namespace accord::testing {
namespace {

using accord::v1::ListCooperationAreasRequest;
using accord::v1::ListCooperationAreasResponse;

int CountCooperationAreas(accord::v1::AccordService::Stub* stub) {
  ListCooperationAreasRequest request;
  request.set_page_size(1);
  ListCooperationAreasResponse response;
  auto context = ContextWith();
  grpc::Status s = stub->ListCooperationAreas(context.get(), request, &response);
  return s.ok() ? response.total_size() : -1;
}

class ReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = CopyCatalog(dir_);
    ASSERT_TRUE(server_.Start({"--catalog=" + catalog_})) << server_.log();
    stub_ = StubOn(InsecureChannel(server_.address()));
  }
  // Sends SIGHUP and waits for the outcome line; returns true if it was ok.
  bool Reload() {
    int ok = CountOf(server_.log(), "reload ok");
    int failed = CountOf(server_.log(), "reload failed");
    server_.Signal(SIGHUP);
    for (int i = 0; i < 1000; ++i) {
      std::string log = server_.log();
      if (CountOf(log, "reload ok") > ok) return true;
      if (CountOf(log, "reload failed") > failed) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "no reload outcome logged: " << server_.log();
    return false;
  }
  TempDir dir_;
  std::string catalog_;
  ServerProcess server_;
  std::unique_ptr<accord::v1::AccordService::Stub> stub_;
};

TEST_F(ReloadTest, ValidReloadSwapsInTheNewCatalogueAndReportsIt) {
  accord::v1::CatalogStatus before = StatusOf(stub_.get());
  ASSERT_FALSE(before.version().empty()) << before.last_error();
  int areas = CountCooperationAreas(stub_.get());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  WriteFile(catalog_ + "/" + kExtraFile, kExtraText);
  ASSERT_TRUE(Reload()) << server_.log();

  accord::v1::CatalogStatus after = StatusOf(stub_.get());
  EXPECT_NE(after.version(), before.version());
  EXPECT_EQ(after.version().size(), 16u);  // content hash
  EXPECT_GT(after.load_time().seconds() * 1000000000LL + after.load_time().nanos(),
            before.load_time().seconds() * 1000000000LL + before.load_time().nanos());
  EXPECT_EQ(after.reload_count(), 1);
  EXPECT_EQ(after.failed_reload_count(), 0);
  EXPECT_TRUE(after.last_error().empty());
  EXPECT_EQ(CountCooperationAreas(stub_.get()), areas + 1);
  EXPECT_EQ(after.record_counts().at("cooperationAreas"), areas + 1);
}

TEST_F(ReloadTest, InvalidReloadIsRejectedLoggedAndVisibleWhileTheOldOneServes) {
  accord::v1::CatalogStatus before = StatusOf(stub_.get());
  int areas = CountCooperationAreas(stub_.get());
  WriteFile(catalog_ + "/" + kBrokenFile, kBrokenText);
  EXPECT_FALSE(Reload());
  EXPECT_NE(server_.log().find("keeps serving"), std::string::npos) << server_.log();

  accord::v1::CatalogStatus after = StatusOf(stub_.get());
  EXPECT_EQ(after.version(), before.version());
  EXPECT_EQ(after.load_time().seconds(), before.load_time().seconds());
  EXPECT_EQ(after.failed_reload_count(), 1);
  EXPECT_NE(after.last_error().find(kBrokenFile), std::string::npos) << after.last_error();
  EXPECT_GE(after.last_attempt_time().seconds(), before.last_attempt_time().seconds());
  EXPECT_EQ(CountCooperationAreas(stub_.get()), areas);

  // Fixing the file clears the error on the next reload.
  std::filesystem::remove(catalog_ + "/" + kBrokenFile);
  EXPECT_TRUE(Reload());
  after = StatusOf(stub_.get());
  EXPECT_TRUE(after.last_error().empty());
  EXPECT_EQ(after.version(), before.version());  // same files, same hash
}

TEST_F(ReloadTest, PageTokensSurviveAnUnchangedReloadAndFailClearlyAfterAChange) {
  ListCooperationAreasRequest request;
  request.set_page_size(5);
  ListCooperationAreasResponse first;
  auto context = ContextWith();
  ASSERT_TRUE(stub_->ListCooperationAreas(context.get(), request, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());

  // Same files: same version, the token still pages on without a gap.
  ASSERT_TRUE(Reload());
  request.set_page_token(first.next_page_token());
  ListCooperationAreasResponse second;
  context = ContextWith();
  ASSERT_TRUE(stub_->ListCooperationAreas(context.get(), request, &second).ok());
  ASSERT_EQ(second.cooperation_areas_size(), 5);
  EXPECT_GT(second.cooperation_areas(0).name(), first.cooperation_areas(4).name());

  // A changed catalogue: FAILED_PRECONDITION / CATALOG_CHANGED, never a
  // silently shifted page.
  WriteFile(catalog_ + "/" + kExtraFile, kExtraText);
  ASSERT_TRUE(Reload());
  request.set_page_token(second.next_page_token());
  ListCooperationAreasResponse third;
  context = ContextWith();
  ErrorDetails error = ReadError(stub_->ListCooperationAreas(context.get(), request, &third));
  EXPECT_EQ(error.code, grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(error.reason, "CATALOG_CHANGED");
  ASSERT_EQ(error.violations.size(), 1u);
  EXPECT_EQ(error.violations[0].first, "page_token");
  EXPECT_EQ(error.metadata["version"], StatusOf(stub_.get()).version());

  // Starting again pages through the new catalogue with no repeats.
  std::set<std::string> seen;
  request.clear_page_token();
  for (;;) {
    ListCooperationAreasResponse page;
    context = ContextWith();
    ASSERT_TRUE(stub_->ListCooperationAreas(context.get(), request, &page).ok());
    for (const auto& a : page.cooperation_areas()) EXPECT_TRUE(seen.insert(a.name()).second);
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(static_cast<int>(seen.size()), CountCooperationAreas(stub_.get()));
}

// A call held by the server for `delay_ms` (accord_server_testing).
grpc::Status SlowCall(const std::string& address, int delay_ms, int deadline_ms = 20000) {
  auto stub = StubOn(InsecureChannel(address));
  auto context = ContextWith({{"x-accord-testing-delay-ms", std::to_string(delay_ms)}},
                             std::chrono::milliseconds(deadline_ms));
  accord::v1::GetCatalogStatusRequest request;
  accord::v1::CatalogStatus response;
  return stub->GetCatalogStatus(context.get(), request, &response);
}

TEST(ShutdownTest, SigtermTurnsHealthNotServingRefusesNewCallsDrainsAndExitsZero) {
  ServerProcess server(TestingServerBinary());
  ASSERT_TRUE(server.Start({"--catalog=" + BundledCatalog(), "--shutdown_grace=10s"}))
      << server.log();
  auto channel = InsecureChannel(server.address());
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext watch_context;
  grpc::health::v1::HealthCheckRequest watch_request;
  auto watch = health->Watch(&watch_context, watch_request);
  grpc::health::v1::HealthCheckResponse update;
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  auto in_flight = std::async(std::launch::async, [&] { return SlowCall(server.address(), 1500); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto signalled = std::chrono::steady_clock::now();
  server.Signal(SIGTERM);

  // Health: NOT_SERVING at once, while the slow call is still in flight.
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, std::chrono::milliseconds(1000));
  EXPECT_EQ(in_flight.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
  watch_context.TryCancel();

  // New calls are refused. (Health turns first, then the server stops
  // accepting, so allow the signal thread a moment to get there.)
  grpc::Status refused;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto fresh = StubOn(InsecureChannel(server.address()));
    auto context = ContextWith({}, std::chrono::seconds(3));
    accord::v1::GetCatalogStatusRequest request;
    accord::v1::CatalogStatus response;
    refused = fresh->GetCatalogStatus(context.get(), request, &response);
    if (!refused.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << refused.error_message();
  EXPECT_EQ(in_flight.wait_for(std::chrono::seconds(0)), std::future_status::timeout);

  // The in-flight call completes, and the process exits 0.
  grpc::Status finished = in_flight.get();
  EXPECT_TRUE(finished.ok()) << finished.error_message();
  EXPECT_EQ(server.Wait(15), 0) << server.log();
  EXPECT_NE(server.log().find("stopped"), std::string::npos);
}

TEST(ShutdownTest, CallsOutlivingTheGracePeriodAreCancelledAndSigintExitsZero) {
  ServerProcess server(TestingServerBinary());
  ASSERT_TRUE(server.Start({"--catalog=" + BundledCatalog(), "--shutdown_grace=1s"}))
      << server.log();
  auto in_flight =
      std::async(std::launch::async, [&] { return SlowCall(server.address(), 30000); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto signalled = std::chrono::steady_clock::now();
  server.Signal(SIGINT);
  EXPECT_EQ(server.Wait(15), 0) << server.log();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, std::chrono::seconds(5));
  grpc::Status cut = in_flight.get();
  EXPECT_FALSE(cut.ok());
  EXPECT_NE(server.log().find("SIGINT"), std::string::npos);
}

}  // namespace
}  // namespace accord::testing
