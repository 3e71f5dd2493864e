#include "tools/accord_catalog/locate.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "accord/v1/catalog.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/text_format.h"

namespace accord::tools {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::TextFormat;

// True for "events[0].date"-like text: dotted field names, each with an
// optional [index].
bool LooksLikePath(absl::string_view s) {
  if (s.empty()) return false;
  for (absl::string_view part : absl::StrSplit(s, '.')) {
    if (part.empty()) return false;
    size_t bracket = part.find('[');
    absl::string_view field = part.substr(0, bracket);
    if (field.empty()) return false;
    for (char c : field) {
      if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_')) return false;
    }
    if (bracket != absl::string_view::npos) {
      int index;
      absl::string_view rest = part.substr(bracket + 1);
      if (!absl::ConsumeSuffix(&rest, "]") || !absl::SimpleAtoi(rest, &index)) return false;
    }
  }
  return true;
}

struct PathStep {
  std::string field;
  int index = -1;
};

std::vector<PathStep> ParsePath(absl::string_view path) {
  std::vector<PathStep> steps;
  if (path.empty()) return steps;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    PathStep step;
    size_t bracket = part.find('[');
    step.field = std::string(part.substr(0, bracket));
    if (bracket != absl::string_view::npos) {
      absl::string_view rest = part.substr(bracket + 1);
      rest.remove_suffix(1);
      (void)absl::SimpleAtoi(rest, &step.index);
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

TextLocation ToLocation(TextFormat::ParseLocation loc) { return {loc.line + 1, loc.column + 1}; }

}  // namespace

std::optional<ValidationMessage> SplitValidationMessage(absl::string_view message) {
  std::vector<absl::string_view> parts = absl::StrSplit(message, absl::MaxSplits(": ", 3));
  if (parts.size() < 3) return std::nullopt;
  if (!absl::EndsWith(parts[0], ".textproto") && !absl::EndsWith(parts[0], ".binpb")) {
    return std::nullopt;
  }
  ValidationMessage out;
  out.file = std::string(parts[0]);
  out.record = std::string(parts[1]);
  if (parts.size() == 4 && LooksLikePath(parts[2])) {
    out.path = std::string(parts[2]);
    out.problem = std::string(parts[3]);
  } else {
    out.problem = std::string(message.substr(parts[0].size() + parts[1].size() + 4));
  }
  return out;
}

std::optional<TextLocation> LocateInTextproto(const std::string& textproto,
                                              absl::string_view record, absl::string_view path) {
  accord::v1::Catalog catalog;
  TextFormat::ParseInfoTree tree;
  TextFormat::Parser parser;
  parser.WriteLocationsTo(&tree);
  parser.AllowPartialMessage(true);
  if (!parser.ParseFromString(textproto, &catalog)) return std::nullopt;

  // Find the record: a repeated message field of Catalog whose element has
  // name == record.
  const Descriptor* d = catalog.GetDescriptor();
  const Reflection* r = catalog.GetReflection();
  for (int f = 0; f < d->field_count(); ++f) {
    const FieldDescriptor* field = d->field(f);
    if (!field->is_repeated() || field->type() != FieldDescriptor::TYPE_MESSAGE) continue;
    const FieldDescriptor* name_field = field->message_type()->FindFieldByName("name");
    if (name_field == nullptr) continue;
    for (int i = 0; i < r->FieldSize(catalog, field); ++i) {
      const Message& m = r->GetRepeatedMessage(catalog, field, i);
      if (m.GetReflection()->GetString(m, name_field) != record) continue;
      TextLocation best = ToLocation(tree.GetLocation(field, i));
      // Walk the path as deep as the text goes.
      const TextFormat::ParseInfoTree* node = tree.GetTreeForNested(field, i);
      const Descriptor* type = field->message_type();
      for (const PathStep& step : ParsePath(path)) {
        if (node == nullptr || type == nullptr) break;
        const FieldDescriptor* sub = type->FindFieldByName(step.field);
        if (sub == nullptr) break;
        int index = sub->is_repeated() ? (step.index < 0 ? 0 : step.index) : -1;
        TextFormat::ParseLocation loc = node->GetLocation(sub, index);
        if (loc.line < 0) break;
        best = ToLocation(loc);
        if (sub->type() != FieldDescriptor::TYPE_MESSAGE) break;
        node = node->GetTreeForNested(sub, index);
        type = sub->message_type();
      }
      return best;
    }
  }
  return std::nullopt;
}

}  // namespace accord::tools
