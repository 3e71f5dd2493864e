// AIP-132 order_by: parsing "field [asc|desc], ..." and comparing records.
#ifndef ACCORD_SERVICE_QUERY_ORDER_BY_H_
#define ACCORD_SERVICE_QUERY_ORDER_BY_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "service/query/schema.h"

namespace accord::query {

// One sort key.
struct OrderKey {
  const Field* field = nullptr;  // a non-repeated field of the schema
  bool desc = false;
};

// Parses `order_by`: comma-separated keys, each a field path (or alias)
// optionally followed by `asc` or `desc` (any letter case), with any
// whitespace around names and commas. "" (or all whitespace) yields no keys.
// Errors are InvalidArgument with payloads "accord.order_by.reason" =
// "INVALID_ORDER_BY" and "accord.order_by.offset" (see errors.h), for: input
// longer than kMaxOrderByLength, invalid UTF-8, more than kMaxOrderByKeys
// keys, an empty key ("a,,b", trailing comma), a bad character in a path, a
// word other than asc/desc after a path, an unknown field (named, with the
// closest known one), a repeated field, or a field given twice.
absl::StatusOr<std::vector<OrderKey>> ParseOrderBy(absl::string_view order_by,
                                                   const Schema& schema);

// Compares `a` and `b` by `keys` in turn: negative when `a` sorts first,
// positive when `b` does, 0 when they tie on every key (the caller breaks
// ties, by resource name). Strings compare bytewise, enums by number,
// false before true, dates by first day then last day with empty dates
// first. A field with no value (an unset `optional`) sorts before any
// value. `desc` reverses a key. Both records must be of the schema's type.
int CompareForOrder(const std::vector<OrderKey>& keys, const google::protobuf::Message& a,
                    const google::protobuf::Message& b);

}  // namespace accord::query

#endif  // ACCORD_SERVICE_QUERY_ORDER_BY_H_
