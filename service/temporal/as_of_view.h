// Rewrites served records as they stood at an as_of date (see as_of.h for
// the rules): what an Agreement or Partnership returned by Get or List with
// `as_of` looks like.
#ifndef ACCORD_SERVICE_TEMPORAL_AS_OF_VIEW_H_
#define ACCORD_SERVICE_TEMPORAL_AS_OF_VIEW_H_

#include "absl/strings/string_view.h"
#include "accord/v1/agreement.pb.h"
#include "accord/v1/partnership.pb.h"
#include "service/query/value.h"
#include "service/temporal/as_of.h"

namespace accord::temporal {

// Sets `state`, `possible_states` and `as_of` (date `date_text`); leaves out
// the events that had not happened by then (undated ones too), and clears
// `sign_date` / `entry_into_force_date` when their event had not happened.
// Returns whether the agreement existed by then (kNotYet: leave it out).
Existence ViewAgreementAsOf(const query::DateRange& as_of, absl::string_view date_text,
                            accord::v1::Agreement* agreement);

// Sets `current_level`, `possible_levels` and `as_of`; leaves out the level
// changes that had not happened by then.
void ViewPartnershipAsOf(const query::DateRange& as_of, absl::string_view date_text,
                         accord::v1::Partnership* partnership);

}  // namespace accord::temporal

#endif  // ACCORD_SERVICE_TEMPORAL_AS_OF_VIEW_H_
