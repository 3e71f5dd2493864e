#include "service/query/schema.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "accord/v1/commitment.pb.h"
#include "accord/v1/partnership.pb.h"
#include "tests/query/agreement_fixture.h"

namespace accord::query {
namespace {

using accord::v1::Agreement;

std::vector<Value> Extract(const Field& field, const google::protobuf::Message& record) {
  std::vector<Value> values;
  field.extract(record, &values);
  return values;
}

TEST(SchemaTest, DerivesAgreementFields) {
  auto schema = Schema::FromDescriptor(Agreement::descriptor());
  ASSERT_EQ(schema->descriptor(), Agreement::descriptor());
  struct Expected {
    const char* path;
    Type type;
    bool repeated;
  };
  for (const Expected& e : std::vector<Expected>{
           {"name", Type::kString, false},
           {"kind", Type::kEnum, false},
           {"legally_binding", Type::kBool, false},
           {"parties", Type::kString, true},
           {"events.type", Type::kEnum, true},
           {"events.date", Type::kDate, true},
           {"events.evidence.source", Type::kString, true},
           {"sign_date", Type::kDate, false},
           {"signatories.country", Type::kString, true},
           {"related_agreements.type", Type::kEnum, true},
           {"term_years", Type::kInt, false},
           {"evidence.attribution", Type::kEnum, true},
       }) {
    const Field* field = schema->Find(e.path);
    ASSERT_NE(field, nullptr) << e.path;
    EXPECT_EQ(field->path, e.path);
    EXPECT_EQ(field->type, e.type) << e.path;
    EXPECT_EQ(field->repeated, e.repeated) << e.path;
  }
  // A Date is one field, not three.
  EXPECT_EQ(schema->Find("sign_date.year"), nullptr);
  EXPECT_EQ(schema->Find("events"), nullptr);
  EXPECT_EQ(schema->Find("kind")->enum_type, Agreement::Kind_descriptor());
  EXPECT_TRUE(schema->Find("legally_binding")->explicit_presence);
  EXPECT_FALSE(schema->Find("title")->explicit_presence);
  EXPECT_TRUE(schema->Find("parties")->explicit_presence);
  // Stable order: descriptor order, depth first.
  EXPECT_EQ(schema->fields()[0]->path, "name");
  EXPECT_EQ(schema->fields()[1]->path, "title");
}

TEST(SchemaTest, ExtractorsReadValues) {
  auto schema = Schema::FromDescriptor(Agreement::descriptor());
  const Agreement trade = testing::TradeAgreement();

  std::vector<Value> parties = Extract(*schema->Find("parties"), trade);
  ASSERT_EQ(parties.size(), 2u);
  EXPECT_EQ(parties[0].str, "countries/my");
  EXPECT_EQ(parties[1].str, "countries/us");
  // Views into the record, not copies.
  EXPECT_EQ(parties[0].str.data(), trade.parties(0).data());

  std::vector<Value> types = Extract(*schema->Find("events.type"), trade);
  ASSERT_EQ(types.size(), 2u);
  EXPECT_EQ(types[0].num, Agreement::Event::NEGOTIATED);
  EXPECT_EQ(types[1].num, Agreement::Event::SIGNED);

  std::vector<Value> dates = Extract(*schema->Find("events.date"), trade);
  ASSERT_EQ(dates.size(), 2u);
  EXPECT_EQ(dates[0].date.first, 20250701);
  EXPECT_EQ(dates[0].date.last, 20250731);
  EXPECT_EQ(dates[1].date.first, 20251026);

  std::vector<Value> binding = Extract(*schema->Find("legally_binding"), trade);
  ASSERT_EQ(binding.size(), 1u);
  EXPECT_EQ(binding[0].num, 1);
}

TEST(SchemaTest, UnsetFields) {
  auto schema = Schema::FromDescriptor(Agreement::descriptor());
  const Agreement empty;
  // Unset proto3 scalars yield their default.
  std::vector<Value> title = Extract(*schema->Find("title"), empty);
  ASSERT_EQ(title.size(), 1u);
  EXPECT_EQ(title[0].str, "");
  std::vector<Value> kind = Extract(*schema->Find("kind"), empty);
  ASSERT_EQ(kind.size(), 1u);
  EXPECT_EQ(kind[0].num, 0);
  // Unset optional: nothing. Unset date: the empty range.
  EXPECT_TRUE(Extract(*schema->Find("legally_binding"), empty).empty());
  std::vector<Value> date = Extract(*schema->Find("sign_date"), empty);
  ASSERT_EQ(date.size(), 1u);
  EXPECT_TRUE(date[0].date.empty());
  // Empty repeated: nothing.
  EXPECT_TRUE(Extract(*schema->Find("parties"), empty).empty());
  EXPECT_TRUE(Extract(*schema->Find("events.type"), empty).empty());
}

TEST(SchemaTest, AliasesAndComputedFields) {
  auto schema = Schema::FromDescriptor(Agreement::descriptor());
  EXPECT_FALSE(schema->AddAlias("x", "no_such_field"));
  ASSERT_TRUE(schema->AddAlias("signed", "sign_date"));
  EXPECT_EQ(schema->Find("signed"), schema->Find("sign_date"));

  const size_t count = schema->fields().size();
  Field computed;
  computed.path = "commitments.committed_by";
  computed.type = Type::kString;
  computed.repeated = true;
  schema->AddField(computed);
  EXPECT_EQ(schema->fields().size(), count + 1);
  const Field* first = schema->Find("commitments.committed_by");
  ASSERT_NE(first, nullptr);

  // Replacing keeps the pointer stable.
  computed.description = "replaced";
  schema->AddField(computed);
  EXPECT_EQ(schema->fields().size(), count + 1);
  EXPECT_EQ(schema->Find("commitments.committed_by"), first);
  EXPECT_EQ(first->description, "replaced");

  // Replacing a real field keeps its aliases pointing at it.
  Field sign = *schema->Find("sign_date");
  sign.description = "computed sign date";
  schema->AddField(sign);
  EXPECT_EQ(schema->Find("signed")->description, "computed sign date");
}

TEST(SchemaTest, ClosestName) {
  auto schema = Schema::FromDescriptor(Agreement::descriptor());
  EXPECT_EQ(schema->ClosestName("titel"), "title");
  EXPECT_EQ(schema->ClosestName("event.type"), "events.type");
  EXPECT_EQ(schema->ClosestName("qqqqqqqqqqq"), "");
}

TEST(SchemaTest, OtherResources) {
  auto commitments = Schema::FromDescriptor(accord::v1::Commitment::descriptor());
  ASSERT_NE(commitments->Find("committed_by"), nullptr);
  EXPECT_TRUE(commitments->Find("committed_by")->repeated);
  auto partnerships = Schema::FromDescriptor(accord::v1::Partnership::descriptor());
  const Field* leader = partnerships->Find("level_history.leaders.country");
  ASSERT_NE(leader, nullptr);
  EXPECT_TRUE(leader->repeated);
  EXPECT_EQ(partnerships->Find("level_history.date")->type, Type::kDate);
}

}  // namespace
}  // namespace accord::query
