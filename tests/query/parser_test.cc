#include "service/query/parser.h"

#include <string>

#include <gtest/gtest.h>

#include "service/query/errors.h"
#include "service/query/limits.h"

namespace accord::query {
namespace {

std::string Parsed(absl::string_view filter) {
  absl::StatusOr<ParsedExpr> expr = ParseFilter(filter);
  if (!expr.ok()) return std::string(expr.status().message());
  return DebugString(*expr);
}

absl::Status ParseError(absl::string_view filter) {
  absl::StatusOr<ParsedExpr> expr = ParseFilter(filter);
  EXPECT_FALSE(expr.ok()) << filter << " parsed as " << DebugString(*expr);
  return expr.ok() ? absl::OkStatus() : expr.status();
}

TEST(ParserTest, SingleRestriction) {
  absl::StatusOr<ParsedExpr> expr = ParseFilter("events.type = SIGNED");
  ASSERT_TRUE(expr.ok()) << expr.status();
  EXPECT_EQ(expr->kind, ParsedExpr::Kind::kRestriction);
  EXPECT_EQ(expr->path, (std::vector<std::string>{"events", "type"}));
  EXPECT_TRUE(expr->has_op);
  EXPECT_EQ(expr->op, Comparator::kEq);
  EXPECT_EQ(expr->op_offset, 12u);
  EXPECT_EQ(expr->arg, "SIGNED");
  EXPECT_FALSE(expr->arg_quoted);
  EXPECT_EQ(expr->arg_offset, 14u);
}

TEST(ParserTest, EmptyFilterIsEmptyAnd) {
  absl::StatusOr<ParsedExpr> expr = ParseFilter("   ");
  ASSERT_TRUE(expr.ok());
  EXPECT_EQ(expr->kind, ParsedExpr::Kind::kAnd);
  EXPECT_TRUE(expr->children.empty());
  EXPECT_EQ(Parsed(""), "(AND)");
}

TEST(ParserTest, OrBindsTighterThanAnd) {
  EXPECT_EQ(Parsed("a=1 AND b=2 OR c=3"), "(AND a=1 (OR b=2 c=3))");
  EXPECT_EQ(Parsed("a=1 OR b=2 AND c=3"), "(AND (OR a=1 b=2) c=3)");
  EXPECT_EQ(Parsed("a=1 OR b=2 OR c=3"), "(OR a=1 b=2 c=3)");
}

TEST(ParserTest, AdjacentFactorsAreAnded) {
  EXPECT_EQ(Parsed("a=1 b=2 c=3"), "(AND a=1 b=2 c=3)");
  EXPECT_EQ(Parsed("a=1 b=2 OR c=3 AND d=4"), "(AND a=1 (OR b=2 c=3) d=4)");
}

TEST(ParserTest, Parentheses) {
  EXPECT_EQ(Parsed("(a=1 AND b=2) OR c=3"), "(OR (AND a=1 b=2) c=3)");
  EXPECT_EQ(Parsed("((a=1))"), "a=1");
}

TEST(ParserTest, NotAndMinus) {
  EXPECT_EQ(Parsed("NOT a=1"), "(NOT a=1)");
  EXPECT_EQ(Parsed("-a=1"), "(NOT a=1)");
  EXPECT_EQ(Parsed("NOT (a=1 OR b=2) c=3"), "(AND (NOT (OR a=1 b=2)) c=3)");
  EXPECT_EQ(Parsed("NOT a=1 OR b=2"), "(OR (NOT a=1) b=2)");
}

TEST(ParserTest, NegativeNumberArgument) {
  EXPECT_EQ(Parsed("term_years > -1"), "term_years>-1");
  EXPECT_EQ(Parsed("a = x -b=2"), "(AND a=x (NOT b=2))");
}

TEST(ParserTest, AllComparators) {
  EXPECT_EQ(Parsed("a=1 a!=1 a<1 a<=1 a>1 a>=1 a:1"), "(AND a=1 a!=1 a<1 a<=1 a>1 a>=1 a:1)");
}

TEST(ParserTest, QuotedAndDottedArguments) {
  EXPECT_EQ(Parsed("title = \"Agreement on Reciprocal Trade\""),
            "title=\"Agreement on Reciprocal Trade\"");
  EXPECT_EQ(Parsed("v = 1.5"), "v=1.5");
  EXPECT_EQ(Parsed("'short_title' = ART"), "short_title=ART");
}

TEST(ParserTest, KeywordsAsFieldNamesAfterDot) {
  absl::StatusOr<ParsedExpr> expr = ParseFilter("a.AND = 1");
  ASSERT_TRUE(expr.ok());
  EXPECT_EQ(expr->path, (std::vector<std::string>{"a", "AND"}));
}

TEST(ParserTest, BareValueParsesWithoutOperator) {
  absl::StatusOr<ParsedExpr> expr = ParseFilter("malaysia");
  ASSERT_TRUE(expr.ok());
  EXPECT_EQ(expr->kind, ParsedExpr::Kind::kRestriction);
  EXPECT_FALSE(expr->has_op);
}

TEST(ParserTest, MissingValueAtEnd) {
  absl::Status status = ParseError("kind =");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "offset 6: expected a value after '=', found end of input");
  EXPECT_EQ(GetErrorOffset(status), 6u);
  EXPECT_EQ(GetFilterReason(status), FilterReason::kSyntax);
  ASSERT_TRUE(status.GetPayload(kFilterOffsetPayload).has_value());
  EXPECT_EQ(std::string(*status.GetPayload(kFilterOffsetPayload)), "6");
  EXPECT_EQ(std::string(*status.GetPayload(kFilterReasonPayload)), "FILTER_SYNTAX");
}

TEST(ParserTest, SyntaxErrorsWithOffsets) {
  EXPECT_EQ(ParseError("kind = TREATY AND").message(),
            "offset 17: expected a restriction (e.g. kind = TREATY) or '(' after 'AND', found "
            "end of input");
  EXPECT_EQ(ParseError("(a = 1").message(),
            "offset 6: expected ')' to close the '(' at offset 0 after \"1\", found end of input");
  EXPECT_EQ(ParseError("a = 1)").message(), "offset 5: unmatched ')'");
  EXPECT_EQ(GetErrorOffset(ParseError("OR a = 1")), 0u);
  EXPECT_EQ(GetErrorOffset(ParseError("a = 1 OR")), 8u);
  EXPECT_EQ(GetErrorOffset(ParseError("a = = 1")), 4u);
  EXPECT_EQ(GetErrorOffset(ParseError("a = 1 = 2")), 6u);
  EXPECT_EQ(GetErrorOffset(ParseError("a. = 1")), 3u);
  EXPECT_EQ(GetErrorOffset(ParseError("()")), 1u);
  EXPECT_EQ(GetErrorOffset(ParseError("NOT NOT a = 1")), 4u);
  EXPECT_EQ(GetErrorOffset(ParseError("a = 1,")), 5u);
}

TEST(ParserTest, FunctionsAreRejected) {
  absl::Status status = ParseError("regex(title, \"x\")");
  EXPECT_EQ(GetErrorOffset(status), 0u);
  EXPECT_NE(status.message().find("function calls are not supported"), absl::string_view::npos);
  EXPECT_NE(ParseError("a = f(1)").message().find("function calls are not supported"),
            absl::string_view::npos);
  // With a space, "a (b = 1)" is a sequence, not a call.
  EXPECT_EQ(Parsed("a (b = 1)"), "(AND a b=1)");
}

TEST(ParserTest, ParenthesisedArgumentsAreRejected) {
  absl::Status status = ParseError("kind = (TREATY OR JOINT_STATEMENT)");
  EXPECT_EQ(GetErrorOffset(status), 7u);
  EXPECT_NE(status.message().find("parenthesised values are not supported"),
            absl::string_view::npos);
}

TEST(ParserTest, NestingLimit) {
  std::string ok(kMaxNestingDepth, '(');
  ok += "a=1";
  ok += std::string(kMaxNestingDepth, ')');
  EXPECT_EQ(Parsed(ok), "a=1");

  std::string deep(kMaxNestingDepth + 1, '(');
  deep += "a=1";
  deep += std::string(kMaxNestingDepth + 1, ')');
  absl::Status status = ParseError(deep);
  EXPECT_EQ(GetFilterReason(status), FilterReason::kTooComplex);
  EXPECT_EQ(GetErrorOffset(status), static_cast<size_t>(kMaxNestingDepth));
}

TEST(ParserTest, NotCountsTowardsNesting) {
  std::string filter;
  for (int i = 0; i < kMaxNestingDepth; ++i) filter += "NOT (";
  filter += "a=1";
  filter += std::string(kMaxNestingDepth, ')');
  // 32 NOTs and 32 parentheses: 64 levels.
  EXPECT_EQ(GetFilterReason(ParseError(filter)), FilterReason::kTooComplex);
  std::string shallow;
  for (int i = 0; i < kMaxNestingDepth / 2; ++i) shallow += "NOT (";
  shallow += "a=1";
  shallow += std::string(kMaxNestingDepth / 2, ')');
  EXPECT_TRUE(ParseFilter(shallow).ok());
}

TEST(ParserTest, HundredThousandOpenParensDoNotCrash) {
  const std::string filter(100000, '(');
  absl::Status status = ParseError(filter);
  EXPECT_EQ(GetFilterReason(status), FilterReason::kTooComplex);
  // Within the length limit, the depth limit stops it.
  absl::Status within = ParseError(std::string(kMaxFilterLength, '('));
  EXPECT_EQ(GetFilterReason(within), FilterReason::kTooComplex);
  EXPECT_EQ(GetErrorOffset(within), static_cast<size_t>(kMaxNestingDepth));
  std::string negations;
  while (negations.size() < kMaxFilterLength) negations += "-(";
  absl::Status nots = ParseError(negations);
  EXPECT_EQ(GetFilterReason(nots), FilterReason::kTooComplex);
  EXPECT_EQ(GetErrorOffset(nots), static_cast<size_t>(kMaxNestingDepth));
  // "- -a" is not in the grammar (a term has one NOT), so it's a syntax error.
  EXPECT_EQ(GetFilterReason(ParseError(std::string(kMaxFilterLength, '-'))), FilterReason::kSyntax);
}

TEST(ParserTest, LengthLimit) {
  std::string filter = "title = \"" + std::string(kMaxFilterLength, 'x') + "\"";
  absl::Status status = ParseError(filter);
  EXPECT_EQ(GetFilterReason(status), FilterReason::kTooComplex);
  EXPECT_NE(status.message().find("the limit is 4096"), absl::string_view::npos);
}

TEST(ParserTest, RestrictionLimit) {
  std::string filter = "a=1";
  for (int i = 1; i < kMaxRestrictions; ++i) filter += " a=1";
  EXPECT_TRUE(ParseFilter(filter).ok());
  filter += " a=1";
  absl::Status status = ParseError(filter);
  EXPECT_EQ(GetFilterReason(status), FilterReason::kTooComplex);
  EXPECT_EQ(GetErrorOffset(status), 4u * kMaxRestrictions);
}

TEST(ParserTest, InvalidUtf8) {
  absl::Status status = ParseError("title = \xff");
  EXPECT_EQ(GetFilterReason(status), FilterReason::kSyntax);
  EXPECT_EQ(GetErrorOffset(status), 8u);
}

}  // namespace
}  // namespace accord::query
