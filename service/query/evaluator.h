// Runs a CheckedExpr against one record.
#ifndef ACCORD_SERVICE_QUERY_EVALUATOR_H_
#define ACCORD_SERVICE_QUERY_EVALUATOR_H_

#include "google/protobuf/message.h"
#include "service/query/checker.h"
#include "service/query/value.h"

namespace accord::query {

// True when `record` satisfies `expr` (semantics in checker.h). `record`
// must be of the message type the schema behind `expr` was built for.
// A plain tree walk; thread-safe; allocation-free after the first calls on
// a thread (field values are gathered into a reused thread_local buffer).
bool Matches(const CheckedExpr& expr, const google::protobuf::Message& record);

// True when `record` satisfies the single restriction `r`.
bool MatchesRestriction(const Restriction& r, const google::protobuf::Message& record);

// The per-value test behind a restriction: whether the one value `v` of
// r.field satisfies `r` positively. For = : < <= > >= that is the
// comparison itself; for != it is whether `v` EQUALS the literal (a record
// satisfies != when no value does); for has-any whether `v` counts as
// present. A restriction holds for a record with values V iff
//   op != kNe:  some v in V has ValueMatches(r, v)
//   op == kNe:  no v in V has ValueMatches(r, v)
// Exposed for index builders that test values one by one.
bool ValueMatches(const Restriction& r, const Value& v);

// Date interval comparisons, true only when certain for every day the
// record's date `v` may denote (empty `v` satisfies none of them):
//   DateEq: L.first <= v.first && v.last <= L.last
//   DateLt: v.last < L.first      DateLe: v.last <= L.last
//   DateGt: v.first > L.last      DateGe: v.first >= L.first
bool DateSatisfies(Comparator op, const DateRange& v, const DateRange& literal);

}  // namespace accord::query

#endif  // ACCORD_SERVICE_QUERY_EVALUATOR_H_
