// Validation of accord.v1.Date values, which may be known only to the year
// or the month.
#ifndef ACCORD_SERVICE_CATALOG_DATES_H_
#define ACCORD_SERVICE_CATALOG_DATES_H_

#include "absl/status/status.h"
#include "accord/v1/common.pb.h"

namespace accord::catalog {

// True if no part of the date is set.
bool IsEmptyDate(const accord::v1::Date& date);

// OK for an empty date or a valid partial date: year 1-9999; month 0-12;
// day 0 or valid for the month; no day without a month; no month or day
// without a year. Otherwise InvalidArgument saying which part is wrong.
absl::Status ValidateDate(const accord::v1::Date& date);

// The precision implied by which parts are set (PRECISION_UNSPECIFIED for an
// empty date).
accord::v1::Date::Precision PrecisionOf(const accord::v1::Date& date);

// Orders dates by the first day they may denote, then by precision, so that
// "2025-10" sorts before "2025-10-01". Returns <0, 0 or >0.
int CompareDates(const accord::v1::Date& a, const accord::v1::Date& b);

}  // namespace accord::catalog

#endif  // ACCORD_SERVICE_CATALOG_DATES_H_
