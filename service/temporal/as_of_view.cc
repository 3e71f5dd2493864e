#include "service/temporal/as_of_view.h"

#include "service/query/date_literal.h"

namespace accord::temporal {

using accord::v1::Agreement;
using accord::v1::Partnership;

Existence ViewAgreementAsOf(const query::DateRange& as_of, absl::string_view date_text,
                            Agreement* agreement) {
  AgreementAsOf answer = AgreementStateAsOf(*agreement, as_of);
  auto* events = agreement->mutable_events();
  bool signed_kept = false, in_force_kept = false;
  for (int i = 0; i < events->size();) {
    const Agreement::Event& e = events->Get(i);
    if (HappenedBy(query::DateRangeFromProto(e.date()), as_of.last) == Happened::kNo) {
      events->DeleteSubrange(i, 1);
      continue;
    }
    signed_kept |= e.type() == Agreement::Event::SIGNED;
    in_force_kept |= e.type() == Agreement::Event::ENTERED_INTO_FORCE;
    ++i;
  }
  if (!signed_kept) agreement->clear_sign_date();
  if (!in_force_kept) agreement->clear_entry_into_force_date();
  agreement->set_state(answer.state);
  agreement->clear_possible_states();
  for (Agreement::State s : answer.possible_states) agreement->add_possible_states(s);
  auto* view = agreement->mutable_as_of();
  view->set_date(std::string(date_text));
  view->set_uncertain(answer.existence == Existence::kUncertain || !answer.possible_states.empty());
  view->set_uncertainty(view->uncertain() ? answer.uncertainty : "");
  return answer.existence;
}

void ViewPartnershipAsOf(const query::DateRange& as_of, absl::string_view date_text,
                         Partnership* partnership) {
  PartnershipAsOf answer = PartnershipLevelAsOf(*partnership, as_of);
  auto* history = partnership->mutable_level_history();
  for (int i = 0; i < history->size();) {
    if (HappenedBy(query::DateRangeFromProto(history->Get(i).date()), as_of.last) ==
        Happened::kNo) {
      history->DeleteSubrange(i, 1);
    } else {
      ++i;
    }
  }
  partnership->set_current_level(answer.level);
  partnership->clear_possible_levels();
  for (Partnership::Level l : answer.possible_levels) partnership->add_possible_levels(l);
  auto* view = partnership->mutable_as_of();
  view->set_date(std::string(date_text));
  view->set_uncertain(!answer.possible_levels.empty());
  view->set_uncertainty(answer.uncertainty);
}

}  // namespace accord::temporal
