#include "service/catalog/dates.h"

#include <tuple>

#include "absl/strings/str_cat.h"

namespace accord::catalog {
namespace {

// Days in `month` (1-12) of `year`, or 0 for another month.
int DaysInMonth(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

bool IsEmptyDate(const accord::v1::Date& date) {
  return date.year() == 0 && date.month() == 0 && date.day() == 0;
}

absl::Status ValidateDate(const accord::v1::Date& date) {
  if (IsEmptyDate(date)) return absl::OkStatus();
  if (date.year() < 1 || date.year() > 9999) {
    return absl::InvalidArgumentError(
        absl::StrCat("year ", date.year(), " is out of range 1-9999"));
  }
  if (date.month() < 0 || date.month() > 12) {
    return absl::InvalidArgumentError(
        absl::StrCat("month ", date.month(), " is out of range 1-12"));
  }
  if (date.day() != 0 && date.month() == 0) {
    return absl::InvalidArgumentError("a day is given without a month");
  }
  if (date.day() < 0 || date.day() > DaysInMonth(date.year(), date.month())) {
    return absl::InvalidArgumentError(
        absl::StrCat("day ", date.day(), " is not valid in ", date.year(), "-", date.month()));
  }
  return absl::OkStatus();
}

accord::v1::Date::Precision PrecisionOf(const accord::v1::Date& date) {
  if (date.day() != 0) return accord::v1::Date::DAY;
  if (date.month() != 0) return accord::v1::Date::MONTH;
  if (date.year() != 0) return accord::v1::Date::YEAR;
  return accord::v1::Date::PRECISION_UNSPECIFIED;
}

int CompareDates(const accord::v1::Date& a, const accord::v1::Date& b) {
  auto key = [](const accord::v1::Date& d) {
    return std::make_tuple(d.year(), d.month() == 0 ? 1 : d.month(), d.day() == 0 ? 1 : d.day(),
                           static_cast<int>(PrecisionOf(d)));
  };
  auto ka = key(a), kb = key(b);
  return ka < kb ? -1 : (kb < ka ? 1 : 0);
}

}  // namespace accord::catalog
