#include "service/query/parser.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/query/errors.h"
#include "service/query/lexer.h"
#include "service/query/limits.h"

namespace accord::query {

const char* ComparatorSpelling(Comparator op) {
  switch (op) {
    case Comparator::kEq:
      return "=";
    case Comparator::kNe:
      return "!=";
    case Comparator::kLt:
      return "<";
    case Comparator::kLe:
      return "<=";
    case Comparator::kGt:
      return ">";
    case Comparator::kGe:
      return ">=";
    case Comparator::kHas:
      return ":";
  }
  return "?";
}

namespace {

bool ToComparator(TokenKind kind, Comparator* op) {
  switch (kind) {
    case TokenKind::kEq:
      *op = Comparator::kEq;
      return true;
    case TokenKind::kNe:
      *op = Comparator::kNe;
      return true;
    case TokenKind::kLt:
      *op = Comparator::kLt;
      return true;
    case TokenKind::kLe:
      *op = Comparator::kLe;
      return true;
    case TokenKind::kGt:
      *op = Comparator::kGt;
      return true;
    case TokenKind::kGe:
      *op = Comparator::kGe;
      return true;
    case TokenKind::kHas:
      *op = Comparator::kHas;
      return true;
    default:
      return false;
  }
}

bool StartsTerm(TokenKind kind) {
  return kind == TokenKind::kText || kind == TokenKind::kString || kind == TokenKind::kLParen ||
         kind == TokenKind::kNot || kind == TokenKind::kMinus;
}

bool IsValue(TokenKind kind) { return kind == TokenKind::kText || kind == TokenKind::kString; }

// Recursive descent over the token list. Recursion happens only through
// ParseSimple -> ParseExpression (for "(") and ParseTerm -> ParseSimple
// (for NOT), both of which count `depth` against kMaxNestingDepth.
class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  absl::StatusOr<ParsedExpr> ParseFilter() {
    if (Peek().kind == TokenKind::kEnd) return ParsedExpr{};
    absl::StatusOr<ParsedExpr> expr = ParseExpression(0);
    if (!expr.ok()) return expr.status();
    const Token& t = Peek();
    if (t.kind != TokenKind::kEnd) {
      if (t.kind == TokenKind::kRParen) return Syntax(t.offset, "unmatched ')'");
      if (t.kind == TokenKind::kComma) {
        return Syntax(t.offset,
                      "unexpected ','; commas only separate function arguments, "
                      "and functions are not supported");
      }
      Comparator op;
      if (ToComparator(t.kind, &op)) {
        return Syntax(t.offset, absl::StrCat("unexpected '", ComparatorSpelling(op),
                                             "': a restriction has one comparator; combine "
                                             "comparisons with AND or OR"));
      }
      return Syntax(t.offset, absl::StrCat("unexpected ", DescribeToken(t)));
    }
    return expr;
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    const size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  const Token& Next() {
    const Token& t = Peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  const Token* Previous() const { return pos_ == 0 ? nullptr : &tokens_[pos_ - 1]; }

  static absl::Status Syntax(size_t offset, absl::string_view message) {
    return FilterError(FilterReason::kSyntax, offset, message);
  }

  absl::Status Expected(absl::string_view what) const {
    const Token& t = Peek();
    const Token* prev = Previous();
    std::string message = absl::StrCat("expected ", what);
    if (prev != nullptr) absl::StrAppend(&message, " after ", DescribeToken(*prev));
    absl::StrAppend(&message, ", found ", DescribeToken(t));
    return Syntax(t.offset, message);
  }

  static ParsedExpr Combine(ParsedExpr::Kind kind, std::vector<ParsedExpr> items) {
    if (items.size() == 1) return std::move(items.front());
    ParsedExpr node;
    node.kind = kind;
    node.offset = items.front().offset;
    node.children = std::move(items);
    return node;
  }

  absl::StatusOr<ParsedExpr> ParseExpression(int depth) {
    std::vector<ParsedExpr> factors;
    while (true) {
      // sequence = factor {factor}
      do {
        absl::StatusOr<ParsedExpr> factor = ParseFactor(depth);
        if (!factor.ok()) return factor.status();
        factors.push_back(*std::move(factor));
      } while (StartsTerm(Peek().kind));
      if (Peek().kind != TokenKind::kAnd) break;
      Next();
    }
    return Combine(ParsedExpr::Kind::kAnd, std::move(factors));
  }

  absl::StatusOr<ParsedExpr> ParseFactor(int depth) {
    std::vector<ParsedExpr> terms;
    while (true) {
      absl::StatusOr<ParsedExpr> term = ParseTerm(depth);
      if (!term.ok()) return term.status();
      terms.push_back(*std::move(term));
      if (Peek().kind != TokenKind::kOr) break;
      Next();
    }
    return Combine(ParsedExpr::Kind::kOr, std::move(terms));
  }

  absl::StatusOr<ParsedExpr> ParseTerm(int depth) {
    const Token& t = Peek();
    if (t.kind != TokenKind::kNot && t.kind != TokenKind::kMinus) return ParseSimple(depth);
    const size_t offset = t.offset;
    if (depth + 1 > kMaxNestingDepth) return TooDeep(offset);
    Next();
    absl::StatusOr<ParsedExpr> operand = ParseSimple(depth + 1);
    if (!operand.ok()) return operand.status();
    ParsedExpr node;
    node.kind = ParsedExpr::Kind::kNot;
    node.offset = offset;
    node.children.push_back(*std::move(operand));
    return node;
  }

  absl::StatusOr<ParsedExpr> ParseSimple(int depth) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kLParen) {
      const size_t open = t.offset;
      if (depth + 1 > kMaxNestingDepth) return TooDeep(open);
      Next();
      absl::StatusOr<ParsedExpr> inner = ParseExpression(depth + 1);
      if (!inner.ok()) return inner.status();
      if (Peek().kind != TokenKind::kRParen) {
        return Expected(absl::StrCat("')' to close the '(' at offset ", open));
      }
      Next();
      return inner;
    }
    if (IsValue(t.kind)) return ParseRestriction();
    return Expected("a restriction (e.g. kind = TREATY) or '('");
  }

