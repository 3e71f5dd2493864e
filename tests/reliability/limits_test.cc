// Every limit in docs/limits.md, each with a request just under and just
// over it, against the real server.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "service/query/limits.h"
#include "tests/reliability/reliability_util.h"

namespace accord::testing {
namespace {

using accord::v1::ListCooperationAreasRequest;
using accord::v1::ListCooperationAreasResponse;

constexpr int kBulkAreas = 1100;

// A catalogue with kBulkAreas extra cooperation areas, so that page-size
// coercion and BatchGet limits can be seen.
std::string BulkCatalog(const TempDir& dir) {
  std::string catalog = CopyCatalog(dir);
  std::string text;
  for (int i = 0; i < kBulkAreas; ++i) {
    absl::StrAppend(&text, "cooperation_areas { name: \"cooperationAreas/bulk-", i,
                    "\" display_name: \"Bulk ", i, "\" description: \"Limit test.\" }\n");
  }
  WriteFile(catalog + "/zz_bulk.textproto", text);
  return catalog;
}

class LimitsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = new ServerProcess();
    ASSERT_TRUE(server_->Start({"--catalog=" + BulkCatalog(*dir_)})) << server_->log();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  void SetUp() override { stub_ = StubOn(InsecureChannel(server_->address())); }

  grpc::Status List(const ListCooperationAreasRequest& request,
                    ListCooperationAreasResponse* response = nullptr) {
    ListCooperationAreasResponse ignored;
    auto context = ContextWith();
    return stub_->ListCooperationAreas(context.get(), request, response ? response : &ignored);
  }
  grpc::Status Filter(const std::string& filter) {
    ListCooperationAreasRequest request;
    request.set_filter(filter);
    return List(request);
  }
  grpc::Status OrderBy(const std::string& order_by) {
    ListCooperationAreasRequest request;
    request.set_order_by(order_by);
    return List(request);
  }

