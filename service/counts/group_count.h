// Counts of the records matching a filter, grouped by the values of one or
// two fields, answered from the fields' posting lists (engine::FieldIndex):
// one intersection count per group, no record is read.
#ifndef ACCORD_SERVICE_COUNTS_GROUP_COUNT_H_
#define ACCORD_SERVICE_COUNTS_GROUP_COUNT_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "roaring/roaring.hh"
#include "service/engine/field_index.h"
#include "service/query/value.h"

namespace accord::counts {

// How one grouping field's values form groups.
enum class Bucket {
  // One group per distinct value (kind, party, cooperation area, state).
  kValue,
  // One group per calendar year of a date field (signing year). A date
  // known only to the year still has a year; the year is the first.
  kYear,
};

// One grouping field: its value index and how to bucket it.
struct GroupField {
  const engine::FieldIndex* index = nullptr;
  Bucket bucket = Bucket::kValue;
};

// One group's key and how many matching records fall in it. For kYear the
// key is a query::Value of type kInt holding the year.
struct GroupCount {
  std::vector<query::Value> key;  // one value per grouping field
  uint64_t count = 0;
};

// Counts the records in `matches` (positions, as the engine returns them)
// by the values of `fields` (one or two). Groups with no record are left
// out. A record with several values of a repeated field (parties, sectors)
// counts once in each of their groups; a record with no value of a field is
// in no group of it. Groups come in value order of the first field, then of
// the second (strings bytewise, enums by number, years ascending).
// InvalidArgument for zero or more than two fields, a null index, or kYear
// on a field that is not a date.
absl::StatusOr<std::vector<GroupCount>> CountByGroups(const Roaring& matches,
                                                      absl::Span<const GroupField> fields);

}  // namespace accord::counts

#endif  // ACCORD_SERVICE_COUNTS_GROUP_COUNT_H_
