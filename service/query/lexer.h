// Splits an AIP-160 filter string into tokens.
#ifndef ACCORD_SERVICE_QUERY_LEXER_H_
#define ACCORD_SERVICE_QUERY_LEXER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace accord::query {

enum class TokenKind {
  kEnd,     // end of input; always the last token
  kText,    // a bare word: 2025, TRADE_AGREEMENT, countries/my, Trade*
  kString,  // a "double" or 'single' quoted string
  kLParen,  // (
  kRParen,  // )
  kComma,   // ,  (only meaningful in function calls, which we reject)
  kDot,     // .
  kMinus,   // -  at the start of a token: negation, or the sign of a number
  kEq,      // =
  kNe,      // !=
  kLt,      // <
  kLe,      // <=
  kGt,      // >
  kGe,      // >=
  kHas,     // :
  kAnd,     // AND (upper case only)
  kOr,      // OR
  kNot,     // NOT
};

// A token and where it is.
//
// For kText and kString, `value` is the token's text with escapes resolved
// EXCEPT `\*` and `\\`, which are kept as written so that wildcards can be
// told apart from literal stars later (see UnescapeLiteral,
// HasUnescapedStar). Quotes are not part of `value`. For the other kinds
// `value` is empty.
struct Token {
  TokenKind kind = TokenKind::kEnd;
  size_t offset = 0;  // 0-based byte offset of the token's first byte
  size_t end = 0;     // offset one past its last byte
  std::string value;
};

// Bytes that end a bare word (besides whitespace): ( ) , . < > = ! : " '
bool IsReservedChar(char c);

// Tokenises `input`. Whitespace (space, tab, CR, LF) separates tokens and is
// dropped. On success the last token is kEnd at offset input.size().
// Errors (InvalidArgument via FilterError, reason FILTER_SYNTAX unless
// noted): input longer than kMaxFilterLength (FILTER_TOO_COMPLEX, offset
// kMaxFilterLength), invalid UTF-8 (offset of the first bad byte), an
// unterminated string (offset of its opening quote), a '!' not followed by
// '=', a backslash at the end of input, and control characters outside
// strings.
absl::StatusOr<std::vector<Token>> Lex(absl::string_view input);

// The literal text of a token value: `\*` becomes `*`, `\\` becomes `\`.
std::string UnescapeLiteral(absl::string_view value);
// True when `value` has a `*` not preceded by an escaping backslash.
bool HasUnescapedStar(absl::string_view value);

// A short description of a token for error messages: "end of input", "')'",
// "'AND'", "\"text\"".
std::string DescribeToken(const Token& token);
// The spelling of an operator token, e.g. "<=" for kLe; "" for others.
absl::string_view TokenSpelling(TokenKind kind);

// Offset of the first byte of `text` that isn't part of valid UTF-8 (no
// overlongs, surrogates or code points above U+10FFFF), or npos if valid.
size_t FindInvalidUtf8(absl::string_view text);

}  // namespace accord::query

#endif  // ACCORD_SERVICE_QUERY_LEXER_H_
