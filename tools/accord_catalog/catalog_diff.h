// Compares two catalogues resource by resource, field by field.
#ifndef ACCORD_TOOLS_ACCORD_CATALOG_CATALOG_DIFF_H_
#define ACCORD_TOOLS_ACCORD_CATALOG_CATALOG_DIFF_H_

#include <string>
#include <vector>

#include "service/catalog/loader.h"

namespace accord::tools {

// One field that differs within a resource present in both catalogues.
struct FieldChange {
  enum class Kind { kAdded, kRemoved, kModified };
  Kind kind;
  // Path from the resource, with indexes into repeated fields, e.g.
  // "events[0].date.day"; for an added element the index is its new one.
  std::string path;
  // Values in protobuf text format (a message on one line); empty for the
  // side that has none.
  std::string old_value;
  std::string new_value;
};

// One resource added, removed or changed.
struct ResourceChange {
  enum class Kind { kAdded, kRemoved, kChanged };
  Kind kind;
  std::string collection;  // e.g. "agreements"
  std::string name;        // e.g. "agreements/my-us-acsa"
  // Set for kChanged only, in field-number order of the resource message.
  std::vector<FieldChange> fields;
};

// The resources of `after` that `before` lacks, those it has that `after`
// lacks, and those whose content differs, in collection order (countries,
// partnerships, agreements, ...) and then name order. A source's shipped
// text (texts/{id}.txt) counts as its `text` field. Repeated fields
// of scalars (parties, sectors) are matched by longest common subsequence,
// so one inserted element is one addition; repeated messages (events,
// evidence) are matched by position, so a change inside one shows the
// fields that changed.
std::vector<ResourceChange> DiffCatalogs(const catalog::RawCatalog& before,
                                         const catalog::RawCatalog& after);

// Human-readable report: one line per resource ("+ name", "- name",
// "~ name") and, under a changed one, one line per field. Values longer than
// 200 characters are cut, with their length in bytes. "" if no change.
std::string FormatDiffText(const std::vector<ResourceChange>& changes);

// The same report as a JSON object, keys in this order, values in full:
//   {"added": [{"collection", "name"}], "removed": [...],
//    "changed": [{"collection", "name",
//                 "fields": [{"change": "added|removed|modified", "path",
//                             "old" (unless added), "new" (unless removed)}]}]}
std::string FormatDiffJson(const std::vector<ResourceChange>& changes);

}  // namespace accord::tools

#endif  // ACCORD_TOOLS_ACCORD_CATALOG_CATALOG_DIFF_H_
