#include "service/query/date_literal.h"

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/query/errors.h"

namespace accord::query {
namespace {

// Parses exactly `text.size()` ASCII digits; false if any isn't a digit.
bool ParseDigits(absl::string_view text, int* out) {
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

int32_t Pack(int year, int month, int day) { return year * 10000 + month * 100 + day; }

absl::Status BadDate(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat(QuoteForError(text), " is not a valid date: ", why,
                   "; write \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\", e.g. \"2025-10-26\""));
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

absl::StatusOr<DateRange> ParseDateLiteral(absl::string_view text) {
  if (text.size() != 4 && text.size() != 7 && text.size() != 10) {
    return BadDate(text, "wrong length");
  }
  int year = 0;
  if (!ParseDigits(text.substr(0, 4), &year)) return BadDate(text, "the year must be 4 digits");
  if (year < 1) return BadDate(text, "the year must be 0001 to 9999");
  if (text.size() == 4) return DateRange{Pack(year, 1, 1), Pack(year, 12, 31)};

  int month = 0;
  if (text[4] != '-' || !ParseDigits(text.substr(5, 2), &month)) {
    return BadDate(text, "the month must be 2 digits after '-'");
  }
  if (month < 1 || month > 12) return BadDate(text, "the month must be 01 to 12");
  const int days = DaysInMonth(year, month);
  if (text.size() == 7) return DateRange{Pack(year, month, 1), Pack(year, month, days)};

  int day = 0;
  if (text[7] != '-' || !ParseDigits(text.substr(8, 2), &day)) {
    return BadDate(text, "the day must be 2 digits after '-'");
  }
  if (day < 1 || day > days) {
    return BadDate(text, absl::StrCat("the day must be 01 to ", days, " for that month"));
  }
  return DateRange{Pack(year, month, day), Pack(year, month, day)};
}

DateRange DateRangeFromParts(int year, int month, int day) {
  if (year < 1 || year > 9999) return DateRange{};
  if (month < 1 || month > 12) return DateRange{Pack(year, 1, 1), Pack(year, 12, 31)};
  const int days = DaysInMonth(year, month);
  if (day < 1 || day > days) return DateRange{Pack(year, month, 1), Pack(year, month, days)};
  return DateRange{Pack(year, month, day), Pack(year, month, day)};
}

DateRange DateRangeFromProto(const accord::v1::Date& date) {
  return DateRangeFromParts(date.year(), date.month(), date.day());
}

}  // namespace accord::query
