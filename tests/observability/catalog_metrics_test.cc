#include "service/server/catalog_metrics.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/text_serializer.h"

namespace accord::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

accord::v1::CatalogStatus Serving() {
  accord::v1::CatalogStatus status;
  status.set_directory("/catalogue");
  status.set_version("29a542f4b7a5e3fe");
  status.mutable_load_time()->set_seconds(1700000000);
  status.mutable_load_time()->set_nanos(500000000);
  status.set_load_duration_ms(15);
  (*status.mutable_record_counts())["countries"] = 3;
  (*status.mutable_record_counts())["agreements"] = 6;
  status.mutable_last_attempt_time()->set_seconds(1700000100);
  status.set_reload_count(4);
  status.set_failed_reload_count(1);
  return status;
}

TEST(CatalogFamilies, ReportsWhatIsServingAndHowReloadsWent) {
  CatalogCollector collector([] { return Serving(); });
  std::string text = prometheus::TextSerializer().Serialize(collector.Collect());
  EXPECT_THAT(text, HasSubstr("accord_catalog_info{directory=\"/catalogue\",version="
                              "\"29a542f4b7a5e3fe\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("accord_catalog_records{collection=\"agreements\"} 6\n"
                              "accord_catalog_records{collection=\"countries\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("accord_catalog_load_duration_seconds 0.015\n"));
  EXPECT_THAT(text, HasSubstr("accord_catalog_last_load_timestamp_seconds 1700000000.5\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE accord_catalog_reloads_total counter\n"
                              "accord_catalog_reloads_total{result=\"failure\"} 1\n"
                              "accord_catalog_reloads_total{result=\"success\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("accord_catalog_last_reload_attempt_timestamp_seconds 1700000100\n"));
}

TEST(CatalogFamilies, BeforeAGoodLoadOnlyReloadCountsAreReported) {
  accord::v1::CatalogStatus status;
  status.set_failed_reload_count(2);
  std::string text = prometheus::TextSerializer().Serialize(CatalogFamilies(status));
  EXPECT_THAT(text, Not(HasSubstr("accord_catalog_info")));
  EXPECT_THAT(text, Not(HasSubstr("accord_catalog_last_load_timestamp_seconds")));
  EXPECT_THAT(text, HasSubstr("accord_catalog_reloads_total{result=\"failure\"} 2\n"));
}

}  // namespace
}  // namespace accord::server