  absl::Status TooDeep(size_t offset) const {
    return FilterError(FilterReason::kTooComplex, offset,
                       absl::StrCat("the filter nests parentheses and NOT more than ",
                                    kMaxNestingDepth, " levels deep"));
  }

  // True when the next token is "(" right after the previous token with no
  // space between: a function call.
  bool AtCallParen() const {
    const Token* prev = Previous();
    return Peek().kind == TokenKind::kLParen && prev != nullptr && prev->end == Peek().offset;
  }

  absl::StatusOr<ParsedExpr> ParseRestriction() {
    ParsedExpr node;
    node.kind = ParsedExpr::Kind::kRestriction;
    node.offset = Peek().offset;
    if (++restrictions_ > kMaxRestrictions) {
      return FilterError(
          FilterReason::kTooComplex, node.offset,
          absl::StrCat("the filter has more than ", kMaxRestrictions, " restrictions"));
    }
    node.path.push_back(UnescapeLiteral(Next().value));
    while (Peek().kind == TokenKind::kDot) {
      Next();
      const Token& f = Peek();
      if (IsValue(f.kind)) {
        node.path.push_back(UnescapeLiteral(f.value));
      } else if (f.kind == TokenKind::kAnd || f.kind == TokenKind::kOr ||
                 f.kind == TokenKind::kNot) {
        node.path.emplace_back(TokenSpelling(f.kind));
      } else {
        return Expected("a field name");
      }
      Next();
    }
    if (AtCallParen()) {
      return Syntax(node.offset, absl::StrCat("function calls are not supported: ",
                                              QuoteForError(absl::StrJoin(node.path, ".")),
                                              " is followed by '('"));
    }
    Comparator op;
    if (!ToComparator(Peek().kind, &op)) return node;  // a bare value
    node.has_op = true;
    node.op = op;
    node.op_offset = Next().offset;

    const Token& a = Peek();
    node.arg_offset = a.offset;
    if (a.kind == TokenKind::kMinus && Peek(1).kind == TokenKind::kText &&
        Peek(1).offset == a.end) {
      Next();
      node.arg = absl::StrCat("-", Next().value);
    } else if (IsValue(a.kind)) {
      node.arg_quoted = a.kind == TokenKind::kString;
      node.arg = Next().value;
    } else if (a.kind == TokenKind::kLParen) {
      return Syntax(a.offset,
                    absl::StrCat("parenthesised values are not supported after '",
                                 ComparatorSpelling(op), "'; write each comparison out, e.g. ",
                                 "kind = TREATY OR kind = JOINT_STATEMENT"));
    } else {
      return Expected("a value");
    }
    while (Peek().kind == TokenKind::kDot) {
      Next();
      if (!IsValue(Peek().kind)) return Expected("a value");
      absl::StrAppend(&node.arg, ".", Next().value);
    }
    if (AtCallParen()) {
      return Syntax(node.arg_offset, "function calls are not supported");
    }
    return node;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int restrictions_ = 0;
};

void AppendDebug(const ParsedExpr& expr, std::string* out) {
  switch (expr.kind) {
    case ParsedExpr::Kind::kAnd:
    case ParsedExpr::Kind::kOr:
    case ParsedExpr::Kind::kNot:
      out->append(expr.kind == ParsedExpr::Kind::kAnd  ? "(AND"
                  : expr.kind == ParsedExpr::Kind::kOr ? "(OR"
                                                       : "(NOT");
      for (const ParsedExpr& child : expr.children) {
        out->push_back(' ');
        AppendDebug(child, out);
      }
      out->push_back(')');
      return;
    case ParsedExpr::Kind::kRestriction:
      out->append(absl::StrJoin(expr.path, "."));
      if (expr.has_op) {
        out->append(ComparatorSpelling(expr.op));
        if (expr.arg_quoted) {
          absl::StrAppend(out, "\"", expr.arg, "\"");
        } else {
          out->append(expr.arg);
        }
      }
      return;
  }
}

}  // namespace

absl::StatusOr<ParsedExpr> ParseFilter(absl::string_view filter) {
  absl::StatusOr<std::vector<Token>> tokens = Lex(filter);
  if (!tokens.ok()) return tokens.status();
  return Parser(*std::move(tokens)).ParseFilter();
}

std::string DebugString(const ParsedExpr& expr) {
  std::string out;
  AppendDebug(expr, &out);
  return out;
}

}  // namespace accord::query
