#include "service/query/lexer.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "service/query/errors.h"
#include "service/query/limits.h"

namespace accord::query {
namespace {

std::vector<TokenKind> Kinds(const std::vector<Token>& tokens) {
  std::vector<TokenKind> kinds;
  for (const Token& t : tokens) kinds.push_back(t.kind);
  return kinds;
}

TEST(LexerTest, RestrictionTokensAndOffsets) {
  auto tokens = Lex("events.type = SIGNED");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  ASSERT_EQ(tokens->size(), 6u);
  EXPECT_EQ(Kinds(*tokens),
            (std::vector<TokenKind>{TokenKind::kText, TokenKind::kDot, TokenKind::kText,
                                    TokenKind::kEq, TokenKind::kText, TokenKind::kEnd}));
  EXPECT_EQ((*tokens)[0].value, "events");
  EXPECT_EQ((*tokens)[0].offset, 0u);
  EXPECT_EQ((*tokens)[0].end, 6u);
  EXPECT_EQ((*tokens)[1].offset, 6u);
  EXPECT_EQ((*tokens)[2].value, "type");
  EXPECT_EQ((*tokens)[2].offset, 7u);
  EXPECT_EQ((*tokens)[3].offset, 12u);
  EXPECT_EQ((*tokens)[4].value, "SIGNED");
  EXPECT_EQ((*tokens)[4].offset, 14u);
  EXPECT_EQ((*tokens)[5].offset, 20u);
}

TEST(LexerTest, AllComparators) {
  auto tokens = Lex("= != < <= > >= :");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(Kinds(*tokens), (std::vector<TokenKind>{TokenKind::kEq, TokenKind::kNe, TokenKind::kLt,
                                                    TokenKind::kLe, TokenKind::kGt, TokenKind::kGe,
                                                    TokenKind::kHas, TokenKind::kEnd}));
  EXPECT_EQ((*tokens)[3].offset, 7u);
  EXPECT_EQ((*tokens)[3].end, 9u);
}

TEST(LexerTest, ComparatorsNeedNoSpaces) {
  auto tokens = Lex("a>=2025-10");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(Kinds(*tokens), (std::vector<TokenKind>{TokenKind::kText, TokenKind::kGe,
                                                    TokenKind::kText, TokenKind::kEnd}));
  EXPECT_EQ((*tokens)[2].value, "2025-10");
  EXPECT_EQ((*tokens)[2].offset, 3u);
}

TEST(LexerTest, KeywordsAreUpperCaseOnly) {
  auto tokens = Lex("AND OR NOT and or not");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(Kinds(*tokens), (std::vector<TokenKind>{
                                TokenKind::kAnd, TokenKind::kOr, TokenKind::kNot, TokenKind::kText,
                                TokenKind::kText, TokenKind::kText, TokenKind::kEnd}));
  EXPECT_EQ((*tokens)[3].value, "and");
}

TEST(LexerTest, MinusStartsATokenButNotInsideAWord) {
  auto tokens = Lex("-a x-y");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(Kinds(*tokens), (std::vector<TokenKind>{TokenKind::kMinus, TokenKind::kText,
                                                    TokenKind::kText, TokenKind::kEnd}));
  EXPECT_EQ((*tokens)[1].offset, 1u);
  EXPECT_EQ((*tokens)[2].value, "x-y");
}

TEST(LexerTest, BareWordsKeepSlashesAndStars) {
  auto tokens = Lex("parties:countries/my title=*Trade*");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ((*tokens)[2].value, "countries/my");
  EXPECT_EQ((*tokens)[5].value, "*Trade*");
}

TEST(LexerTest, QuotedStringsAndEscapes) {
  auto tokens = Lex(R"("a \"b\" c" 'it\'s' "star\*" "back\\slash" "tab\t")");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  ASSERT_EQ(tokens->size(), 6u);
  EXPECT_EQ((*tokens)[0].kind, TokenKind::kString);
  EXPECT_EQ((*tokens)[0].value, "a \"b\" c");
  EXPECT_EQ((*tokens)[0].offset, 0u);
  EXPECT_EQ((*tokens)[0].end, 11u);
  EXPECT_EQ((*tokens)[1].value, "it's");
  EXPECT_EQ((*tokens)[1].offset, 12u);
  // \* and \\ stay escaped for the wildcard logic.
  EXPECT_EQ((*tokens)[2].value, "star\\*");
  EXPECT_EQ((*tokens)[3].value, "back\\\\slash");
  EXPECT_EQ((*tokens)[4].value, "tab\t");
  EXPECT_EQ(UnescapeLiteral((*tokens)[2].value), "star*");
  EXPECT_EQ(UnescapeLiteral((*tokens)[3].value), "back\\slash");
}

TEST(LexerTest, QuotedKeywordIsAString) {
  auto tokens = Lex("\"AND\"");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ((*tokens)[0].kind, TokenKind::kString);
  EXPECT_EQ((*tokens)[0].value, "AND");
}

TEST(LexerTest, UnescapedStar) {
  EXPECT_TRUE(HasUnescapedStar("a*"));
  EXPECT_FALSE(HasUnescapedStar("a\\*"));
  EXPECT_TRUE(HasUnescapedStar("a\\\\*"));
  EXPECT_FALSE(HasUnescapedStar(""));
}

TEST(LexerTest, UnterminatedStringReportsOpeningQuote) {
  auto tokens = Lex("title = \"Agreement");
  ASSERT_FALSE(tokens.ok());
  EXPECT_EQ(tokens.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(tokens.status().message(), "offset 8: unterminated string: no closing \"");
  EXPECT_EQ(GetErrorOffset(tokens.status()), 8u);
  EXPECT_EQ(GetFilterReason(tokens.status()), FilterReason::kSyntax);
}

TEST(LexerTest, LoneBangIsAnError) {
  auto tokens = Lex("a ! b");
  ASSERT_FALSE(tokens.ok());
  EXPECT_EQ(GetErrorOffset(tokens.status()), 2u);
  EXPECT_NE(tokens.status().message().find("'!' must be followed by '='"), absl::string_view::npos);
}

TEST(LexerTest, InvalidUtf8ReportsFirstBadByte) {
  const std::string filter = "title = \"caf\xC3\" AND x";
  auto tokens = Lex(filter);
  ASSERT_FALSE(tokens.ok());
  EXPECT_EQ(GetErrorOffset(tokens.status()), 12u);
  EXPECT_EQ(tokens.status().message(), "offset 12: the filter is not valid UTF-8");
  EXPECT_EQ(GetFilterReason(tokens.status()), FilterReason::kSyntax);
}

TEST(LexerTest, ValidUtf8InWordsAndStrings) {
  auto tokens = Lex("place = Kraków name = \"日本\"");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  EXPECT_EQ((*tokens)[2].value, "Kraków");
  EXPECT_EQ((*tokens)[5].value, "日本");
}

TEST(LexerTest, FindInvalidUtf8) {
  EXPECT_EQ(FindInvalidUtf8("plain"), absl::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("\xC0\x80"), 0u);                               // overlong NUL
  EXPECT_EQ(FindInvalidUtf8("ab\xED\xA0\x80"), 2u);                         // surrogate
  EXPECT_EQ(FindInvalidUtf8("a\xF4\x90\x80\x80"), 1u);                      // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("a\xE2\x82"), 1u);                              // truncated
  EXPECT_EQ(FindInvalidUtf8("\xF0\x9F\x98\x80"), absl::string_view::npos);  // emoji
}

TEST(LexerTest, ControlCharactersOutsideStringsAreRejected) {
  auto tokens = Lex(std::string("a = b\x01", 6));
  ASSERT_FALSE(tokens.ok());
  EXPECT_EQ(GetErrorOffset(tokens.status()), 5u);
}

TEST(LexerTest, TooLong) {
  auto tokens = Lex(std::string(kMaxFilterLength + 1, 'a'));
  ASSERT_FALSE(tokens.ok());
  EXPECT_EQ(GetFilterReason(tokens.status()), FilterReason::kTooComplex);
  EXPECT_TRUE(Lex(std::string(kMaxFilterLength, 'a')).ok());
}

TEST(LexerTest, EmptyInputIsJustEnd) {
  auto tokens = Lex("  \t\n");
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ((*tokens)[0].kind, TokenKind::kEnd);
  EXPECT_EQ((*tokens)[0].offset, 4u);
}

TEST(LexerTest, DescribeToken) {
  auto tokens = Lex("x ) AND \"q\"");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(DescribeToken((*tokens)[0]), "\"x\"");
  EXPECT_EQ(DescribeToken((*tokens)[1]), "')'");
  EXPECT_EQ(DescribeToken((*tokens)[2]), "'AND'");
  EXPECT_EQ(DescribeToken((*tokens)[3]), "\"q\"");
  EXPECT_EQ(DescribeToken((*tokens)[4]), "end of input");
}

}  // namespace
}  // namespace accord::query
