// Parses AIP-160 filter strings into a ParsedExpr tree.
//
// The grammar (https://google.aip.dev/160):
//
//   filter      = [expression]
//   expression  = sequence {"AND" sequence}
//   sequence    = factor {factor}            (adjacent factors are ANDed)
//   factor      = term {"OR" term}           (OR binds tighter than AND)
//   term        = ["NOT" | "-"] simple
//   simple      = restriction | "(" expression ")"
//   restriction = member [comparator arg]
//   member      = value {"." field}
//   comparator  = "=" | "!=" | "<" | "<=" | ">" | ">=" | ":"
//   arg         = value {"." value}        (a literal; "-" may prefix a number)
//   value       = TEXT | STRING
//   field       = value | "AND" | "OR" | "NOT"
//
// Function calls (`name(...)`) and parenthesised arguments (`a = (1 OR 2)`)
// are rejected with FILTER_SYNTAX.
#ifndef ACCORD_SERVICE_QUERY_PARSER_H_
#define ACCORD_SERVICE_QUERY_PARSER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/query/ast.h"

namespace accord::query {

// Parses `filter`. The empty (or all-whitespace) filter yields a kAnd node
// with no children. Never recurses deeper than kMaxNestingDepth levels and
// never reads out of bounds, whatever the input. Errors are InvalidArgument
// (see errors.h) with reason FILTER_SYNTAX, or FILTER_TOO_COMPLEX for input
// longer than kMaxFilterLength, nesting deeper than kMaxNestingDepth or more
// than kMaxRestrictions restrictions. The message starts with the offset,
// e.g. "offset 4: expected a value after '=', found end of input".
absl::StatusOr<ParsedExpr> ParseFilter(absl::string_view filter);

// A compact rendering for tests and logs, e.g.
// `(AND kind=TREATY (OR a:x (NOT b!="y")))`; quoted args are shown quoted,
// bare restrictions as just the path.
std::string DebugString(const ParsedExpr& expr);

}  // namespace accord::query

#endif  // ACCORD_SERVICE_QUERY_PARSER_H_
