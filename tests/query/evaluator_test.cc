#include "service/query/evaluator.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "service/query/checker.h"
#include "tests/query/agreement_fixture.h"

namespace accord::query {
namespace {

using accord::v1::Agreement;

class EvaluatorTest : public ::testing::Test {
 protected:
  // The names of the sample agreements that `filter` matches, in order:
  // trade (signed 2025-10-26), mou (signed 2024-02), undated.
  std::vector<std::string> Matching(absl::string_view filter) {
    absl::StatusOr<CheckedExpr> expr = CompileFilter(filter, *schema_);
    EXPECT_TRUE(expr.ok()) << filter << ": " << expr.status();
    std::vector<std::string> names;
    if (!expr.ok()) return {"<error>"};
    if (Matches(*expr, trade_)) names.push_back("trade");
    if (Matches(*expr, mou_)) names.push_back("mou");
    if (Matches(*expr, undated_)) names.push_back("undated");
    return names;
  }

  std::unique_ptr<Schema> schema_ = testing::AgreementSchema();
  Agreement trade_ = testing::TradeAgreement();
  Agreement mou_ = testing::Memorandum();
  Agreement undated_ = testing::Undated();
};

using Names = std::vector<std::string>;

TEST_F(EvaluatorTest, EmptyFilterMatchesEverything) {
  EXPECT_EQ(Matching(""), (Names{"trade", "mou", "undated"}));
}

TEST_F(EvaluatorTest, Enums) {
  EXPECT_EQ(Matching("kind = TRADE_AGREEMENT"), (Names{"trade"}));
  EXPECT_EQ(Matching("kind != TRADE_AGREEMENT"), (Names{"mou", "undated"}));
  EXPECT_EQ(Matching("state >= SIGNED"), (Names{"trade", "mou"}));
  EXPECT_EQ(Matching("state = STATE_UNSPECIFIED"), (Names{"undated"}));
}

TEST_F(EvaluatorTest, PrecedenceAndNegation) {
  EXPECT_EQ(Matching("kind = TREATY AND kind = JOINT_STATEMENT OR state = IN_FORCE"), Names{});
  EXPECT_EQ(Matching("kind = JOINT_STATEMENT OR state = IN_FORCE"), (Names{"mou", "undated"}));
  EXPECT_EQ(Matching("parties:countries/us kind = MEMORANDUM_OF_UNDERSTANDING OR "
                     "kind = TRADE_AGREEMENT"),
            (Names{"trade", "mou"}));
  EXPECT_EQ(Matching("NOT parties:countries/us"), (Names{"undated"}));
  EXPECT_EQ(Matching("-parties:countries/us"), (Names{"undated"}));
  EXPECT_EQ(Matching("NOT (kind = TRADE_AGREEMENT OR kind = JOINT_STATEMENT)"), (Names{"mou"}));
}

TEST_F(EvaluatorTest, RepeatedScalars) {
  EXPECT_EQ(Matching("parties:countries/us"), (Names{"trade", "mou"}));
  EXPECT_EQ(Matching("parties = \"countries/my\""), (Names{"trade", "mou", "undated"}));
  // != on a repeated field: no value equals.
  EXPECT_EQ(Matching("parties != countries/us"), (Names{"undated"}));
  EXPECT_EQ(Matching("sectors:sectors/agriculture"), (Names{"trade"}));
  EXPECT_EQ(Matching("sectors:*"), (Names{"trade", "mou"}));
  EXPECT_EQ(Matching("sectors:sectors/*"), (Names{"trade", "mou"}));
  // Ordered comparisons are existential.
  EXPECT_EQ(Matching("parties > countries/n"), (Names{"trade", "mou"}));
}

TEST_F(EvaluatorTest, NestedRepeatedPaths) {
  EXPECT_EQ(Matching("events.type = SIGNED"), (Names{"trade", "mou"}));
  EXPECT_EQ(Matching("events.type = ENTERED_INTO_FORCE"), (Names{"mou"}));
  EXPECT_EQ(Matching("events.type != ENTERED_INTO_FORCE"), (Names{"trade", "undated"}));
  EXPECT_EQ(Matching("events.place:Kuala*"), (Names{"trade"}));
  EXPECT_EQ(Matching("events.date = 2025-07"), (Names{"trade"}));
  EXPECT_EQ(Matching("signatories.display_name = \"Anwar Ibrahim\""), (Names{"trade"}));
  EXPECT_EQ(Matching("evidence.attribution = STATED"), (Names{"trade"}));
  // Existential per field, not per element: some event is SIGNED and some
  // event is in 2025-07 (a different one).
  EXPECT_EQ(Matching("events.type = SIGNED AND events.date = 2025-07"), (Names{"trade"}));
}

TEST_F(EvaluatorTest, DatesAtEachPrecision) {
  // Record date is a day: 2025-10-26.
  EXPECT_EQ(Matching("sign_date = 2025"), (Names{"trade"}));
  EXPECT_EQ(Matching("sign_date = 2025-10"), (Names{"trade"}));
  EXPECT_EQ(Matching("sign_date = 2025-10-26"), (Names{"trade"}));
  EXPECT_EQ(Matching("sign_date = 2025-10-25"), Names{});
  EXPECT_EQ(Matching("signed >= 2025-10-26"), (Names{"trade"}));
  EXPECT_EQ(Matching("signed > 2025-10-25"), (Names{"trade"}));
  EXPECT_EQ(Matching("signed > 2025-10"), Names{});
  EXPECT_EQ(Matching("signed < 2025-10-26"), (Names{"mou"}));
  EXPECT_EQ(Matching("signed < 2025-10-27"), (Names{"trade", "mou"}));
  EXPECT_EQ(Matching("signed <= 2025-10-26"), (Names{"trade", "mou"}));
}

TEST_F(EvaluatorTest, PartialRecordDatesAreTrueOnlyWhenCertain) {
  // Record date is a month: 2024-02 = [20240201, 20240229].
  EXPECT_EQ(Matching("sign_date = 2024"), (Names{"mou"}));
  EXPECT_EQ(Matching("sign_date = 2024-02"), (Names{"mou"}));
  // It may or may not be the 10th: not certain, so no match either way.
  EXPECT_EQ(Matching("sign_date = 2024-02-10"), Names{});
  EXPECT_EQ(Matching("sign_date < 2024-02-10"), Names{});
  EXPECT_EQ(Matching("sign_date > 2024-02-10"), (Names{"trade"}));
  EXPECT_EQ(Matching("sign_date >= 2024-02-01"), (Names{"trade", "mou"}));
  EXPECT_EQ(Matching("sign_date <= 2024-02-29"), (Names{"mou"}));
  EXPECT_EQ(Matching("sign_date <= 2024-02"), (Names{"mou"}));
  EXPECT_EQ(Matching("sign_date < 2024-03"), (Names{"mou"}));
  // != is the negation of =, so the undated record satisfies it.
  EXPECT_EQ(Matching("sign_date != 2024-02-10"), (Names{"trade", "mou", "undated"}));
  EXPECT_EQ(Matching("sign_date != 2024"), (Names{"trade", "undated"}));
}

TEST_F(EvaluatorTest, EmptyDatesMatchOnlyNegations) {
  for (const char* op : {"=", "<", "<=", ">", ">="}) {
    const std::string filter = std::string("entry_into_force_date ") + op + " 2024";
    const Names got = Matching(filter);
    EXPECT_EQ(std::count(got.begin(), got.end(), "undated"), 0) << filter;
    EXPECT_EQ(std::count(got.begin(), got.end(), "trade"), 0) << filter;
  }
  EXPECT_EQ(Matching("entry_into_force_date != 2024"), (Names{"trade", "undated"}));
  EXPECT_EQ(Matching("NOT entry_into_force_date = 2024"), (Names{"trade", "undated"}));
  EXPECT_EQ(Matching("entry_into_force_date:*"), (Names{"mou"}));
  EXPECT_EQ(Matching("sign_date:*"), (Names{"trade", "mou"}));
}

TEST_F(EvaluatorTest, Wildcards) {
  EXPECT_EQ(Matching("title = \"*Trade*\""), (Names{"trade"}));
  EXPECT_EQ(Matching("title = Agreement*"), (Names{"trade"}));
  EXPECT_EQ(Matching("title = *Statement"), (Names{"undated"}));
  EXPECT_EQ(Matching("title = \"*\""), (Names{"trade", "mou", "undated"}));
  EXPECT_EQ(Matching("title = \"Memorandum*Semiconductor*\""), (Names{"mou"}));
  EXPECT_EQ(Matching("title != \"*Trade*\""), (Names{"mou", "undated"}));
  EXPECT_EQ(Matching("name : agreements/my-us-*"), (Names{"trade", "mou"}));
  // Case-sensitive; whole-string.
  EXPECT_EQ(Matching("title = *trade*"), Names{});
  EXPECT_EQ(Matching("title = Agreement"), Names{});
}

TEST_F(EvaluatorTest, HasAny) {
  EXPECT_EQ(Matching("short_title:*"), (Names{"trade"}));
  EXPECT_EQ(Matching("NOT short_title:*"), (Names{"mou", "undated"}));
  // legally_binding is `optional`: set to false still counts as a value.
  EXPECT_EQ(Matching("legally_binding:*"), (Names{"trade", "undated"}));
  EXPECT_EQ(Matching("term_years:*"), (Names{"mou"}));
  EXPECT_EQ(Matching("parties:*"), (Names{"trade", "mou", "undated"}));
  EXPECT_EQ(Matching("events.place:*"), (Names{"trade"}));
}

TEST_F(EvaluatorTest, ScalarsAndDefaults) {
  EXPECT_EQ(Matching("short_title = ART"), (Names{"trade"}));
  // An unset proto3 string reads as "".
  EXPECT_EQ(Matching("short_title = \"\""), (Names{"mou", "undated"}));
  EXPECT_EQ(Matching("short_title != ART"), (Names{"mou", "undated"}));
  EXPECT_EQ(Matching("term_years = 0"), (Names{"trade", "undated"}));
  EXPECT_EQ(Matching("term_years >= 5"), (Names{"mou"}));
  EXPECT_EQ(Matching("title < M"), (Names{"trade", "undated"}));
  // Unset `optional` bool: neither true nor false.
  EXPECT_EQ(Matching("legally_binding = true"), (Names{"trade"}));
  EXPECT_EQ(Matching("legally_binding = false"), (Names{"undated"}));
  EXPECT_EQ(Matching("legally_binding != true"), (Names{"mou", "undated"}));
}

TEST_F(EvaluatorTest, ComputedField) {
  Field field;
  field.path = "commitments.committed_by";
  field.type = Type::kString;
  field.repeated = true;
  field.explicit_presence = true;
  // Pretend the trade agreement has commitments by both parties.
  field.extract = [](const google::protobuf::Message& record, std::vector<Value>* out) {
    const auto& a = static_cast<const Agreement&>(record);
    if (a.kind() == Agreement::TRADE_AGREEMENT) {
      for (const std::string& p : a.parties()) {
        Value v;
        v.str = p;
        out->push_back(v);
      }
    }
  };
  schema_->AddField(std::move(field));
  EXPECT_EQ(Matching("commitments.committed_by = \"countries/my\""), (Names{"trade"}));
  EXPECT_EQ(Matching("commitments.committed_by:*"), (Names{"trade"}));
}

TEST(DateSatisfiesTest, IntervalSemantics) {
  const DateRange day{20251026, 20251026};
  const DateRange month{20251001, 20251031};
  const DateRange year{20250101, 20251231};
  EXPECT_TRUE(DateSatisfies(Comparator::kEq, day, month));
  EXPECT_FALSE(DateSatisfies(Comparator::kEq, month, day));
  EXPECT_TRUE(DateSatisfies(Comparator::kEq, month, year));
  EXPECT_FALSE(DateSatisfies(Comparator::kLt, month, day));
  EXPECT_TRUE(DateSatisfies(Comparator::kLe, month, month));
  EXPECT_FALSE(DateSatisfies(Comparator::kLe, month, day));
  EXPECT_TRUE(DateSatisfies(Comparator::kGe, month, year));
  EXPECT_FALSE(DateSatisfies(Comparator::kGt, month, year));
  EXPECT_FALSE(DateSatisfies(Comparator::kEq, DateRange{}, year));
  EXPECT_FALSE(DateSatisfies(Comparator::kLt, DateRange{}, year));
}

}  // namespace
}  // namespace accord::query
