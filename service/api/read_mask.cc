#include "service/api/read_mask.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/field_mask_util.h"
#include "service/api/errors.h"

namespace accord::api {

using google::protobuf::util::FieldMaskUtil;

namespace {

// Says which part of an invalid path is wrong: an unknown field, or a step
// through a repeated field (field masks cannot select inside those).
std::string WhyInvalid(const google::protobuf::Descriptor* descriptor, absl::string_view path) {
  const google::protobuf::Descriptor* at = descriptor;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (at == nullptr) {
      return "goes inside a field that is not a message";
    }
    const auto* field = at->FindFieldByName(std::string(part));
    if (field == nullptr) {
      return absl::StrCat("is not valid: \"", QuotePrefix(part), "\" is not a field of ",
                          at->full_name());
    }
    if (field->is_repeated() && part.end() != path.end()) {
      return absl::StrCat("is not valid: \"", field->name(),
                          "\" is repeated, and a read_mask cannot select fields inside a "
                          "repeated field; select \"",
                          field->name(), "\" whole");
    }
    at = field->message_type();
  }
  return absl::StrCat("is not a field of ", descriptor->full_name());
}

// FieldMaskUtil::MergeMessageTo creates an empty sub-message for a path
// into a message field that `source` does not have (`sign_date.year` of an
// agreement with no signing date). Clears those in `out`, so that it is
// `source` trimmed to `mask`, as Apply makes it: a field the record does
// not have stays unset.
void ClearAbsentParents(const google::protobuf::Message& source,
                        const google::protobuf::FieldMask& mask, google::protobuf::Message* out) {
  for (const std::string& path : mask.paths()) {
    if (path.find('.') == std::string::npos) continue;
    const google::protobuf::Message* from = &source;
    google::protobuf::Message* to = out;
    for (absl::string_view part : absl::StrSplit(path, '.')) {
      const auto* field = from->GetDescriptor()->FindFieldByName(std::string(part));
      if (field == nullptr || field->is_repeated() ||
          field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
        break;
      }
      if (!from->GetReflection()->HasField(*from, field)) {
        to->GetReflection()->ClearField(to, field);
        break;
      }
      from = &from->GetReflection()->GetMessage(*from, field);
      to = to->GetReflection()->MutableMessage(to, field);
    }
  }
}

}  // namespace

absl::StatusOr<ReadMask> ReadMask::Parse(const google::protobuf::FieldMask& mask,
                                         const google::protobuf::Descriptor* descriptor) {
  ReadMask out;
  for (const std::string& path : mask.paths()) {
    if (path == "*") return out;
  }
  if (mask.paths().empty()) return out;
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  out.top_level_only_ = true;  // until a nested path
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    if (path.empty() || path.front() == '.' || path.back() == '.' ||
        path.find("..") != std::string::npos) {
      return Annotate(absl::InvalidArgumentError(absl::StrCat(
                          "read_mask path \"", QuotePrefix(path),
                          "\" is malformed: paths are field names joined by single dots")),
                      "INVALID_READ_MASK", absl::StrCat("read_mask.paths[", i, "]"));
    }
    // A top-level path is valid exactly when it names a field; the general
    // check (which splits the path and collects its fields) is for nested ones.
    const google::protobuf::FieldDescriptor* top = nullptr;
    const bool valid = path.find('.') == std::string::npos
                           ? (top = descriptor->FindFieldByName(path)) != nullptr
                           : FieldMaskUtil::GetFieldDescriptors(descriptor, path, &fields);
    if (!valid) {
      return Annotate(
          absl::InvalidArgumentError(absl::StrCat(
              "read_mask path \"", QuotePrefix(path), "\" ", WhyInvalid(descriptor, path),
              "; use field names such as \"name\" or paths through singular "
              "messages such as \"sign_date.year\"")),
          "INVALID_READ_MASK", absl::StrCat("read_mask.paths[", i, "]"));
    }
    if (top != nullptr) {
      out.top_level_.push_back(top->number());
    } else {
      out.top_level_only_ = false;
    }
  }
  out.all_ = false;
  out.mask_ = mask;
  if (!out.top_level_only_) out.top_level_.clear();
  std::sort(out.top_level_.begin(), out.top_level_.end());
  out.top_level_.erase(std::unique(out.top_level_.begin(), out.top_level_.end()),
                       out.top_level_.end());
  return out;
}

void ReadMask::CopySelected(const google::protobuf::Message& source,
                            google::protobuf::Message* out) const {
  if (all_) {
    out->CopyFrom(source);
    return;
  }
  FieldMaskUtil::MergeMessageTo(source, mask_, FieldMaskUtil::MergeOptions(), out);
  ClearAbsentParents(source, mask_, out);
}

void ReadMask::Apply(google::protobuf::Message* message) const {
  if (all_) return;
  FieldMaskUtil::TrimMessage(mask_, message);
}

}  // namespace accord::api
