#include "service/query/checker.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "service/query/errors.h"
#include "tests/query/agreement_fixture.h"

namespace accord::query {
namespace {

class CheckerTest : public ::testing::Test {
 protected:
  std::string Checked(absl::string_view filter) {
    absl::StatusOr<CheckedExpr> expr = CompileFilter(filter, *schema_);
    if (!expr.ok()) return std::string(expr.status().message());
    return DebugString(*expr);
  }
  absl::Status Error(absl::string_view filter) {
    absl::StatusOr<CheckedExpr> expr = CompileFilter(filter, *schema_);
    EXPECT_FALSE(expr.ok()) << filter << " checked as " << DebugString(*expr);
    return expr.ok() ? absl::OkStatus() : expr.status();
  }

  std::unique_ptr<Schema> schema_ = testing::AgreementSchema();
};

TEST_F(CheckerTest, TypedLiterals) {
  EXPECT_EQ(Checked("kind = TRADE_AGREEMENT"), "kind=1");
  EXPECT_EQ(Checked("kind = \"TREATY\""), "kind=6");
  EXPECT_EQ(Checked("legally_binding = true"), "legally_binding=1");
  EXPECT_EQ(Checked("legally_binding != false"), "legally_binding!=0");
  EXPECT_EQ(Checked("term_years >= 5"), "term_years>=5");
  EXPECT_EQ(Checked("term_years > -1"), "term_years>-1");
  EXPECT_EQ(Checked("title = \"Agreement on Reciprocal Trade\""),
            "title=\"Agreement on Reciprocal Trade\"");
  EXPECT_EQ(Checked("parties : countries/my"), "parties:\"countries/my\"");
  EXPECT_EQ(Checked("events.type = SIGNED"), "events.type=2");
}

TEST_F(CheckerTest, DatesAtEachPrecision) {
  EXPECT_EQ(Checked("sign_date = 2025"), "sign_date=[20250101,20251231]");
  EXPECT_EQ(Checked("sign_date = 2024-02"), "sign_date=[20240201,20240229]");
  EXPECT_EQ(Checked("sign_date = 2025-02"), "sign_date=[20250201,20250228]");
  EXPECT_EQ(Checked("sign_date >= \"2025-10-26\""), "sign_date>=[20251026,20251026]");
  // The alias resolves to the same field.
  EXPECT_EQ(Checked("signed < 2026"), "sign_date<[20260101,20261231]");
  EXPECT_EQ(Checked("events.date = 2025-07"), "events.date=[20250701,20250731]");
}

TEST_F(CheckerTest, TreeShapeAndFieldPointers) {
  absl::StatusOr<CheckedExpr> expr =
      CompileFilter("kind = TREATY AND (parties:countries/my OR NOT short_title:*)", *schema_);
  ASSERT_TRUE(expr.ok()) << expr.status();
  EXPECT_EQ(DebugString(*expr), "(AND kind=6 (OR parties:\"countries/my\" (NOT short_title:*)))");
  ASSERT_EQ(expr->kind, CheckedExpr::Kind::kAnd);
  ASSERT_EQ(expr->children.size(), 2u);
  const Restriction& kind = expr->children[0].restriction;
  EXPECT_EQ(kind.field, schema_->Find("kind"));
  EXPECT_EQ(kind.op, Comparator::kEq);
  EXPECT_EQ(kind.literal.kind, Literal::Kind::kValue);
  EXPECT_EQ(kind.literal.num, 6);
  EXPECT_EQ(kind.offset, 0u);
  const CheckedExpr& has = expr->children[1].children[1].children[0];
  EXPECT_EQ(has.kind, CheckedExpr::Kind::kRestriction);
  EXPECT_EQ(has.restriction.literal.kind, Literal::Kind::kHasAny);
  EXPECT_EQ(has.restriction.field->path, "short_title");
}

TEST_F(CheckerTest, Wildcards) {
  absl::StatusOr<CheckedExpr> expr = CompileFilter("title = \"*Trade*\"", *schema_);
  ASSERT_TRUE(expr.ok());
  EXPECT_EQ(expr->restriction.literal.kind, Literal::Kind::kPattern);
  EXPECT_EQ(expr->restriction.literal.pattern.pieces(),
            (std::vector<std::string>{"", "Trade", ""}));
  EXPECT_EQ(Checked("title != Agree*"), "title!=\"Agree*\"");
  EXPECT_EQ(Checked("parties : countries/*"), "parties:\"countries/*\"");
  // An escaped star is literal: exact match.
  absl::StatusOr<CheckedExpr> literal = CompileFilter("title = \"5\\* hotel\"", *schema_);
  ASSERT_TRUE(literal.ok());
  EXPECT_EQ(literal->restriction.literal.kind, Literal::Kind::kValue);
  EXPECT_EQ(literal->restriction.literal.str, "5* hotel");
}

TEST_F(CheckerTest, WildcardRules) {
  absl::Status ordered = Error("title > Agree*");
  EXPECT_EQ(GetFilterReason(ordered), FilterReason::kTypeMismatch);
  EXPECT_EQ(GetErrorOffset(ordered), 8u);
  EXPECT_NE(ordered.message().find("only be used with =, != and :"), absl::string_view::npos);

  absl::Status enum_star = Error("kind = TRADE*");
  EXPECT_EQ(GetFilterReason(enum_star), FilterReason::kTypeMismatch);
  EXPECT_EQ(GetErrorOffset(enum_star), 7u);
  EXPECT_NE(enum_star.message().find("wildcards ('*') apply only to string fields"),
            absl::string_view::npos);
}

TEST_F(CheckerTest, HasAnyForEveryType) {
  EXPECT_EQ(Checked("short_title:*"), "short_title:*");
  EXPECT_EQ(Checked("kind:*"), "kind:*");
  EXPECT_EQ(Checked("legally_binding:*"), "legally_binding:*");
  EXPECT_EQ(Checked("sign_date:*"), "sign_date:*");
  EXPECT_EQ(Checked("term_years:*"), "term_years:*");
}

TEST_F(CheckerTest, UnknownFieldSuggestsClosest) {
  absl::Status status = Error("kind = TREATY AND titel = x");
  EXPECT_EQ(GetFilterReason(status), FilterReason::kUnknownField);
  EXPECT_EQ(GetErrorOffset(status), 18u);
  EXPECT_EQ(status.message(),
            "offset 18: unknown field \"titel\" in accord.v1.Agreement; did you mean \"title\"?");
  ASSERT_TRUE(status.GetPayload(kFilterReasonPayload).has_value());
  EXPECT_EQ(std::string(*status.GetPayload(kFilterReasonPayload)), "UNKNOWN_FIELD");
}

TEST_F(CheckerTest, UnknownFieldListsKnownFields) {
  absl::Status status = Error("zzzzzzzzzzzz = 1");
  EXPECT_EQ(GetFilterReason(status), FilterReason::kUnknownField);
  EXPECT_NE(status.message().find("unknown field \"zzzzzzzzzzzz\""), absl::string_view::npos);
  EXPECT_NE(status.message().find("known fields: name, title, short_title, kind"),
            absl::string_view::npos);
}

TEST_F(CheckerTest, MessagePathListsItsFields) {
  absl::Status status = Error("events = SIGNED");
  EXPECT_EQ(GetFilterReason(status), FilterReason::kUnknownField);
  EXPECT_NE(status.message().find("it is a message: name one of its fields: events.type, "
                                  "events.date"),
            absl::string_view::npos);
}

TEST_F(CheckerTest, BadEnumNameListsValidNames) {
  absl::Status status = Error("kind = trade_agreement");
  EXPECT_EQ(GetFilterReason(status), FilterReason::kTypeMismatch);
  EXPECT_EQ(GetErrorOffset(status), 7u);
  EXPECT_EQ(status.message(),
            "offset 7: \"trade_agreement\" is not a value of \"kind\" (accord.v1.Agreement.Kind); "
            "valid values: KIND_UNSPECIFIED, TRADE_AGREEMENT, MEMORANDUM_OF_UNDERSTANDING, "
            "DEFENCE_ARRANGEMENT, PARTNERSHIP_STATEMENT, JOINT_STATEMENT, TREATY, "
            "INVESTMENT_AGREEMENT (names are case-sensitive)");
}

TEST_F(CheckerTest, WrongTypes) {
  absl::Status b = Error("legally_binding = yes");
  EXPECT_EQ(GetFilterReason(b), FilterReason::kTypeMismatch);
  EXPECT_EQ(b.message(),
            "offset 18: \"legally_binding\" is a bool field: write true or false, not \"yes\"");
  absl::Status i = Error("term_years = five");
  EXPECT_EQ(GetFilterReason(i), FilterReason::kTypeMismatch);
  EXPECT_EQ(GetErrorOffset(i), 13u);
  absl::Status ordered_bool = Error("legally_binding < true");
  EXPECT_EQ(GetFilterReason(ordered_bool), FilterReason::kTypeMismatch);
  EXPECT_EQ(GetErrorOffset(ordered_bool), 16u);
  EXPECT_EQ(GetFilterReason(Error("term_years = 1.5")), FilterReason::kTypeMismatch);
}

TEST_F(CheckerTest, BadDates) {
  absl::Status month = Error("sign_date = 2025-13");
  EXPECT_EQ(GetFilterReason(month), FilterReason::kTypeMismatch);
  EXPECT_EQ(GetErrorOffset(month), 12u);
  EXPECT_NE(month.message().find("the month must be 01 to 12"), absl::string_view::npos);
  absl::Status leap = Error("sign_date = 2025-02-29");
  EXPECT_NE(leap.message().find("the day must be 01 to 28 for that month"),
            absl::string_view::npos);
  EXPECT_TRUE(CompileFilter("sign_date = 2024-02-29", *schema_).ok());
  EXPECT_EQ(GetFilterReason(Error("sign_date = 26/10/2025")), FilterReason::kTypeMismatch);
  EXPECT_EQ(GetFilterReason(Error("sign_date = 2025-1-5")), FilterReason::kTypeMismatch);
  EXPECT_EQ(GetFilterReason(Error("sign_date = 0000")), FilterReason::kTypeMismatch);
}

TEST_F(CheckerTest, BareLiteralIsFreeTextSearch) {
  absl::Status status = Error("malaysia");
  EXPECT_EQ(GetFilterReason(status), FilterReason::kSyntax);
  EXPECT_EQ(status.message(),
            "offset 0: bare literal \"malaysia\": free-text search is not supported; name a "
            "field, e.g. title = \"malaysia\"");
  absl::Status quoted = Error("kind = TREATY \"reciprocal trade\"");
  EXPECT_EQ(GetErrorOffset(quoted), 14u);
  absl::Status field = Error("legally_binding");
  EXPECT_NE(field.message().find("free-text search is not supported"), absl::string_view::npos);
  EXPECT_NE(field.message().find("legally_binding = true"), absl::string_view::npos);
}

TEST_F(CheckerTest, ComputedFieldsAndAliases) {
  Field computed;
  computed.path = "commitments.committed_by";
  computed.type = Type::kString;
  computed.repeated = true;
  computed.explicit_presence = true;
  computed.extract = [](const google::protobuf::Message&, std::vector<Value>*) {};
  schema_->AddField(std::move(computed));
  absl::StatusOr<CheckedExpr> expr =
      CompileFilter("commitments.committed_by = \"countries/my\"", *schema_);
  ASSERT_TRUE(expr.ok()) << expr.status();
  EXPECT_EQ(expr->restriction.field, schema_->Find("commitments.committed_by"));
  EXPECT_EQ(expr->restriction.literal.str, "countries/my");
}

TEST_F(CheckerTest, EmptyFilterMatchesAll) {
  absl::StatusOr<CheckedExpr> expr = CompileFilter("", *schema_);
  ASSERT_TRUE(expr.ok());
  EXPECT_EQ(expr->kind, CheckedExpr::Kind::kAnd);
  EXPECT_TRUE(expr->children.empty());
}

}  // namespace
}  // namespace accord::query