  static TempDir* dir_;
  static ServerProcess* server_;
  std::unique_ptr<accord::v1::AccordService::Stub> stub_;
};
TempDir* LimitsTest::dir_ = nullptr;
ServerProcess* LimitsTest::server_ = nullptr;

// `display_name = "xxx…"` padded to exactly `length` bytes.
std::string FilterOfLength(size_t length) {
  std::string head = "display_name = \"";
  return head + std::string(length - head.size() - 1, 'x') + "\"";
}

TEST_F(LimitsTest, FilterLength) {
  EXPECT_TRUE(Filter(FilterOfLength(query::kMaxFilterLength)).ok());
  ErrorDetails over = ReadError(Filter(FilterOfLength(query::kMaxFilterLength + 1)));
  EXPECT_EQ(over.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(over.reason, "FILTER_TOO_COMPLEX");
  ASSERT_EQ(over.violations.size(), 1u);
  EXPECT_EQ(over.violations[0].first, "filter");
}

std::string Nested(int depth) {
  return std::string(depth, '(') + "display_name = \"x\"" + std::string(depth, ')');
}

TEST_F(LimitsTest, FilterNestingDepth) {
  grpc::Status under = Filter(Nested(query::kMaxNestingDepth));
  EXPECT_TRUE(under.ok()) << under.error_message();
  ErrorDetails over = ReadError(Filter(Nested(query::kMaxNestingDepth + 1)));
  EXPECT_EQ(over.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(over.reason, "FILTER_TOO_COMPLEX");
  EXPECT_EQ(over.violations.at(0).first, "filter");
}

std::string Restrictions(int n) {
  std::string filter;
  for (int i = 0; i < n; ++i) absl::StrAppend(&filter, i ? " OR " : "", "display_name=\"a\"");
  return filter;
}

TEST_F(LimitsTest, FilterRestrictionCount) {
  EXPECT_TRUE(Filter(Restrictions(query::kMaxRestrictions)).ok());
  ErrorDetails over = ReadError(Filter(Restrictions(query::kMaxRestrictions + 1)));
  EXPECT_EQ(over.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(over.reason, "FILTER_TOO_COMPLEX");
}

TEST_F(LimitsTest, OrderByLengthAndKeys) {
  // Eight distinct sort keys on agreements, then a ninth.
  const std::string keys =
      "title, short_title, kind, legally_binding desc, partnership, state, sign_date, "
      "entry_into_force_date";
  accord::v1::ListAgreementsRequest request;
  accord::v1::ListAgreementsResponse response;
  request.set_order_by(keys);
  auto context = ContextWith();
  grpc::Status under = stub_->ListAgreements(context.get(), request, &response);
  EXPECT_TRUE(under.ok()) << under.error_message();
  request.set_order_by(keys + ", term_years");
  context = ContextWith();
  ErrorDetails over = ReadError(stub_->ListAgreements(context.get(), request, &response));
  EXPECT_EQ(over.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(over.reason, "INVALID_ORDER_BY");
  EXPECT_EQ(over.violations.at(0).first, "order_by");

  std::string padded = "display_name" + std::string(query::kMaxOrderByLength - 12, ' ');
  ASSERT_EQ(padded.size(), query::kMaxOrderByLength);
  EXPECT_TRUE(OrderBy(padded).ok());
  ErrorDetails too_long = ReadError(OrderBy(padded + " "));
  EXPECT_EQ(too_long.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(too_long.violations.at(0).first, "order_by");
}

TEST_F(LimitsTest, PageSizeIsCoercedToTheMaximum) {
  ListCooperationAreasRequest request;
  ListCooperationAreasResponse response;
  request.set_page_size(1000);
  ASSERT_TRUE(List(request, &response).ok());
  EXPECT_EQ(response.cooperation_areas_size(), 1000);
  EXPECT_FALSE(response.next_page_token().empty());
  request.set_page_size(1001);  // coerced to 1000 (AIP-158), not an error
  ASSERT_TRUE(List(request, &response).ok());
  EXPECT_EQ(response.cooperation_areas_size(), 1000);
  request.set_page_size(0);  // the default
  ASSERT_TRUE(List(request, &response).ok());
  EXPECT_EQ(response.cooperation_areas_size(), 50);
  request.set_page_size(-1);
  ErrorDetails negative = ReadError(List(request, &response));
  EXPECT_EQ(negative.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(negative.violations.at(0).first, "page_size");
}

TEST_F(LimitsTest, BatchGetNames) {
  accord::v1::BatchGetCooperationAreasRequest request;
  for (int i = 0; i < 100; ++i) request.add_names(absl::StrCat("cooperationAreas/bulk-", i));
  accord::v1::BatchGetCooperationAreasResponse response;
  auto context = ContextWith();
  grpc::Status under = stub_->BatchGetCooperationAreas(context.get(), request, &response);
  ASSERT_TRUE(under.ok()) << under.error_message();
  EXPECT_EQ(response.cooperation_areas_size(), 100);
  request.add_names("cooperationAreas/bulk-100");
  context = ContextWith();
  ErrorDetails over = ReadError(stub_->BatchGetCooperationAreas(context.get(), request, &response));
  EXPECT_EQ(over.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(over.reason, "BATCH_TOO_LARGE");
  EXPECT_EQ(over.violations.at(0).first, "names");
}

TEST_F(LimitsTest, MaxReceiveMessageSize) {
  // ListCooperationAreasRequest{filter}: 1 tag byte + 3 length bytes + the
  // filter. (A huge filter is rejected without being echoed back.)
  constexpr int kLimit = 1 << 20;
  ListCooperationAreasRequest request;
  request.set_filter(std::string(kLimit - 4, 'a'));
  ASSERT_EQ(request.ByteSizeLong(), static_cast<size_t>(kLimit));
  ErrorDetails under = ReadError(List(request));
  EXPECT_EQ(under.code, grpc::StatusCode::INVALID_ARGUMENT) << under.message;  // read, then judged
  EXPECT_EQ(under.reason, "FILTER_TOO_COMPLEX");
  request.set_filter(std::string(kLimit - 3, 'a'));
  grpc::Status over = List(request);
  EXPECT_EQ(over.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << over.error_message();
}

// How long `calls` concurrent slow calls take on one connection.
double SecondsForConcurrentSlowCalls(const std::string& address, int calls, int delay_ms) {
  auto stub = StubOn(InsecureChannel(address));
  {  // connect first
    auto context = ContextWith();
    accord::v1::GetCatalogStatusRequest r;
    accord::v1::CatalogStatus s;
    EXPECT_TRUE(stub->GetCatalogStatus(context.get(), r, &s).ok());
  }
  auto start = std::chrono::steady_clock::now();
  std::vector<std::future<grpc::Status>> results;
  for (int i = 0; i < calls; ++i) {
    results.push_back(std::async(std::launch::async, [&] {
      auto context = ContextWith({{"x-accord-testing-delay-ms", std::to_string(delay_ms)}});
      accord::v1::GetCatalogStatusRequest r;
      accord::v1::CatalogStatus s;
      return stub->GetCatalogStatus(context.get(), r, &s);
    }));
  }
  for (auto& r : results) EXPECT_TRUE(r.get().ok());
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(TransportLimitsTest, MaxConcurrentStreamsPerConnection) {
  ServerProcess server(TestingServerBinary());
  ASSERT_TRUE(server.Start({"--catalog=" + BundledCatalog(), "--max_concurrent_streams=4"}))
      << server.log();
  // Four fit at once; a fifth waits for a free stream (the client queues it).
  EXPECT_LT(SecondsForConcurrentSlowCalls(server.address(), 4, 1000), 1.8);
  EXPECT_GE(SecondsForConcurrentSlowCalls(server.address(), 5, 1000), 1.9);
}

// Whether an idle channel pinging every `ping_ms` is sent away (GOAWAY
// too_many_pings closes the connection, so the channel leaves READY)
// within `watch_ms`.
bool PingingClientIsSentAway(const std::string& address, int ping_ms, int watch_ms) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, ping_ms);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  auto channel = grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
  EXPECT_TRUE(
      channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5)));
  return channel->WaitForStateChange(
      GRPC_CHANNEL_READY, std::chrono::system_clock::now() + std::chrono::milliseconds(watch_ms));
}

TEST(TransportLimitsTest, KeepaliveEnforcement) {
  ServerProcess server;
  ASSERT_TRUE(server.Start(
      {"--catalog=" + BundledCatalog(), "--min_ping_interval=1s", "--max_ping_strikes=2"}))
      << server.log();
  // Just under: a ping every 1.2 s against a 1 s minimum is fine.
  EXPECT_FALSE(PingingClientIsSentAway(server.address(), 1200, 4000));
  // Just over: a ping every 200 ms earns strikes and a GOAWAY.
  EXPECT_TRUE(PingingClientIsSentAway(server.address(), 200, 4000));
}

int ConnectRaw(const std::string& address) {
  std::vector<std::string> parts = absl::StrSplit(address, ':');
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(std::stoi(parts[1])));
  inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// True if the server closed `fd` within `ms` (read returns 0 or an error).
bool ClosedWithin(int fd, int ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  char buf[1024];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) > 0) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return true;  // EOF or reset
    }
  }
  return false;
}

TEST(TransportLimitsTest, HandshakeTimeout) {
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--catalog=" + BundledCatalog(), "--handshake_timeout=1s"}))
      << server.log();
  // Just under: a client that sends the HTTP/2 preface and SETTINGS at
  // 300 ms keeps its connection.
  int good = ConnectRaw(server.address());
  ASSERT_GE(good, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  static const char kPreface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  static const unsigned char kSettings[] = {0, 0, 0, 4, 0, 0, 0, 0, 0};
  ASSERT_GT(send(good, kPreface, sizeof kPreface - 1, 0), 0);
  ASSERT_GT(send(good, kSettings, sizeof kSettings, 0), 0);
  // Just over: a silent connection is closed once the timeout passes.
  int silent = ConnectRaw(server.address());
  ASSERT_GE(silent, 0);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(ClosedWithin(silent, 4000));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(700));
  EXPECT_FALSE(ClosedWithin(good, 1500));
  close(good);
  close(silent);
}

TEST(TransportLimitsTest, NoPortSharing) {
  ServerProcess first;
  ASSERT_TRUE(first.Start({"--catalog=" + BundledCatalog()})) << first.log();
  ServerProcess second;
  EXPECT_FALSE(second.Start({"--catalog=" + BundledCatalog(), "--listen=" + first.address()}, 10));
  EXPECT_NE(second.log().find("cannot listen"), std::string::npos) << second.log();
  // The first one still serves.
  EXPECT_EQ(HealthOf(InsecureChannel(first.address()), ""), 1);
}

TEST(TransportLimitsTest, ClientDeadlinesAreHonouredAndAbandonedWorkStops) {
  ServerProcess server(TestingServerBinary());
  ASSERT_TRUE(server.Start({"--catalog=" + BundledCatalog()})) << server.log();
  auto stub = StubOn(InsecureChannel(server.address()));
  accord::v1::GetCatalogStatusRequest r;
  accord::v1::CatalogStatus s;
  // Under: the work fits in the deadline.
  auto context = ContextWith({{"x-accord-testing-delay-ms", "100"}}, std::chrono::seconds(3));
  EXPECT_TRUE(stub->GetCatalogStatus(context.get(), r, &s).ok());
  // Over: the client gives up at 300 ms; the server notices and stops.
  auto start = std::chrono::steady_clock::now();
  context = ContextWith({{"x-accord-testing-delay-ms", "20000"}}, std::chrono::milliseconds(300));
  EXPECT_EQ(stub->GetCatalogStatus(context.get(), r, &s).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(server.WaitForLog("cancelled by its client", 5)) << server.log();
}

}  // namespace
}  // namespace accord::testing
