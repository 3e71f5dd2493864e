#include "tools/accord_catalog/locate.h"

#include "gtest/gtest.h"

namespace accord::tools {
namespace {

TEST(SplitValidationMessageTest, FileRecordPathAndProblem) {
  auto m = SplitValidationMessage(
      "data/catalogue/agreements.textproto: agreements/x: events[0].date: month 13 is out of "
      "range");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->file, "data/catalogue/agreements.textproto");
  EXPECT_EQ(m->record, "agreements/x");
  EXPECT_EQ(m->path, "events[0].date");
  EXPECT_EQ(m->problem, "month 13 is out of range");
}

TEST(SplitValidationMessageTest, WithoutAPathTheRestIsTheProblem) {
  auto m = SplitValidationMessage("d/a.textproto: agreements/x: the name is used: twice");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->path, "");
  EXPECT_EQ(m->problem, "the name is used: twice");
  EXPECT_FALSE(SplitValidationMessage("catalogue directory \"x\" does not exist").has_value());
}

constexpr char kText[] =
    "countries { name: \"countries/my\" }\n"  // line 1
    "agreements {\n"                          // line 2
    "  name: \"agreements/x\"\n"              // line 3
    "  events { type: SIGNED }\n"             // line 4
    "  events {\n"                            // line 5
    "    type: SIGNED\n"                      // line 6
    "    date { year: 2025 month: 13 }\n"     // line 7
    "  }\n"
    "}\n";

TEST(LocateInTextprotoTest, FindsTheFieldOnItsPathOrTheRecord) {
  auto field = LocateInTextproto(kText, "agreements/x", "events[1].date");
  ASSERT_TRUE(field.has_value());
  EXPECT_EQ(field->line, 7);
  EXPECT_EQ(field->column, 5);
  auto deeper = LocateInTextproto(kText, "agreements/x", "events[1].date.month");
  ASSERT_TRUE(deeper.has_value());
  EXPECT_EQ(deeper->line, 7);
  auto record = LocateInTextproto(kText, "agreements/x", "");
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->line, 2);
  // A path the text does not set stops at the deepest part it does.
  auto unset = LocateInTextproto(kText, "agreements/x", "events[0].date");
  ASSERT_TRUE(unset.has_value());
  EXPECT_EQ(unset->line, 4);
  EXPECT_FALSE(LocateInTextproto(kText, "agreements/none", "").has_value());
}

}  // namespace
}  // namespace accord::tools
