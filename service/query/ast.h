// The syntax tree of a parsed (not yet type-checked) AIP-160 filter.
#ifndef ACCORD_SERVICE_QUERY_AST_H_
#define ACCORD_SERVICE_QUERY_AST_H_

#include <cstddef>
#include <string>
#include <vector>

namespace accord::query {

// The comparators of AIP-160.
enum class Comparator {
  kEq,   // =
  kNe,   // !=
  kLt,   // <
  kLe,   // <=
  kGt,   // >
  kGe,   // >=
  kHas,  // :
};

// Its spelling, e.g. "<=".
const char* ComparatorSpelling(Comparator op);

// One node of the parsed filter.
//
// kAnd and kOr have two or more children (a chain `a AND b AND c`, or
// adjacent factors `a b c`, is one kAnd with three children). kNot has
// exactly one child. kRestriction has none and uses the restriction fields.
// The empty filter parses to a kAnd with no children, which is true.
struct ParsedExpr {
  enum class Kind { kAnd, kOr, kNot, kRestriction };

  Kind kind = Kind::kAnd;
  // Offset of the node's first token in the filter.
  size_t offset = 0;
  std::vector<ParsedExpr> children;

  // kRestriction only. The member path as written, one element per
  // dot-separated part, unescaped: `events.type` is {"events", "type"}.
  std::vector<std::string> path;
  // False for a bare value with no comparator (free-text search, which
  // the checker rejects); then `op` and `arg*` are meaningless.
  bool has_op = false;
  Comparator op = Comparator::kEq;
  size_t op_offset = 0;
  // The argument after the comparator in the lexer's escaped form (see
  // Token): `\*` and `\\` still escaped. A dotted argument (`1.5`) is joined
  // back with dots; a signed one (`-5`) keeps its sign.
  std::string arg;
  bool arg_quoted = false;  // the argument was (or began with) a quoted string
  size_t arg_offset = 0;
};

}  // namespace accord::query

#endif  // ACCORD_SERVICE_QUERY_AST_H_
