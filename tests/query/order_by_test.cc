#include "service/query/order_by.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "service/query/errors.h"
#include "service/query/limits.h"
#include "tests/query/agreement_fixture.h"

namespace accord::query {
namespace {

using accord::v1::Agreement;

class OrderByTest : public ::testing::Test {
 protected:
  absl::Status Error(absl::string_view order_by) {
    auto keys = ParseOrderBy(order_by, *schema_);
    EXPECT_FALSE(keys.ok()) << order_by;
    return keys.ok() ? absl::OkStatus() : keys.status();
  }
  // Sorts the sample agreements by `order_by`, ties by name.
  std::vector<std::string> Sorted(absl::string_view order_by) {
    auto keys = ParseOrderBy(order_by, *schema_);
    EXPECT_TRUE(keys.ok()) << keys.status();
    std::vector<const Agreement*> records = {&trade_, &mou_, &undated_, &later_};
    std::sort(records.begin(), records.end(), [&](const Agreement* a, const Agreement* b) {
      const int c = CompareForOrder(*keys, *a, *b);
      return c != 0 ? c < 0 : a->name() < b->name();
    });
    std::vector<std::string> names;
    for (const Agreement* r : records) names.push_back(r->name().substr(11));
    return names;
  }

  std::unique_ptr<Schema> schema_ = testing::AgreementSchema();
  Agreement trade_ = testing::TradeAgreement();  // signed 2025-10-26
  Agreement mou_ = testing::Memorandum();        // signed 2024-02
  Agreement undated_ = testing::Undated();       // no dates
  Agreement later_ = [] {
    Agreement a = testing::Memorandum();
    a.set_name("agreements/feb-day");
    testing::SetDate(a.mutable_sign_date(), 2024, 2, 1);  // same first day as 2024-02
    a.clear_legally_binding();
    return a;
  }();
};

using Names = std::vector<std::string>;

TEST_F(OrderByTest, ParsesKeysAndDirections) {
  auto keys = ParseOrderBy("  sign_date desc ,title,kind ASC, term_years DESC ", *schema_);
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 4u);
  EXPECT_EQ((*keys)[0].field, schema_->Find("sign_date"));
  EXPECT_TRUE((*keys)[0].desc);
  EXPECT_EQ((*keys)[1].field->path, "title");
  EXPECT_FALSE((*keys)[1].desc);
  EXPECT_FALSE((*keys)[2].desc);
  EXPECT_TRUE((*keys)[3].desc);
}

TEST_F(OrderByTest, EmptyIsNoKeys) {
  auto keys = ParseOrderBy(" ", *schema_);
  ASSERT_TRUE(keys.ok());
  EXPECT_TRUE(keys->empty());
}

TEST_F(OrderByTest, AliasAndNestedSingularPath) {
  auto keys = ParseOrderBy("signed desc", *schema_);
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ((*keys)[0].field->path, "sign_date");
}

TEST_F(OrderByTest, Errors) {
  absl::Status unknown = Error("title, titel desc");
  EXPECT_EQ(unknown.message(), "offset 7: unknown field \"titel\"; did you mean \"title\"?");
  ASSERT_TRUE(unknown.GetPayload(kOrderByReasonPayload).has_value());
  EXPECT_EQ(std::string(*unknown.GetPayload(kOrderByReasonPayload)), "INVALID_ORDER_BY");
  EXPECT_EQ(std::string(*unknown.GetPayload(kOrderByOffsetPayload)), "7");

  absl::Status repeated = Error("parties");
  EXPECT_EQ(repeated.message(),
            "offset 0: cannot sort by \"parties\": it can have many values per record");
  EXPECT_EQ(GetErrorOffset(Error("events.date")), 0u);

  EXPECT_EQ(Error("title, title desc").message(), "offset 7: \"title\" is given twice");
  EXPECT_EQ(Error("signed, sign_date").message(), "offset 8: \"sign_date\" is given twice");
  EXPECT_EQ(GetErrorOffset(Error("title,,kind")), 6u);
  EXPECT_EQ(GetErrorOffset(Error("title,")), 6u);
  EXPECT_EQ(GetErrorOffset(Error(",title")), 0u);
  EXPECT_EQ(Error("title descending").message(),
            "offset 6: expected asc, desc or ',' after \"title\", found \"descending\"");
  EXPECT_EQ(GetErrorOffset(Error("title desc kind")), 11u);
  EXPECT_EQ(GetErrorOffset(Error("title-x")), 5u);
  EXPECT_EQ(GetErrorOffset(Error("ti\xfftle")), 2u);
  EXPECT_EQ(GetErrorOffset(Error(std::string(kMaxOrderByLength + 1, ' '))), kMaxOrderByLength);
}

TEST_F(OrderByTest, AtMostEightKeys) {
  const std::string eight = "name, title, short_title, kind, state, sign_date, term_years, summary";
  EXPECT_TRUE(ParseOrderBy(eight, *schema_).ok());
  absl::Status status = Error(eight + ", partnership");
  EXPECT_EQ(GetErrorOffset(status), eight.size() + 2);
  EXPECT_NE(status.message().find("more than 8 sort keys"), absl::string_view::npos);
}

TEST_F(OrderByTest, DatesSortByFirstThenLastWithEmptyFirst) {
  // undated (empty) < feb-day [0201,0201] < mou [0201,0229] < trade.
  EXPECT_EQ(Sorted("sign_date"),
            (Names{"undated", "feb-day", "my-us-mou-2024", "my-us-reciprocal-trade-2025"}));
  EXPECT_EQ(Sorted("sign_date desc"),
            (Names{"my-us-reciprocal-trade-2025", "my-us-mou-2024", "feb-day", "undated"}));
}

TEST_F(OrderByTest, MultipleKeysAndTypes) {
  // mou and feb-day tie on kind and title; the caller's name tie-break decides.
  EXPECT_EQ(Sorted("kind, title desc"),
            (Names{"my-us-reciprocal-trade-2025", "feb-day", "my-us-mou-2024", "undated"}));
  EXPECT_EQ(Sorted("term_years desc, kind desc"),
            (Names{"feb-day", "my-us-mou-2024", "undated", "my-us-reciprocal-trade-2025"}));
  // Unset `optional` sorts first, then false, then true.
  EXPECT_EQ(Sorted("legally_binding"),
            (Names{"feb-day", "my-us-mou-2024", "undated", "my-us-reciprocal-trade-2025"}));
  EXPECT_EQ(Sorted("short_title desc"),
            (Names{"my-us-reciprocal-trade-2025", "feb-day", "my-us-mou-2024", "undated"}));
}

TEST_F(OrderByTest, CompareForOrderSigns) {
  auto keys = ParseOrderBy("sign_date", *schema_);
  ASSERT_TRUE(keys.ok());
  EXPECT_LT(CompareForOrder(*keys, mou_, trade_), 0);
  EXPECT_GT(CompareForOrder(*keys, trade_, mou_), 0);
  EXPECT_EQ(CompareForOrder(*keys, trade_, trade_), 0);
  EXPECT_EQ(CompareForOrder({}, trade_, mou_), 0);
}

}  // namespace
}  // namespace accord::query
