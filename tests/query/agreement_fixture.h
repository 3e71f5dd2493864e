// Sample agreements and the Agreement schema, shared by the query tests.
#ifndef ACCORD_TESTS_QUERY_AGREEMENT_FIXTURE_H_
#define ACCORD_TESTS_QUERY_AGREEMENT_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "accord/v1/agreement.pb.h"
#include "service/query/schema.h"

namespace accord::query::testing {

inline void SetDate(accord::v1::Date* d, int year, int month = 0, int day = 0) {
  d->set_year(year);
  d->set_month(month);
  d->set_day(day);
}

// The Agreement schema with the alias "signed" for "sign_date".
inline std::unique_ptr<Schema> AgreementSchema() {
  std::unique_ptr<Schema> schema = Schema::FromDescriptor(accord::v1::Agreement::descriptor());
  schema->AddAlias("signed", "sign_date");
  return schema;
}

// A Malaysia-US trade agreement signed 2025-10-26, not yet in force.
inline accord::v1::Agreement TradeAgreement() {
  accord::v1::Agreement a;
  a.set_name("agreements/my-us-reciprocal-trade-2025");
  a.set_title("Agreement on Reciprocal Trade");
  a.set_short_title("ART");
  a.set_kind(accord::v1::Agreement::TRADE_AGREEMENT);
  a.set_legally_binding(true);
  a.add_parties("countries/my");
  a.add_parties("countries/us");
  a.set_state(accord::v1::Agreement::SIGNED);
  auto* negotiated = a.add_events();
  negotiated->set_type(accord::v1::Agreement::Event::NEGOTIATED);
  SetDate(negotiated->mutable_date(), 2025, 7);
  auto* signed_event = a.add_events();
  signed_event->set_type(accord::v1::Agreement::Event::SIGNED);
  SetDate(signed_event->mutable_date(), 2025, 10, 26);
  signed_event->set_place("Kuala Lumpur, Malaysia");
  SetDate(a.mutable_sign_date(), 2025, 10, 26);
  a.set_place_of_signing("Kuala Lumpur, Malaysia");
  auto* signatory = a.add_signatories();
  signatory->set_display_name("Anwar Ibrahim");
  signatory->set_country("countries/my");
  a.add_cooperation_areas("cooperationAreas/trade");
  a.add_sectors("sectors/semiconductors");
  a.add_sectors("sectors/agriculture");
  a.set_term_years(0);
  auto* evidence = a.add_evidence();
  evidence->set_source("sources/white-house-fact-sheet");
  evidence->set_attribution(accord::v1::Evidence::STATED);
  return a;
}

// A memorandum dated only to the month (2024-02), no short title, legally
// binding unknown, fixed term of 5 years.
inline accord::v1::Agreement Memorandum() {
  accord::v1::Agreement a;
  a.set_name("agreements/my-us-mou-2024");
  a.set_title("Memorandum of Understanding on Semiconductor Supply Chain");
  a.set_kind(accord::v1::Agreement::MEMORANDUM_OF_UNDERSTANDING);
  a.add_parties("countries/my");
  a.add_parties("countries/us");
  a.set_state(accord::v1::Agreement::IN_FORCE);
  auto* signed_event = a.add_events();
  signed_event->set_type(accord::v1::Agreement::Event::SIGNED);
  SetDate(signed_event->mutable_date(), 2024, 2);
  auto* in_force = a.add_events();
  in_force->set_type(accord::v1::Agreement::Event::ENTERED_INTO_FORCE);
  SetDate(in_force->mutable_date(), 2024, 2);
  SetDate(a.mutable_sign_date(), 2024, 2);
  SetDate(a.mutable_entry_into_force_date(), 2024, 2);
  a.add_sectors("sectors/semiconductors");
  a.set_term_years(5);
  return a;
}

// A joint statement with no dates at all and legally_binding = false.
inline accord::v1::Agreement Undated() {
  accord::v1::Agreement a;
  a.set_name("agreements/undated");
  a.set_title("Joint Statement");
  a.set_kind(accord::v1::Agreement::JOINT_STATEMENT);
  a.set_legally_binding(false);
  a.add_parties("countries/my");
  return a;
}

}  // namespace accord::query::testing

#endif  // ACCORD_TESTS_QUERY_AGREEMENT_FIXTURE_H_
