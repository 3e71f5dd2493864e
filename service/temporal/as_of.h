// "As of a date": an agreement's state and a partnership's level as they
// stood at the end of a (possibly partial) date, computed from their dated
// events and level history. Where the precision of a date makes the answer
// uncertain, the answer says so and lists the possibilities; it never
// guesses.
//
// The rules (docs/filtering-language.md, "As of a date"):
//  - `as_of` "2020", "2020-06" or "2020-06-01" means at the end of that
//    year, month or day: everything that happened on or before its last day.
//  - An event dated at a precision coarser than a day spans days. It
//    happened by the as_of day if its last day is on or before it; it had
//    not happened if its first day is after it; otherwise it is uncertain.
//  - An agreement's state is the state its events lead to (as in the
//    served `state` field) counting only the events that had happened.
//    Undated events never count. Uncertain events give the other possible
//    states, in order.
//  - An agreement exists as of the date if it was signed by then: if its
//    SIGNED event, or any later step (ratified, in force, renewed,
//    terminated), certainly happened by then. Otherwise, without a
//    dated SIGNED event, the first dated event stands in for it: any event
//    shows that the agreement existed by its date, but a RENEWED,
//    RATIFIED, ENTERED_INTO_FORCE or TERMINATED event after the date says
//    only that it was signed at some unknown earlier time, so existence is
//    uncertain. An agreement with no dated event at all is uncertain.
//  - A partnership's level is the level of the last change that had
//    happened (LEVEL_UNSPECIFIED before the first); uncertain changes give
//    the other possible levels.
#ifndef ACCORD_SERVICE_TEMPORAL_AS_OF_H_
#define ACCORD_SERVICE_TEMPORAL_AS_OF_H_

#include <string>
#include <vector>

#include "accord/v1/agreement.pb.h"
#include "accord/v1/common.pb.h"
#include "accord/v1/partnership.pb.h"
#include "service/query/value.h"

namespace accord::temporal {

// Whether something dated happened by the end of the as_of date.
enum class Happened { kYes, kNo, kUncertain };

// Compares a record's date (`event`, the days it spans) with the as_of day
// `day` (YYYYMMDD, the last day of the as_of date). An empty event date is
// kNo: undated events have not (knowably) happened.
Happened HappenedBy(const query::DateRange& event, int32_t day);

// Whether a record existed as of the date.
enum class Existence { kExists, kNotYet, kUncertain };

struct AgreementAsOf {
  Existence existence = Existence::kUncertain;
  // The state the events that certainly happened lead to.
  accord::v1::Agreement::State state = accord::v1::Agreement::STATE_UNSPECIFIED;
  // When an event is uncertain: every state the agreement may have been in,
  // `state` first, in the order of the events. Empty when the state is
  // certain.
  std::vector<accord::v1::Agreement::State> possible_states;
  // Why the answer is uncertain, in English, e.g. "the RENEWED event is
  // dated 2025-10, which spans the as_of date 2025-10-15". Empty when
  // existence and state are both certain.
  std::string uncertainty;
};

// `as_of` is the days of the as_of date (query::ParseDateLiteral).
AgreementAsOf AgreementStateAsOf(const accord::v1::Agreement& agreement,
                                 const query::DateRange& as_of);

struct PartnershipAsOf {
  // The level after the last change that certainly happened.
  accord::v1::Partnership::Level level = accord::v1::Partnership::LEVEL_UNSPECIFIED;
  // When a change is uncertain: every possible level, `level` first.
  std::vector<accord::v1::Partnership::Level> possible_levels;
  std::string uncertainty;
};

PartnershipAsOf PartnershipLevelAsOf(const accord::v1::Partnership& partnership,
                                     const query::DateRange& as_of);

// "2025", "2025-10" or "2025-10-26" for a record's partial date.
std::string FormatPartialDate(const accord::v1::Date& date);

}  // namespace accord::temporal

#endif  // ACCORD_SERVICE_TEMPORAL_AS_OF_H_
