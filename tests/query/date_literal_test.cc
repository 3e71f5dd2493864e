#include "service/query/date_literal.h"

#include <gtest/gtest.h>

namespace accord::query {
namespace {

void ExpectRange(absl::string_view text, int32_t first, int32_t last) {
  absl::StatusOr<DateRange> range = ParseDateLiteral(text);
  ASSERT_TRUE(range.ok()) << text << ": " << range.status();
  EXPECT_EQ(range->first, first) << text;
  EXPECT_EQ(range->last, last) << text;
}

TEST(DateLiteralTest, Precisions) {
  ExpectRange("2025", 20250101, 20251231);
  ExpectRange("2025-10", 20251001, 20251031);
  ExpectRange("2025-10-26", 20251026, 20251026);
  ExpectRange("0001", 10101, 11231);
  ExpectRange("9999-12-31", 99991231, 99991231);
}

TEST(DateLiteralTest, MonthLengthsAndLeapYears) {
  ExpectRange("2024-02", 20240201, 20240229);
  ExpectRange("2023-02", 20230201, 20230228);
  ExpectRange("2000-02", 20000201, 20000229);  // divisible by 400
  ExpectRange("1900-02", 19000201, 19000228);  // divisible by 100
  ExpectRange("2025-04", 20250401, 20250430);
  ExpectRange("2024-02-29", 20240229, 20240229);
  EXPECT_EQ(DaysInMonth(2025, 13), 0);
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(2100));
}

TEST(DateLiteralTest, Rejects) {
  for (const char* bad : {"", "25", "20255", "2025-1", "2025-1-01", "2025/10/26", "2025-00",
                          "2025-13", "2025-10-00", "2025-10-32", "2025-02-29", "2025-04-31", "0000",
                          "abcd", "2025-10-26T00", "+025", "2025-1a", "2025 10"}) {
    absl::StatusOr<DateRange> range = ParseDateLiteral(bad);
    EXPECT_FALSE(range.ok()) << bad;
    if (!range.ok()) {
      EXPECT_EQ(range.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
  EXPECT_EQ(ParseDateLiteral("2025-13").status().message(),
            "\"2025-13\" is not a valid date: the month must be 01 to 12; write \"YYYY\", "
            "\"YYYY-MM\" or \"YYYY-MM-DD\", e.g. \"2025-10-26\"");
}

TEST(DateLiteralTest, FromProto) {
  accord::v1::Date date;
  EXPECT_TRUE(DateRangeFromProto(date).empty());
  date.set_year(2025);
  EXPECT_EQ(DateRangeFromProto(date).first, 20250101);
  EXPECT_EQ(DateRangeFromProto(date).last, 20251231);
  date.set_month(10);
  EXPECT_EQ(DateRangeFromProto(date).first, 20251001);
  EXPECT_EQ(DateRangeFromProto(date).last, 20251031);
  date.set_day(26);
  EXPECT_EQ(DateRangeFromProto(date).first, 20251026);
  EXPECT_EQ(DateRangeFromProto(date).last, 20251026);
  // Precision is ignored; bad parts degrade to the known part.
  date.set_precision(accord::v1::Date::YEAR);
  EXPECT_EQ(DateRangeFromProto(date).first, 20251026);
  EXPECT_EQ(DateRangeFromParts(2025, 2, 30).last, 20250228);
  EXPECT_EQ(DateRangeFromParts(2025, 13, 1).first, 20250101);
  EXPECT_TRUE(DateRangeFromParts(0, 1, 1).empty());
  EXPECT_TRUE(DateRangeFromParts(10000, 1, 1).empty());
}

}  // namespace
}  // namespace accord::query
