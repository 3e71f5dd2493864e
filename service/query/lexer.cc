#include "service/query/lexer.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "service/query/errors.h"
#include "service/query/limits.h"

namespace accord::query {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

absl::Status SyntaxError(size_t offset, absl::string_view message) {
  return FilterError(FilterReason::kSyntax, offset, message);
}

// Appends the escape `\c` (the backslash at `at`) to `out` per the Token
// contract: \* and \\ stay escaped, \n \t \r become control characters,
// any other escaped character stands for itself.
void AppendEscape(char c, std::string* out) {
  switch (c) {
    case '*':
    case '\\':
      out->push_back('\\');
      out->push_back(c);
      return;
    case 'n':
      out->push_back('\n');
      return;
    case 't':
      out->push_back('\t');
      return;
    case 'r':
      out->push_back('\r');
      return;
    default:
      out->push_back(c);  // \" \' \. \( and any other: the character itself
      return;
  }
}

}  // namespace

bool IsReservedChar(char c) {
  switch (c) {
    case '(':
    case ')':
    case ',':
    case '.':
    case '<':
    case '>':
    case '=':
    case '!':
    case ':':
    case '"':
    case '\'':
      return true;
    default:
      return false;
  }
}

size_t FindInvalidUtf8(absl::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // no overlongs
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // no overlongs
      if (c == 0xF4) hi = 0x8F;  // <= U+10FFFF
    } else {
      return i;
    }
    if (i + 1 >= n || s[i + 1] < lo || s[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if (i + k >= n || (s[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return absl::string_view::npos;
}

absl::StatusOr<std::vector<Token>> Lex(absl::string_view input) {
  if (input.size() > kMaxFilterLength) {
    return FilterError(FilterReason::kTooComplex, kMaxFilterLength,
                       absl::StrCat("the filter is ", input.size(), " bytes long; the limit is ",
                                    kMaxFilterLength));
  }
  if (size_t bad = FindInvalidUtf8(input); bad != absl::string_view::npos) {
    return SyntaxError(bad, "the filter is not valid UTF-8");
  }
  std::vector<Token> tokens;
  const size_t n = input.size();
  size_t i = 0;
  auto add = [&](TokenKind kind, size_t start, size_t end) {
    Token t;
    t.kind = kind;
    t.offset = start;
    t.end = end;
    tokens.push_back(std::move(t));
  };
  while (i < n) {
    const char c = input[i];
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    const size_t start = i;
    switch (c) {
      case '(':
        add(TokenKind::kLParen, i, i + 1);
        ++i;
        continue;
      case ')':
        add(TokenKind::kRParen, i, i + 1);
        ++i;
        continue;
      case ',':
        add(TokenKind::kComma, i, i + 1);
        ++i;
        continue;
      case '.':
        add(TokenKind::kDot, i, i + 1);
        ++i;
        continue;
      case ':':
        add(TokenKind::kHas, i, i + 1);
        ++i;
        continue;
      case '=':
        add(TokenKind::kEq, i, i + 1);
        ++i;
        continue;
      case '-':
        add(TokenKind::kMinus, i, i + 1);
        ++i;
        continue;
      case '<':
        if (i + 1 < n && input[i + 1] == '=') {
          add(TokenKind::kLe, i, i + 2);
          i += 2;
        } else {
          add(TokenKind::kLt, i, i + 1);
          ++i;
        }
        continue;
      case '>':
        if (i + 1 < n && input[i + 1] == '=') {
          add(TokenKind::kGe, i, i + 2);
          i += 2;
        } else {
          add(TokenKind::kGt, i, i + 1);
          ++i;
        }
        continue;
      case '!':
        if (i + 1 < n && input[i + 1] == '=') {
          add(TokenKind::kNe, i, i + 2);
          i += 2;
          continue;
        }
        return SyntaxError(i, "'!' must be followed by '=' (to negate, use NOT or -)");
      case '"':
      case '\'': {
        const char quote = c;
        std::string value;
        ++i;
        bool closed = false;
        while (i < n) {
          const char d = input[i];
          if (d == quote) {
            closed = true;
            ++i;
            break;
          }
          if (d == '\\') {
            if (i + 1 >= n) break;  // reported as unterminated below
            AppendEscape(input[i + 1], &value);
            i += 2;
            continue;
          }
          value.push_back(d);
          ++i;
        }
        if (!closed) {
          return SyntaxError(
              start, absl::StrCat("unterminated string: no closing ", std::string(1, quote)));
        }
        Token t;
        t.kind = TokenKind::kString;
        t.offset = start;
        t.end = i;
        t.value = std::move(value);
        tokens.push_back(std::move(t));
        continue;
      }
      default:
        break;
    }
    if (IsControl(static_cast<unsigned char>(c))) {
      return SyntaxError(i, "control characters are only allowed inside quoted strings");
    }
    // A bare word: up to whitespace or a reserved character. '-' may appear
    // inside a word (2025-10-26) but not start one.
    std::string value;
    bool escaped = false;
    while (i < n) {
      const char d = input[i];
      if (IsSpace(d) || IsReservedChar(d) || IsControl(static_cast<unsigned char>(d))) break;
      if (d == '\\') {
        if (i + 1 >= n)
          return SyntaxError(i, "a backslash must be followed by the character it escapes");
        if (IsControl(static_cast<unsigned char>(input[i + 1]))) {
          return SyntaxError(i + 1, "control characters are only allowed inside quoted strings");
        }
        AppendEscape(input[i + 1], &value);
        escaped = true;
        i += 2;
        continue;
      }
      value.push_back(d);
      ++i;
    }
    Token t;
    t.kind = TokenKind::kText;
    if (!escaped) {
      if (value == "AND") t.kind = TokenKind::kAnd;
      if (value == "OR") t.kind = TokenKind::kOr;
      if (value == "NOT") t.kind = TokenKind::kNot;
    }
    t.offset = start;
    t.end = i;
    if (t.kind == TokenKind::kText) t.value = std::move(value);
    tokens.push_back(std::move(t));
  }
  add(TokenKind::kEnd, n, n);
  return tokens;
}

std::string UnescapeLiteral(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) ++i;
    out.push_back(value[i]);
  }
  return out;
}

bool HasUnescapedStar(absl::string_view value) {
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\') {
      ++i;
    } else if (value[i] == '*') {
      return true;
    }
  }
  return false;
}

absl::string_view TokenSpelling(TokenKind kind) {
  switch (kind) {
    case TokenKind::kLParen:
      return "(";
    case TokenKind::kRParen:
      return ")";
    case TokenKind::kComma:
      return ",";
    case TokenKind::kDot:
      return ".";
    case TokenKind::kMinus:
      return "-";
    case TokenKind::kEq:
      return "=";
    case TokenKind::kNe:
      return "!=";
    case TokenKind::kLt:
      return "<";
    case TokenKind::kLe:
      return "<=";
    case TokenKind::kGt:
      return ">";
    case TokenKind::kGe:
      return ">=";
    case TokenKind::kHas:
      return ":";
    case TokenKind::kAnd:
      return "AND";
    case TokenKind::kOr:
      return "OR";
    case TokenKind::kNot:
      return "NOT";
    default:
      return "";
  }
}

std::string DescribeToken(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEnd:
      return "end of input";
    case TokenKind::kText:
    case TokenKind::kString:
      return QuoteForError(UnescapeLiteral(token.value));
    default:
      return absl::StrCat("'", TokenSpelling(token.kind), "'");
  }
}

}  // namespace accord::query
