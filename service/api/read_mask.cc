#include "service/api/read_mask.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_mask_util.h"
#include "service/api/errors.h"

namespace accord::api {

using google::protobuf::util::FieldMaskUtil;

absl::StatusOr<ReadMask> ReadMask::Parse(const google::protobuf::FieldMask& mask,
                                         const google::protobuf::Descriptor* descriptor) {
  ReadMask out;
  for (const std::string& path : mask.paths()) {
    if (path == "*") return out;
  }
  if (mask.paths().empty()) return out;
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    std::vector<const google::protobuf::FieldDescriptor*> fields;
    if (!FieldMaskUtil::GetFieldDescriptors(descriptor, path, &fields)) {
      return Annotate(absl::InvalidArgumentError(absl::StrCat(
                          "read_mask path \"", path, "\" is not a field of ",
                          descriptor->full_name(),
                          "; use field names such as \"name\" or nested paths such as "
                          "\"sign_date.year\"")),
                      "INVALID_READ_MASK", absl::StrCat("read_mask.paths[", i, "]"));
    }
  }
  out.all_ = false;
  out.mask_ = mask;
  return out;
}

void ReadMask::Apply(google::protobuf::Message* message) const {
  if (all_) return;
  FieldMaskUtil::TrimMessage(mask_, message);
}

}  // namespace accord::api
