// Dates in filters and records, as intervals of days (see DateRange).
#ifndef ACCORD_SERVICE_QUERY_DATE_LITERAL_H_
#define ACCORD_SERVICE_QUERY_DATE_LITERAL_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "accord/v1/common.pb.h"
#include "service/query/value.h"

namespace accord::query {

// True for Gregorian leap years.
bool IsLeapYear(int year);
// Days in `month` (1-12) of `year`; 0 when month is out of range.
int DaysInMonth(int year, int month);

// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (exactly 4, 2 and 2 digits; year
// 0001-9999, month 01-12, day valid for the month, leap years included)
// into the days it spans: "2024-02" is {20240201, 20240229}. On bad input
// returns InvalidArgument whose message says what is wrong, without an
// offset (callers add one).
absl::StatusOr<DateRange> ParseDateLiteral(absl::string_view text);

// The days a record's date spans, from its parts as accord.v1.Date holds
// them: year only -> the whole year; year and month -> the whole month;
// all three -> that day. Returns the empty range when year is not in
// 1..9999. A month outside 1..12 is treated as unknown (whole year), a day
// invalid for the month as unknown (whole month). Never fails.
DateRange DateRangeFromParts(int year, int month, int day);

// DateRangeFromParts(date.year(), date.month(), date.day()). The
// `precision` field is ignored: it is derived from the parts.
DateRange DateRangeFromProto(const accord::v1::Date& date);

}  // namespace accord::query

#endif  // ACCORD_SERVICE_QUERY_DATE_LITERAL_H_
