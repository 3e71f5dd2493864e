// Computes the output-only fields of a catalogue's records.
#ifndef ACCORD_SERVICE_CATALOG_DERIVE_H_
#define ACCORD_SERVICE_CATALOG_DERIVE_H_

#include "absl/container/flat_hash_map.h"
#include "accord/v1/catalog.pb.h"

namespace accord::catalog {

// Fills every output-only field from the stored ones, overwriting what a
// file may have put there:
//  - Date.precision everywhere;
//  - Partnership.current_level: the level of the last change;
//  - Agreement.state from its latest event; sign_date and
//    entry_into_force_date from its SIGNED and ENTERED_INTO_FORCE events;
//  - CooperationArea.ancestors, nearest first;
//  - Commitment.agreement from its name;
//  - Source.text from `texts` (source id to text).
// Assumes the catalogue has passed ValidateCatalog.
void DeriveOutputFields(const absl::flat_hash_map<std::string, std::string>& texts,
                        accord::v1::Catalog* catalog);

// The state an event of `type` moves an agreement into from `current`
// (`current` itself for event types that change no state). The one rule
// behind Agreement.state, also used for "as of" answers.
accord::v1::Agreement::State StateAfter(accord::v1::Agreement::Event::Type type,
                                        accord::v1::Agreement::State current);

}  // namespace accord::catalog

#endif  // ACCORD_SERVICE_CATALOG_DERIVE_H_
