#include "service/server/call_observer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace accord::server {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(AccessLogFields, NamesMethodCodeDurationPeerAndTraceId) {
  EXPECT_THAT(AccessLogFields("/accord.v1.AccordService/GetAgreement", grpc::StatusCode::NOT_FOUND,
                              absl::Microseconds(1234), "ipv4:127.0.0.1:5000",
                              "4bf92f3577b34da6a3ce929d0e0e4736"),
              ElementsAre(Pair("method", "/accord.v1.AccordService/GetAgreement"),
                          Pair("code", "NOT_FOUND"), Pair("duration_ms", "1.234"),
                          Pair("peer", "ipv4:127.0.0.1:5000"),
                          Pair("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")));
}

TEST(AccessLogFields, LeavesOutAnAbsentTraceId) {
  EXPECT_THAT(AccessLogFields("/m/x", grpc::StatusCode::OK, absl::ZeroDuration(), "p", ""),
              ElementsAre(Pair("method", "/m/x"), Pair("code", "OK"), Pair("duration_ms", "0.000"),
                          Pair("peer", "p")));
}

}  // namespace
}  // namespace accord::server
