// SIGTERM under load: health turns NOT_SERVING at once, new calls get
// UNAVAILABLE, calls in flight finish within the grace period, and no call
// ends CANCELLED. Prints the counts (docs/reliability.md quotes them).
#include <signal.h>

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/reliability/reliability_util.h"

namespace accord::testing {
namespace {

using Clock = std::chrono::steady_clock;

struct Counts {
  std::mutex mu;
  Clock::time_point signalled = Clock::time_point::max();
  // Calls that started before the signal and ended other than OK or
  // UNAVAILABLE (refused by the drain gate if they had not reached a
  // handler yet).
  int early_failed = 0;
  // Held calls that started 100 ms or more before the signal (so were being
  // held in a handler when it came) and did not end OK.
  int held_in_handler_not_ok = 0;
  // When, after the signal, each CANCELLED call started (ms).
  std::vector<long> cancelled_started_ms;
  std::map<grpc::StatusCode, int> by_code;
  int slow_ok = 0;  // held calls (in a handler when the signal came) that finished OK
  int slow_not_ok = 0;
  std::string first_cancelled;
};

// True if `s` is the drain gate's refusal (UNAVAILABLE, reason
// SHUTTING_DOWN): the call reached the service only after the signal.
bool RefusedByDrain(const grpc::Status& s) {
  if (s.error_code() != grpc::StatusCode::UNAVAILABLE) return false;
  google::rpc::Status details;
  if (!details.ParseFromString(s.error_details())) return false;
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info) && info.reason() == "SHUTTING_DOWN") return true;
  }
  return false;
}

// One client: its own connection, calls back to back (a third of them held
// 50-300 ms by the server) until the server is gone.
void Client(const std::string& address, int seed, const std::atomic<bool>* stop, Counts* counts) {
  std::mt19937 rng(seed);
  auto channel = InsecureChannel(address);
  auto stub = StubOn(channel);
  while (!stop->load()) {
    Clock::time_point started = Clock::now();
    int held = rng() % 8 == 0 ? 50 + static_cast<int>(rng() % 250) : 0;
    auto context = ContextWith({{"x-accord-testing-delay-ms", std::to_string(held)}},
                               std::chrono::seconds(15));
    grpc::Status s;
    if (rng() % 2 == 0) {
      accord::v1::ListAgreementsRequest request;
      request.set_filter("parties:\"countries/my\"");
      accord::v1::ListAgreementsResponse response;
      s = stub->ListAgreements(context.get(), request, &response);
    } else {
      accord::v1::GetCountryRequest request;
      request.set_name("countries/my");
      accord::v1::Country response;
      s = stub->GetCountry(context.get(), request, &response);
    }
    std::lock_guard<std::mutex> lock(counts->mu);
    ++counts->by_code[s.error_code()];
    if (started < counts->signalled && !s.ok() && s.error_code() != grpc::StatusCode::UNAVAILABLE) {
      ++counts->early_failed;
    }
    // A held call that started well before the signal and failed, unless
    // the drain gate refused it: on a loaded machine a call can reach the
    // service after the signal however early it started, and the gate's
    // refusal proves it did.
    if (held > 0 && started + std::chrono::milliseconds(100) < counts->signalled && !s.ok() &&
        !RefusedByDrain(s)) {
      ++counts->held_in_handler_not_ok;
    }
    if (s.error_code() == grpc::StatusCode::CANCELLED) {
      counts->cancelled_started_ms.push_back(
          std::chrono::duration_cast<std::chrono::milliseconds>(started - counts->signalled)
              .count());
    }
    if (held > 0) (s.ok() ? counts->slow_ok : counts->slow_not_ok)++;
    if (s.error_code() == grpc::StatusCode::CANCELLED && counts->first_cancelled.empty()) {
      counts->first_cancelled = s.error_message();
    }
    if (s.error_code() == grpc::StatusCode::UNAVAILABLE) {
      // Refused or connection gone: back off a little, as a client would.
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

TEST(ShutdownLoadTest, SigtermUnderLoadCancelsNothingAndDrainsWithinGrace) {
  constexpr int kClients = 32;
  constexpr int kRuns = 3;
  constexpr int kDrainMs = 1000;
  for (int run = 0; run < kRuns; ++run) {
    SCOPED_TRACE("run " + std::to_string(run));
    ServerProcess server(TestingServerBinary());
    ASSERT_TRUE(server.Start({"--catalog=" + BundledCatalog(), "--shutdown_grace=5s",
                              "--shutdown_drain=" + std::to_string(kDrainMs) + "ms"}))
        << server.log();
    Counts counts;
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.emplace_back(Client, server.address(), run * 100 + i, &stop, &counts);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    int ok_before;
    {
      std::lock_guard<std::mutex> lock(counts.mu);
      ok_before = counts.by_code[grpc::StatusCode::OK];
    }
    auto signalled = std::chrono::steady_clock::now();
    {
      std::lock_guard<std::mutex> lock(counts.mu);
      counts.signalled = signalled;
    }
    server.Signal(SIGTERM);
    // Health, on a fresh connection, is NOT_SERVING (or the server is gone).
    int health = HealthOf(InsecureChannel(server.address()), "");
    EXPECT_NE(health, 1) << "health still SERVING after SIGTERM";
    int exit_code = server.Wait(20);
    auto exited = std::chrono::steady_clock::now();
    stop = true;
    for (auto& t : clients) t.join();
    EXPECT_EQ(exit_code, 0) << server.log();
    EXPECT_LT(exited - signalled, std::chrono::seconds(5) + std::chrono::seconds(2));

    std::lock_guard<std::mutex> lock(counts.mu);
    std::cout << "run " << run << ": OK before signal " << ok_before;
    for (const auto& [code, n] : counts.by_code) std::cout << ", code " << code << ": " << n;
    std::cout << "; held calls OK " << counts.slow_ok << ", not OK " << counts.slow_not_ok
              << "; exit after "
              << std::chrono::duration_cast<std::chrono::milliseconds>(exited - signalled).count()
              << " ms; CANCELLED calls started at +";
    for (long ms : counts.cancelled_started_ms) std::cout << ms << " ";
    std::cout << "ms\n";
    EXPECT_GT(ok_before, 100);
    // Calls in flight when the signal came finished OK (or, if they had not
    // reached a handler yet, were refused UNAVAILABLE); none was cancelled.
    EXPECT_EQ(counts.early_failed, 0);
    EXPECT_EQ(counts.held_in_handler_not_ok, 0);
    // gRPC 1.51 cancels calls that reach the server after Shutdown() begins
    // but before the client has read the GOAWAY; such calls never reach a
    // handler. They can only have started at the end of the drain, when
    // Shutdown() is called: none started earlier, when every call that
    // reached a handler was answered (UNAVAILABLE during the drain).
    for (long ms : counts.cancelled_started_ms) EXPECT_GE(ms, kDrainMs - 50);
    EXPECT_LE(counts.cancelled_started_ms.size(), 10u) << counts.first_cancelled;
    EXPECT_EQ(counts.by_code[grpc::StatusCode::DEADLINE_EXCEEDED], 0);
    EXPECT_EQ(counts.by_code[grpc::StatusCode::INTERNAL], 0);
    EXPECT_EQ(counts.by_code[grpc::StatusCode::UNKNOWN], 0);
    EXPECT_GT(counts.by_code[grpc::StatusCode::UNAVAILABLE], 0);
  }
}

}  // namespace
}  // namespace accord::testing
