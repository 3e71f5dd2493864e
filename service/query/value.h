// Typed values that filters compare and orderings sort.
#ifndef ACCORD_SERVICE_QUERY_VALUE_H_
#define ACCORD_SERVICE_QUERY_VALUE_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace accord::query {

// The type of a filterable field, as the checker sees it.
enum class Type {
  kString,  // string fields, including resource-name references
  kEnum,    // enum fields; filters name the value ("TRADE_AGREEMENT")
  kBool,    // bool fields; filters say true or false
  kInt,     // integer fields
  kDate,    // accord.v1.Date fields; filters say "YYYY", "YYYY-MM" or "YYYY-MM-DD"
};

// A date as the closed interval of days it may denote, each day written as
// the integer yyyymmdd. "2025-10" is {20251001, 20251031}; "2025-10-26" is
// {20251026, 20251026}. An empty date is {0, 0}.
struct DateRange {
  int32_t first = 0;
  int32_t last = 0;
  bool empty() const { return first == 0; }
};

// One value of a field in one record. Which member is meaningful depends on
// `type`: `str` for kString, `num` for kEnum (the enum number), kBool (0 or
// 1) and kInt, `date` for kDate. `str` views memory owned by the record,
// which lives as long as the catalogue snapshot that holds it.
struct Value {
  Type type = Type::kString;
  absl::string_view str;
  int64_t num = 0;
  DateRange date;
};

}  // namespace accord::query

#endif  // ACCORD_SERVICE_QUERY_VALUE_H_
