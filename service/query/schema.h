// The filterable and sortable fields of one resource type.
#ifndef ACCORD_SERVICE_QUERY_SCHEMA_H_
#define ACCORD_SERVICE_QUERY_SCHEMA_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "service/query/value.h"

namespace accord::query {

// Appends the values that `path` has in `record` to `out` (zero or more:
// none when the field is unset or the repeated field is empty).
using Extractor =
    std::function<void(const google::protobuf::Message& record, std::vector<Value>* out)>;

// A field that filters may name and, when `repeated` is false, that
// order_by may sort on.
struct Field {
  // The dotted path users write, e.g. "events.date" or "parties".
  std::string path;
  Type type = Type::kString;
  // True when the path crosses or ends in a repeated field, so a record can
  // have many values; only `:` (has) and, by extension, `=` apply to such a
  // field existentially, and it cannot be sorted on.
  bool repeated = false;
  // For kEnum: the enum, to resolve value names in filters.
  const google::protobuf::EnumDescriptor* enum_type = nullptr;
  // How `field:*` ("has any value") reads the extracted values. When false
  // (proto3 scalars without presence), `extract` yields the proto default
  // for an unset field, and only a non-default value (non-empty string,
  // non-zero number, true, non-empty date) counts as "has a value". When
  // true (proto3 `optional` fields, repeated scalars), `extract` yields
  // nothing for an unset field or empty list, and every yielded value counts.
  bool explicit_presence = false;
  // One line for docs/filtering.md.
  std::string description;
  Extractor extract;
};

// The fields of one resource type. Built once per catalogue snapshot;
// immutable and safe to share across threads afterwards.
class Schema {
 public:
  // Derives a field for every scalar, enum, bool and accord.v1.Date field
  // reachable from `descriptor` through singular and repeated sub-messages
  // (e.g. "events.date", "level_history.leaders.country"), by reflection.
  // A sub-message that is an accord.v1.Date is one kDate field, not a
  // message to descend into. Paths are the proto field names joined by ".";
  // a field below a repeated field is `repeated`. google.protobuf.* messages
  // and float, double and bytes fields are skipped, and descent stops at 4
  // levels of sub-messages. Extractors read by reflection, so `record` must
  // be a message of type `descriptor`; string values view the record.
  // An unset singular string/enum/int/bool yields its default ("", 0,
  // false); an unset `optional` one yields nothing; an unset Date yields the
  // empty DateRange.
  static std::unique_ptr<Schema> FromDescriptor(const google::protobuf::Descriptor* descriptor);

  // Adds a computed field, e.g. "commitments.committed_by" on agreements.
  // Replaces a field of the same path (in place: pointers returned by Find
  // for that path, and aliases of it, see the new field).
  void AddField(Field field);
  // Makes `alias` another name for the existing field `target`, e.g.
  // "signed" for "sign_date". Returns false if `target` is unknown.
  bool AddAlias(std::string alias, absl::string_view target);

  // The field named `path` (or an alias of it), or nullptr.
  const Field* Find(absl::string_view path) const;
  // Every field, in a stable order, for documentation.
  const std::vector<std::unique_ptr<Field>>& fields() const { return fields_; }
  const google::protobuf::Descriptor* descriptor() const { return descriptor_; }
  // The name Find accepts (path or alias) closest to `path` by edit
  // distance, if within max(2, size/3) edits, for "did you mean"
  // suggestions; "" when none is that close or `path` is over 128 bytes.
  absl::string_view ClosestName(absl::string_view path) const;
  // Every name Find accepts (paths and aliases), mapped to its field.
  const absl::flat_hash_map<std::string, const Field*>& names() const { return by_path_; }

 private:
  const google::protobuf::Descriptor* descriptor_ = nullptr;
  std::vector<std::unique_ptr<Field>> fields_;
  absl::flat_hash_map<std::string, const Field*> by_path_;
};

}  // namespace accord::query

#endif  // ACCORD_SERVICE_QUERY_SCHEMA_H_
