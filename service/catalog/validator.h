// Checks a catalogue read from disk before it may serve.
#ifndef ACCORD_SERVICE_CATALOG_VALIDATOR_H_
#define ACCORD_SERVICE_CATALOG_VALIDATOR_H_

#include "absl/status/status.h"
#include "service/catalog/loader.h"

namespace accord::catalog {

// OK if the catalogue is sound; otherwise InvalidArgument whose message
// names the file, the record and the field, e.g.
//   data/catalogue/agreements.textproto: agreements/my-us-art:
//   events[0].date: month 13 is out of range 1-12
//
// The rules:
//  - every name is well formed for its collection and unique;
//  - a commitment's parent agreement exists;
//  - every reference (parties, sources, areas, ...) is a well-formed name of
//    an allowed collection, and the record exists;
//  - every date is a valid partial date;
//  - every enum holds a value its enum defines;
//  - every evidence names its source; every quote occurs in its source's
//    text, whitespace folded; a quote of a source without text is an error;
//  - agreements, commitments, assessments and partnership level changes
//    carry at least one piece of evidence;
//  - a country's iso_code matches its name;
//  - cooperation areas and sectors have no parent cycles;
//  - a partnership has exactly two parties and its level history, each
//    change with a level, is in date order; an economic tie runs from one
//    party to the other, names existing sectors and carries evidence;
//  - an agreement has a title and at least two parties; its events have a
//    type and are in date order (undated events may go anywhere), and an
//    event's party is a party of the agreement; a related agreement is set
//    and is not the agreement itself;
//  - a commitment is made by and toward parties of its agreement;
//  - a repeated reference field lists no record twice.
absl::Status ValidateCatalog(const RawCatalog& raw);

}  // namespace accord::catalog

#endif  // ACCORD_SERVICE_CATALOG_VALIDATOR_H_
