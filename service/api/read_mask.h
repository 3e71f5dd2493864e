// AIP-157 partial responses: validating and applying a read_mask.
#ifndef ACCORD_SERVICE_API_READ_MASK_H_
#define ACCORD_SERVICE_API_READ_MASK_H_

#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace accord::api {

// A checked read_mask for one resource type.
class ReadMask {
 public:
  // Checks `mask` against `descriptor`. An empty mask or one holding "*"
  // selects every field. InvalidArgument (reason INVALID_READ_MASK, field
  // read_mask) names the first unknown path.
  static absl::StatusOr<ReadMask> Parse(const google::protobuf::FieldMask& mask,
                                        const google::protobuf::Descriptor* descriptor);

  // True when every field is selected, so no trimming is needed.
  bool all() const { return all_; }

  // When every path is a top-level field (no '.'), their field numbers,
  // sorted; otherwise nullptr (and for a mask selecting everything). Lets a
  // reply keep the selected fields' bytes from a stored record without
  // parsing it.
  const std::vector<int>* top_level_numbers() const {
    return all_ || !top_level_only_ ? nullptr : &top_level_;
  }

  // Clears every field of `message` that the mask does not select.
  void Apply(google::protobuf::Message* message) const;

  // Copies into `out` (of the same type, empty) the fields of `source` the
  // mask selects, without first copying the rest. The result is what Apply
  // makes of a copy of `source`: a path into a message field that `source`
  // does not have (`sign_date.year` of an undated agreement) leaves that
  // field unset, not an empty message.
  void CopySelected(const google::protobuf::Message& source, google::protobuf::Message* out) const;

 private:
  bool all_ = true;
  bool top_level_only_ = false;
  std::vector<int> top_level_;
  google::protobuf::FieldMask mask_;
};

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_READ_MASK_H_
