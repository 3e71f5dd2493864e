#include "service/catalog/locators.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "accord/v1/catalog.pb.h"
#include "google/protobuf/descriptor.h"
#include "service/catalog/text.h"

namespace accord::catalog {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

class LocatorChecker {
 public:
  explicit LocatorChecker(const RawCatalog& raw) : raw_(raw) {
    for (const auto& [id, text] : raw.texts)
      paragraphs_[absl::StrCat("sources/", id)] = Paragraphs(text);
  }

  absl::Status Run() {
    const Message& catalog = *raw_.catalog;
    const Descriptor* d = catalog.GetDescriptor();
    const Reflection* r = catalog.GetReflection();
    for (int f = 0; f < d->field_count(); ++f) {
      const FieldDescriptor* field = d->field(f);
      std::optional<CollectionId> found;
      for (CollectionId c : kAllCollections) {
        if (field->message_type() != nullptr &&
            MessageTypeName(c) == field->message_type()->full_name()) {
          found = c;
        }
      }
      if (!found.has_value() || !field->is_repeated()) continue;
      const CollectionId id = *found;
      const FieldDescriptor* name = field->message_type()->FindFieldByName("name");
      for (int i = 0; i < r->FieldSize(catalog, field); ++i) {
        const Message& record = r->GetRepeatedMessage(catalog, field, i);
        file_ = raw_.origins.FileOf(id, i);
        record_ = record.GetReflection()->GetString(record, name);
        if (absl::Status s = Walk(record, ""); !s.ok()) return s;
      }
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Walk(const Message& m, const std::string& path) {
    if (m.GetDescriptor()->full_name() == "accord.v1.Evidence") {
      return Check(static_cast<const accord::v1::Evidence&>(m), path);
    }
    const Descriptor* d = m.GetDescriptor();
    const Reflection* r = m.GetReflection();
    for (int f = 0; f < d->field_count(); ++f) {
      const FieldDescriptor* field = d->field(f);
      if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
      std::string sub = path.empty() ? field->name() : absl::StrCat(path, ".", field->name());
      if (field->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, field); ++i) {
          absl::Status s = Walk(r->GetRepeatedMessage(m, field, i), absl::StrCat(sub, "[", i, "]"));
          if (!s.ok()) return s;
        }
      } else if (r->HasField(m, field)) {
        if (absl::Status s = Walk(r->GetMessage(m, field), sub); !s.ok()) return s;
      }
    }
    return absl::OkStatus();
  }

  absl::Status Error(const std::string& path, absl::string_view problem) const {
    return absl::InvalidArgumentError(absl::StrCat(file_.empty() ? "" : absl::StrCat(file_, ": "),
                                                   record_, ": ", path, ".locator: ", problem));
  }

  absl::Status Check(const accord::v1::Evidence& e, const std::string& path) {
    auto it = paragraphs_.find(e.source());
    const std::vector<std::string>* paragraphs = it == paragraphs_.end() ? nullptr : &it->second;
    absl::string_view locator = e.locator();
    if (locator.empty()) {
      if (paragraphs != nullptr && !e.quote().empty()) {
        return Error(path,
                     absl::StrCat("a quote of ", e.source(), " needs a \"paragraph N\" locator"));
      }
      return absl::OkStatus();
    }
    if (absl::ConsumePrefix(&locator, "paragraph ")) {
      int n = 0;
      if (!absl::SimpleAtoi(locator, &n) || n < 1) {
        return Error(path,
                     absl::StrCat("\"", e.locator(), "\": the paragraph must be a number from 1"));
      }
      if (paragraphs == nullptr) {
        return Error(path, absl::StrCat("\"", e.locator(), "\": ", e.source(),
                                        " ships no text to count paragraphs in"));
      }
      if (n > static_cast<int>(paragraphs->size())) {
        return Error(path, absl::StrCat("\"", e.locator(), "\": ", e.source(), " has ",
                                        paragraphs->size(), " paragraphs"));
      }
      if (!e.quote().empty() &&
          !absl::StrContains((*paragraphs)[n - 1], FoldWhitespace(e.quote()))) {
        return Error(path, absl::StrCat("the quote is not in ", e.locator(), " of ", e.source()));
      }
      return absl::OkStatus();
    }
    if (absl::ConsumePrefix(&locator, "section ") || absl::ConsumePrefix(&locator, "heading ")) {
      std::string title = FoldWhitespace(locator);
      if (title.empty()) return Error(path, "a section or heading needs its title");
      auto text = raw_.texts.find(std::string(absl::StripPrefix(e.source(), "sources/")));
      if (text != raw_.texts.end() && !absl::StrContains(FoldWhitespace(text->second), title)) {
        return Error(path, absl::StrCat("\"", title, "\" is not a heading of ", e.source()));
      }
      return absl::OkStatus();
    }
    return Error(path, absl::StrCat("\"", e.locator(),
                                    "\" does not point into the source: use \"paragraph N\", "
                                    "\"section TITLE\" or \"heading TITLE\", or leave it empty"));
  }

  const RawCatalog& raw_;
  absl::flat_hash_map<std::string, std::vector<std::string>> paragraphs_;
  std::string file_;
  std::string record_;
};

}  // namespace

std::vector<std::string> Paragraphs(absl::string_view text) {
  std::vector<std::string> blocks;
  std::string current;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StripAsciiWhitespace(line).empty()) {
      if (!current.empty()) blocks.push_back(FoldWhitespace(current));
      current.clear();
    } else {
      absl::StrAppend(&current, line, "\n");
    }
  }
  if (!current.empty()) blocks.push_back(FoldWhitespace(current));
  std::vector<std::string> paragraphs;
  for (size_t i = 1; i < blocks.size(); ++i) {  // blocks[0] is the heading
    if (!paragraphs.empty() && absl::ascii_islower(blocks[i][0])) {
      absl::StrAppend(&paragraphs.back(), " ", blocks[i]);
    } else {
      paragraphs.push_back(blocks[i]);
    }
  }
  return paragraphs;
}

absl::Status CheckEvidenceLocators(const RawCatalog& raw) { return LocatorChecker(raw).Run(); }

}  // namespace accord::catalog
