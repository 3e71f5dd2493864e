// Reads the values of a record's top-level fields straight from its wire
// bytes, in one pass over the bytes, for the index build: no parse, no
// reflection per field. The values are those query::Schema's reflection
// extractors give for the same fields of the parsed record.
#ifndef ACCORD_SERVICE_INDEX_WIRE_FIELDS_H_
#define ACCORD_SERVICE_INDEX_WIRE_FIELDS_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "service/query/schema.h"
#include "service/query/value.h"

namespace accord::index {

class WireFields {
 public:
  // A reader of `fields` in records of type `record`, or nullopt when one
  // of them cannot be read from the wire here: a path that is not a field
  // of `record` reached through singular sub-messages only (a path through
  // a repeated message, or a computed field), a field in a oneof, a type
  // the schema would not derive, or a message that is not proto3. `fields`
  // must be the schema's own fields derived from `record` (Schema::
  // FromDescriptor), whose extractors read the field by reflection.
  static std::optional<WireFields> Create(const google::protobuf::Descriptor* record,
                                          const std::vector<const query::Field*>& fields);

  // Sets (*out)[k] to the values of fields[k] in the serialized record
  // `bytes`, in the order and with the defaults the field's extractor
  // yields on the parsed record (last occurrence of a singular field wins;
  // an unset field yields its default, or nothing with explicit presence;
  // an unset Date the empty range). String values view `bytes`. Malformed
  // bytes yield what was read before the fault.
  void Read(absl::string_view bytes, std::vector<std::vector<query::Value>>* out) const;

 private:
  struct Slot {
    const google::protobuf::FieldDescriptor* field = nullptr;  // the leaf
    query::Type type = query::Type::kString;
    bool is_date = false;
    bool presence = false;  // explicit presence: nothing when unset
  };
  // One message level: its fields read (leaves) and its singular
  // sub-messages descended into, by field number.
  struct Level {
    const google::protobuf::Descriptor* type = nullptr;
    std::vector<int> leaf_of;   // field number -> slot + 1 (0: none)
    std::vector<int> child_of;  // field number -> level + 1 (0: none)
  };
  // Reads `bytes`, a message at `levels_[level]`, into the values and the
  // singular fields' state.
  void ReadLevel(size_t level, absl::string_view bytes, std::vector<std::vector<query::Value>>* out,
                 uint8_t* seen, int (*date)[3]) const;

  std::vector<Slot> slots_;
  std::vector<Level> levels_;  // levels_[0]: the record
  // accord.v1.Date's year, month, day field numbers.
  int date_numbers_[3] = {0, 0, 0};
};

}  // namespace accord::index

#endif  // ACCORD_SERVICE_INDEX_WIRE_FIELDS_H_
