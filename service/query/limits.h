// Limits on the size and shape of filters and orderings, so that a request
// can never make the server do unbounded work or recurse without bound.
#ifndef ACCORD_SERVICE_QUERY_LIMITS_H_
#define ACCORD_SERVICE_QUERY_LIMITS_H_

#include <cstddef>

namespace accord::query {

// Longest filter string accepted, in bytes.
inline constexpr size_t kMaxFilterLength = 4096;
// Deepest nesting of parentheses and NOT/- accepted in a filter.
inline constexpr int kMaxNestingDepth = 32;
// Most restrictions (comparisons such as `kind = TREATY`) in one filter.
inline constexpr int kMaxRestrictions = 200;

// Longest order_by string accepted, in bytes.
inline constexpr size_t kMaxOrderByLength = 1024;
// Most sort keys in one order_by.
inline constexpr int kMaxOrderByKeys = 8;

}  // namespace accord::query

#endif  // ACCORD_SERVICE_QUERY_LIMITS_H_
