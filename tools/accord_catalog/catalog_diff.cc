#include "tools/accord_catalog/catalog_diff.h"

#include <map>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "accord/v1/catalog.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "service/catalog/collections.h"

namespace accord::tools {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::TextFormat;
using google::protobuf::util::MessageDifferencer;

struct Record {
  int collection_order;
  std::string collection;
  std::unique_ptr<Message> message;
};

// name -> record, for every resource of the catalogue; sources carry their
// shipped text.
std::map<std::string, Record> Records(const catalog::RawCatalog& raw) {
  std::map<std::string, Record> out;
  const Message& catalog = *raw.catalog;
  const Descriptor* d = catalog.GetDescriptor();
  const Reflection* r = catalog.GetReflection();
  for (int f = 0; f < d->field_count(); ++f) {
    const FieldDescriptor* field = d->field(f);
    if (!field->is_repeated() || field->message_type() == nullptr) continue;
    int order = -1;
    std::string collection;
    for (catalog::CollectionId id : catalog::kAllCollections) {
      if (catalog::MessageTypeName(id) == field->message_type()->full_name()) {
        order = static_cast<int>(id);
        collection = std::string(catalog::CollectionName(id));
      }
    }
    if (order < 0) continue;
    const FieldDescriptor* name = field->message_type()->FindFieldByName("name");
    for (int i = 0; i < r->FieldSize(catalog, field); ++i) {
      const Message& m = r->GetRepeatedMessage(catalog, field, i);
      std::unique_ptr<Message> copy(m.New());
      copy->CopyFrom(m);
      if (auto* source = dynamic_cast<accord::v1::Source*>(copy.get()); source != nullptr) {
        auto text = raw.texts.find(absl::StripPrefix(source->name(), "sources/"));
        if (text != raw.texts.end()) source->set_text(text->second);
      }
      std::string key = m.GetReflection()->GetString(m, name);
      out[key] = Record{order, collection, std::move(copy)};
    }
  }
  return out;
}

// Text of the value the last step of `path` names in `parent`, the message
// that holds it (MessageDifferencer reports the innermost messages); `use_new`
// picks the step's new_index.
std::string ValueAt(const Message& parent,
                    const std::vector<MessageDifferencer::SpecificField>& path, bool use_new) {
  if (path.empty() || path.back().field == nullptr) return "";
  const FieldDescriptor* field = path.back().field;
  if (field->containing_type() != parent.GetDescriptor()) return "";
  TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  printer.SetUseUtf8StringEscaping(true);
  const Reflection* r = parent.GetReflection();
  int index = use_new ? path.back().new_index : path.back().index;
  if (field->is_repeated() && (index < 0 || index >= r->FieldSize(parent, field))) return "";
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    const Message& sub = field->is_repeated() ? r->GetRepeatedMessage(parent, field, index)
                                              : r->GetMessage(parent, field);
    std::string out;
    printer.PrintToString(sub, &out);
    return std::string(absl::StripTrailingAsciiWhitespace(out));
  }
  std::string out;
  printer.PrintFieldValueToString(parent, field, field->is_repeated() ? index : -1, &out);
  return out;
}

std::string PathString(const std::vector<MessageDifferencer::SpecificField>& path, bool use_new) {
  std::string out;
  for (const auto& step : path) {
    if (step.field == nullptr) continue;
    if (!out.empty()) out.push_back('.');
    absl::StrAppend(&out, step.field->name());
    int index = use_new ? step.new_index : step.index;
    if (step.field->is_repeated() && index >= 0) absl::StrAppend(&out, "[", index, "]");
  }
  return out;
}

class CollectingReporter : public MessageDifferencer::Reporter {
 public:
  explicit CollectingReporter(std::vector<FieldChange>* out) : out_(out) {}
  void ReportAdded(const Message&, const Message& after,
                   const std::vector<MessageDifferencer::SpecificField>& path) override {
    out_->push_back(
        {FieldChange::Kind::kAdded, PathString(path, true), "", ValueAt(after, path, true)});
  }
  void ReportDeleted(const Message& before, const Message&,
                     const std::vector<MessageDifferencer::SpecificField>& path) override {
    out_->push_back(
        {FieldChange::Kind::kRemoved, PathString(path, false), ValueAt(before, path, false), ""});
  }
  void ReportModified(const Message& before, const Message& after,
                      const std::vector<MessageDifferencer::SpecificField>& path) override {
    // A modified message is also reported field by field; keep the leaves.
    if (!path.empty() && path.back().field != nullptr &&
        path.back().field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      return;
    }
    out_->push_back({FieldChange::Kind::kModified, PathString(path, true),
                     ValueAt(before, path, false), ValueAt(after, path, true)});
  }

 private:
  std::vector<FieldChange>* out_;
};

// Repeated scalars (parties, sectors, ...) are matched by longest common
// subsequence, so one insertion is one addition; repeated messages are
// matched by position, so a changed event shows the fields that changed.
void TreatScalarListsAsSmartLists(const Descriptor* d, MessageDifferencer* differencer,
                                  int depth = 0) {
  if (depth > 6) return;
  for (int f = 0; f < d->field_count(); ++f) {
    const FieldDescriptor* field = d->field(f);
    if (field->message_type() != nullptr) {
      TreatScalarListsAsSmartLists(field->message_type(), differencer, depth + 1);
    } else if (field->is_repeated()) {
      differencer->TreatAsSmartList(field);
    }
  }
}

