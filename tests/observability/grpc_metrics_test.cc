#include "service/server/grpc_metrics.h"

#include <sstream>
#include <string>

#include "accord/v1/accord_service.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/text_serializer.h"

namespace accord::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Type = grpc::experimental::ServerRpcInfo::Type;

std::string Exposition(prometheus::Registry& registry) {
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

constexpr char kGet[] =
    "grpc_method=\"GetAgreement\",grpc_service=\"accord.v1.AccordService\",grpc_type=\"unary\"";

TEST(GrpcCodeName, UsesTheGoNamesDashboardsExpect) {
  EXPECT_EQ(GrpcCodeName(grpc::StatusCode::OK), "OK");
  EXPECT_EQ(GrpcCodeName(grpc::StatusCode::CANCELLED), "Canceled");
  EXPECT_EQ(GrpcCodeName(grpc::StatusCode::INVALID_ARGUMENT), "InvalidArgument");
  EXPECT_EQ(GrpcCodeName(grpc::StatusCode::NOT_FOUND), "NotFound");
  EXPECT_EQ(GrpcCodeName(grpc::StatusCode::RESOURCE_EXHAUSTED), "ResourceExhausted");
  EXPECT_EQ(GrpcCodeName(grpc::StatusCode::UNAUTHENTICATED), "Unauthenticated");
  EXPECT_EQ(GrpcCodeName(static_cast<grpc::StatusCode>(99)), "Unknown");
}

TEST(GrpcTypeName, NamesEachCallType) {
  EXPECT_EQ(GrpcTypeName(Type::UNARY), "unary");
  EXPECT_EQ(GrpcTypeName(Type::CLIENT_STREAMING), "client_stream");
  EXPECT_EQ(GrpcTypeName(Type::SERVER_STREAMING), "server_stream");
  EXPECT_EQ(GrpcTypeName(Type::BIDI_STREAMING), "bidi_stream");
}

TEST(GrpcServerMetrics, KnownServicesHaveZeroSeriesBeforeAnyCall) {
  // Links the generated descriptors of the service into the test.
  ASSERT_NE(accord::v1::GetAgreementRequest::descriptor(), nullptr);
  prometheus::Registry registry;
  GrpcServerMetrics metrics(registry, {"accord.v1.AccordService"});
  std::string text = Exposition(registry);
  EXPECT_THAT(text, HasSubstr(absl::StrCat("grpc_server_started_total{", kGet, "} 0\n")));
  EXPECT_THAT(text, HasSubstr("grpc_method=\"ListCommitments\""));
  EXPECT_THAT(text, Not(HasSubstr("grpc_server_handled_total{")));
}

TEST(GrpcServerMetrics, CountsStartedHandledByCodeAndLatency) {
  prometheus::Registry registry;
  GrpcServerMetrics metrics(registry, {"accord.v1.AccordService"});
  MethodMetrics* get = metrics.ForMethod("/accord.v1.AccordService/GetAgreement", Type::UNARY);
  EXPECT_EQ(get, metrics.ForMethod("/accord.v1.AccordService/GetAgreement", Type::UNARY));
  for (int i = 0; i < 3; ++i) get->Started();
  get->Handled(grpc::StatusCode::OK, absl::Microseconds(50));
  get->Handled(grpc::StatusCode::NOT_FOUND, absl::Milliseconds(2));
  get->Handled(grpc::StatusCode::NOT_FOUND, absl::Milliseconds(3));
  std::string text = Exposition(registry);
  EXPECT_THAT(text, HasSubstr(absl::StrCat("grpc_server_started_total{", kGet, "} 3\n")));
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total{grpc_code=\"OK\",grpc_method="
                              "\"GetAgreement\",grpc_service=\"accord.v1.AccordService\","
                              "grpc_type=\"unary\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total{grpc_code=\"NotFound\",grpc_method="
                              "\"GetAgreement\",grpc_service=\"accord.v1.AccordService\","
                              "grpc_type=\"unary\"} 2\n"));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("grpc_server_handling_seconds_count{", kGet, "} 3\n")));
  // 50 us falls in the 0.0001 bucket; 2 ms and 3 ms in 0.0025 and 0.005.
  EXPECT_THAT(text, HasSubstr(absl::StrCat("grpc_server_handling_seconds_bucket{", kGet,
                                           ",le=\"0.0001\"} 1\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("grpc_server_handling_seconds_bucket{", kGet,
                                           ",le=\"0.0025\"} 2\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("grpc_server_handling_seconds_bucket{", kGet,
                                           ",le=\"0.005\"} 3\n")));
}

TEST(GrpcServerMetrics, OtherMethodsGetSeriesOnFirstUse) {
  prometheus::Registry registry;
  GrpcServerMetrics metrics(registry, {});
  MethodMetrics* watch = metrics.ForMethod("/grpc.health.v1.Health/Watch", Type::SERVER_STREAMING);
  watch->Started();
  watch->Handled(grpc::StatusCode::CANCELLED, absl::Seconds(1));
  std::string text = Exposition(registry);
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total{grpc_code=\"Canceled\",grpc_method="
                              "\"Watch\",grpc_service=\"grpc.health.v1.Health\",grpc_type="
                              "\"server_stream\"} 1\n"));
}

}  // namespace
}  // namespace accord::server
