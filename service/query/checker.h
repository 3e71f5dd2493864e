// Type-checks a parsed filter against a Schema, producing the CheckedExpr
// that the evaluator runs and that a query planner may inspect.
#ifndef ACCORD_SERVICE_QUERY_CHECKER_H_
#define ACCORD_SERVICE_QUERY_CHECKER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/query/ast.h"
#include "service/query/pattern.h"
#include "service/query/schema.h"
#include "service/query/value.h"

namespace accord::query {

// The right-hand side of a checked restriction.
struct Literal {
  enum class Kind {
    kValue,    // compare with a typed value (the member for `type`)
    kPattern,  // kString only, op =, != or :, literal had a wildcard
    kHasAny,   // `field:*`: the field has any value (see Field::explicit_presence)
  };
  Kind kind = Kind::kValue;
  Type type = Type::kString;  // the field's type
  std::string str;            // kString value, unescaped ("" is a valid value)
  int64_t num = 0;            // kEnum number, kBool 0 or 1, kInt value
  DateRange date;             // kDate interval
  Pattern pattern;            // kPattern

  // The literal as a Value (for kValue). Its `str` views this Literal's
  // `str`: valid while this Literal lives and is not moved.
  Value AsValue() const;
};

// One comparison `field op literal`.
struct Restriction {
  const Field* field = nullptr;  // owned by the Schema, which must outlive this
  Comparator op = Comparator::kEq;
  Literal literal;
  size_t offset = 0;  // where the restriction starts in the filter
};

// A checked filter: a tree of AND, OR and NOT over restrictions.
//
// kAnd and kOr have zero or more children (kAnd with none is true: the
// empty filter; kOr with none would be false but is never produced). kNot
// has exactly one. kRestriction has none and uses `restriction`.
//
// Meaning of a restriction for a record whose field has values v1..vn
// (n is 0 or 1 for a singular field, except an unset `optional` scalar
// which has none):
//   kHasAny:        some vi is present (see Field::explicit_presence)
//   = and :         some vi equals the literal (or matches the pattern)
//   !=              no vi equals the literal (or matches the pattern)
//   < <= > >=       some vi compares so
// Dates are intervals; see docs/filtering-language.md. An empty date
// satisfies no comparison except via != and NOT.
struct CheckedExpr {
  enum class Kind { kAnd, kOr, kNot, kRestriction };
  Kind kind = Kind::kAnd;
  std::vector<CheckedExpr> children;
  Restriction restriction;
};

// Checks `parsed` against `schema`: resolves every member path with
// Schema::Find and converts every argument to its field's type.
// Errors (InvalidArgument, see errors.h), at the offset of the offending
// path, operator or value:
//   FILTER_SYNTAX   a bare value with no comparator (free-text search)
//   UNKNOWN_FIELD   a path the schema doesn't have; the message names it and
//                   suggests the closest known name or lists the known ones
//   TYPE_MISMATCH   a value that isn't of the field's type (a bad enum
//                   name lists the valid ones; a bad date says why), an
//                   ordered comparison on a bool, a wildcard outside a
//                   string field or with < <= > >=.
// The returned tree points at `schema`'s fields: keep the schema alive.
absl::StatusOr<CheckedExpr> Check(const ParsedExpr& parsed, const Schema& schema);

// ParseFilter then Check: the one call the API layer needs. An empty filter
// yields a kAnd with no children, which matches every record.
absl::StatusOr<CheckedExpr> CompileFilter(absl::string_view filter, const Schema& schema);

// A compact rendering for tests and logs, e.g.
// `(AND kind=1 (OR title="*Trade*" sign_date>=[20250101,20251231]))`:
// enums and bools as numbers, dates as [first,last], patterns and strings
// quoted, has-any as `path:*`.
std::string DebugString(const CheckedExpr& expr);

}  // namespace accord::query

#endif  // ACCORD_SERVICE_QUERY_CHECKER_H_