// `value` as a JSON string literal, escaped by protobuf's JSON printer.
std::string JsonString(const std::string& value) {
  google::protobuf::Value v;
  v.set_string_value(value);
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(v, &out);
  return out;
}

const char* KindWord(FieldChange::Kind k) {
  switch (k) {
    case FieldChange::Kind::kAdded:
      return "added";
    case FieldChange::Kind::kRemoved:
      return "removed";
    case FieldChange::Kind::kModified:
      return "modified";
  }
  return "";
}

std::string Cut(const std::string& value) {
  if (value.size() <= 200) return value;
  return absl::StrCat(value.substr(0, 160), "... (", value.size(), " bytes)");
}

}  // namespace

std::vector<ResourceChange> DiffCatalogs(const catalog::RawCatalog& before,
                                         const catalog::RawCatalog& after) {
  std::map<std::string, Record> old_records = Records(before);
  std::map<std::string, Record> new_records = Records(after);
  std::vector<std::pair<int, ResourceChange>> changes;
  for (const auto& [name, record] : old_records) {
    auto it = new_records.find(name);
    if (it == new_records.end()) {
      changes.push_back(
          {record.collection_order, {ResourceChange::Kind::kRemoved, record.collection, name, {}}});
      continue;
    }
    ResourceChange change{ResourceChange::Kind::kChanged, record.collection, name, {}};
    CollectingReporter reporter(&change.fields);
    MessageDifferencer differencer;
    TreatScalarListsAsSmartLists(record.message->GetDescriptor(), &differencer);
    differencer.ReportDifferencesTo(&reporter);
    if (!differencer.Compare(*record.message, *it->second.message)) {
      changes.push_back({record.collection_order, std::move(change)});
    }
  }
  for (const auto& [name, record] : new_records) {
    if (old_records.count(name) > 0) continue;
    changes.push_back(
        {record.collection_order, {ResourceChange::Kind::kAdded, record.collection, name, {}}});
  }
  std::stable_sort(changes.begin(), changes.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.name < b.second.name;
  });
  std::vector<ResourceChange> out;
  for (auto& [order, change] : changes) out.push_back(std::move(change));
  return out;
}

std::string FormatDiffText(const std::vector<ResourceChange>& changes) {
  std::string out;
  for (const ResourceChange& c : changes) {
    switch (c.kind) {
      case ResourceChange::Kind::kAdded:
        absl::StrAppend(&out, "+ ", c.name, "\n");
        break;
      case ResourceChange::Kind::kRemoved:
        absl::StrAppend(&out, "- ", c.name, "\n");
        break;
      case ResourceChange::Kind::kChanged:
        absl::StrAppend(&out, "~ ", c.name, "\n");
        for (const FieldChange& f : c.fields) {
          switch (f.kind) {
            case FieldChange::Kind::kAdded:
              absl::StrAppend(&out, "    + ", f.path, ": ", Cut(f.new_value), "\n");
              break;
            case FieldChange::Kind::kRemoved:
              absl::StrAppend(&out, "    - ", f.path, ": ", Cut(f.old_value), "\n");
              break;
            case FieldChange::Kind::kModified:
              absl::StrAppend(&out, "    ~ ", f.path, ": ", Cut(f.old_value), " -> ",
                              Cut(f.new_value), "\n");
              break;
          }
        }
        break;
    }
  }
  return out;
}

std::string FormatDiffJson(const std::vector<ResourceChange>& changes) {
  std::string out = "{";
  const std::pair<ResourceChange::Kind, const char*> sections[] = {
      {ResourceChange::Kind::kAdded, "added"},
      {ResourceChange::Kind::kRemoved, "removed"},
      {ResourceChange::Kind::kChanged, "changed"}};
  for (const auto& [kind, key] : sections) {
    absl::StrAppend(&out, kind == ResourceChange::Kind::kAdded ? "\n" : ",\n", "  \"", key,
                    "\": [");
    bool first = true;
    for (const ResourceChange& c : changes) {
      if (c.kind != kind) continue;
      absl::StrAppend(&out, first ? "\n" : ",\n", "    {\"collection\": ", JsonString(c.collection),
                      ", \"name\": ", JsonString(c.name));
      first = false;
      if (kind == ResourceChange::Kind::kChanged) {
        absl::StrAppend(&out, ", \"fields\": [");
        for (size_t i = 0; i < c.fields.size(); ++i) {
          const FieldChange& f = c.fields[i];
          absl::StrAppend(&out, i == 0 ? "\n" : ",\n", "      {\"change\": \"", KindWord(f.kind),
                          "\", \"path\": ", JsonString(f.path));
          if (f.kind != FieldChange::Kind::kAdded) {
            absl::StrAppend(&out, ", \"old\": ", JsonString(f.old_value));
          }
          if (f.kind != FieldChange::Kind::kRemoved) {
            absl::StrAppend(&out, ", \"new\": ", JsonString(f.new_value));
          }
          absl::StrAppend(&out, "}");
        }
        absl::StrAppend(&out, c.fields.empty() ? "]" : "\n    ]");
      }
      absl::StrAppend(&out, "}");
    }
    absl::StrAppend(&out, first ? "]" : "\n  ]");
  }
  absl::StrAppend(&out, "\n}");
  return out;
}

}  // namespace accord::tools
