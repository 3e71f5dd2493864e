#include "service/catalog/validator.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/reflection.h"
#include "service/catalog/dates.h"
#include "service/catalog/text.h"
#include "accord/v1/catalog.pb.h"

namespace accord::catalog {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using C = CollectionId;

using RuleMap = absl::flat_hash_map<const FieldDescriptor*, std::vector<CollectionId>>;

// Which collections each reference field may point to.
const RuleMap& ReferenceRules() {
  static const auto* named = new std::vector<std::pair<std::string, std::vector<CollectionId>>>{
      {"accord.v1.Person.country", {C::kCountries}},
      {"accord.v1.Evidence.source", {C::kSources}},
      {"accord.v1.Partnership.parties", {C::kCountries}},
      {"accord.v1.Partnership.cooperation_areas", {C::kCooperationAreas}},
      {"accord.v1.Partnership.LevelChange.agreements", {C::kAgreements}},
      {"accord.v1.Agreement.parties", {C::kCountries}},
      {"accord.v1.Agreement.partnership", {C::kPartnerships}},
      {"accord.v1.Agreement.Event.party", {C::kCountries}},
      {"accord.v1.Agreement.Relation.agreement", {C::kAgreements}},
      {"accord.v1.Agreement.cooperation_areas", {C::kCooperationAreas}},
      {"accord.v1.Agreement.sectors", {C::kSectors}},
      {"accord.v1.Commitment.committed_by", {C::kCountries}},
      {"accord.v1.Commitment.committed_to", {C::kCountries}},
      {"accord.v1.Commitment.cooperation_areas", {C::kCooperationAreas}},
      {"accord.v1.Commitment.sectors", {C::kSectors}},
      {"accord.v1.CooperationArea.parent", {C::kCooperationAreas}},
      {"accord.v1.Sector.parent", {C::kSectors}},
      {"accord.v1.Assessment.subjects",
       {C::kCountries, C::kPartnerships, C::kAgreements, C::kCommitments}},
      {"accord.v1.Assessment.cooperation_areas", {C::kCooperationAreas}},
      {"accord.v1.Assessment.sectors", {C::kSectors}},
  };
  static const RuleMap* rules = [] {
    auto* out = new RuleMap;
    const auto* pool = google::protobuf::DescriptorPool::generated_pool();
    for (const auto& [name, collections] : *named) {
      size_t dot = name.rfind('.');
      const auto* message = pool->FindMessageTypeByName(name.substr(0, dot));
      (*out)[message->FindFieldByName(name.substr(dot + 1))] = collections;
    }
    return out;
  }();
  return *rules;
}

// Messages that must carry evidence, and the field that holds it.
bool NeedsEvidence(const google::protobuf::Descriptor* d) {
  return d == accord::v1::Agreement::descriptor() || d == accord::v1::Commitment::descriptor() ||
         d == accord::v1::Assessment::descriptor() ||
         d == accord::v1::Partnership::LevelChange::descriptor();
}

class Validator {
 public:
  explicit Validator(const RawCatalog& raw) : raw_(raw) {}

  absl::Status Run() {
    if (auto s = IndexNames(); !s.ok()) return s;
    for (const auto& [id, text] : raw_.texts) {
      folded_texts_[absl::StrCat("sources/", id)] = FoldWhitespace(text);
    }
    for (CollectionId id : kAllCollections) {
      const auto records = Records(id);
      for (int i = 0; i < static_cast<int>(records.size()); ++i) {
        record_file_ = raw_.origins.FileOf(id, i);
        record_name_ = Name(*records[i]);
        if (auto s = CheckRecord(id, *records[i]); !s.ok()) return s;
        if (auto s = Walk(*records[i]); !s.ok()) return s;
      }
    }
    if (auto s = CheckParentCycles(C::kCooperationAreas); !s.ok()) return s;
    return CheckParentCycles(C::kSectors);
  }

 private:
  std::vector<const Message*> Records(CollectionId id) const {
    const Message& catalog = *raw_.catalog;
    const auto* field = catalog.GetDescriptor()->field(static_cast<int>(id));
    const auto* refl = catalog.GetReflection();
    std::vector<const Message*> out;
    int n = refl->FieldSize(catalog, field);
    out.reserve(n);
    for (int i = 0; i < n; ++i) out.push_back(&refl->GetRepeatedMessage(catalog, field, i));
    return out;
  }

  static const std::string& Name(const Message& m) {
    const auto* f = m.GetDescriptor()->FindFieldByNumber(1);
    std::string scratch;
    return m.GetReflection()->GetStringReference(m, f, &scratch);
  }

  absl::Status Error(absl::string_view field, absl::string_view problem) const {
    std::string where = record_file_.empty() ? "" : absl::StrCat(record_file_, ": ");
    std::string record = record_name_.empty() ? "(unnamed record)" : record_name_;
    return absl::InvalidArgumentError(absl::StrCat(where, record, ": ",
                                                   field.empty() ? "" : absl::StrCat(field, ": "),
                                                   problem));
  }

  absl::Status IndexNames() {
    for (CollectionId id : kAllCollections) {
      const auto records = Records(id);
      for (int i = 0; i < static_cast<int>(records.size()); ++i) {
        record_file_ = raw_.origins.FileOf(id, i);
        record_name_ = Name(*records[i]);
        if (auto s = ValidateName(record_name_, id); !s.ok()) {
          return Error("name", s.message());
        }
        if (!names_[static_cast<int>(id)].insert(Name(*records[i])).second) {
          return Error("name", "the name is used by more than one record");
        }
        if (id == C::kAgreements) agreements_[Name(*records[i])] = records[i];
      }
    }
    return absl::OkStatus();
  }

  bool Exists(CollectionId id, absl::string_view name) const {
    return names_[static_cast<int>(id)].contains(name);
  }

  absl::Status CheckRecord(CollectionId id, const Message& m) {
    if (id == C::kCommitments) {
      absl::string_view parent = ParentOfCommitment(record_name_);
      if (!Exists(C::kAgreements, parent)) {
        return Error("name", absl::StrCat("parent agreement \"", parent, "\" does not exist"));
      }
      const auto& c = static_cast<const accord::v1::Commitment&>(m);
      if (c.committed_by().empty()) return Error("committed_by", "at least one party is required");
      // Who commits and toward whom must be parties of the agreement.
      const auto& agreement =
          static_cast<const accord::v1::Agreement&>(*agreements_.at(parent));
      for (const char* field : {"committed_by", "committed_to"}) {
        const auto& countries = std::string(field) == "committed_by" ? c.committed_by()
                                                                     : c.committed_to();
        for (int i = 0; i < countries.size(); ++i) {
          if (!Contains(agreement.parties(), countries[i])) {
            return Error(absl::StrCat(field, "[", i, "]"),
                         absl::StrCat("\"", countries[i], "\" is not a party of ", parent));
          }
        }
      }
    }
    if (id == C::kCountries) {
      const auto& c = static_cast<const accord::v1::Country&>(m);
      if (absl::AsciiStrToLower(c.iso_code()) != record_name_.substr(10)) {
        return Error("iso_code", absl::StrCat("\"", c.iso_code(), "\" does not match the name"));
      }
    }
    if (id == C::kPartnerships) {
      const auto& p = static_cast<const accord::v1::Partnership&>(m);
      if (p.parties_size() != 2) {
        return Error("parties", absl::StrCat("a partnership is bilateral: it needs exactly two "
                                             "parties, not ", p.parties_size()));
      }
      for (int i = 0; i < p.level_history_size(); ++i) {
        if (p.level_history(i).level() == accord::v1::Partnership::LEVEL_UNSPECIFIED) {
          return Error(absl::StrCat("level_history[", i, "].level"), "a level is required");
        }
      }
      for (int i = 1; i < p.level_history_size(); ++i) {
        if (CompareDates(p.level_history(i - 1).date(), p.level_history(i).date()) > 0) {
          return Error(absl::StrCat("level_history[", i, "].date"),
                       "level changes must be listed oldest first");
        }
      }
    }
    if (id == C::kAgreements) {
      const auto& a = static_cast<const accord::v1::Agreement&>(m);
      if (a.title().empty()) return Error("title", "a title is required");
      if (a.parties_size() < 2) {
        return Error("parties", "an agreement needs at least two parties");
      }
      const accord::v1::Date* previous = nullptr;
      for (int i = 0; i < a.events_size(); ++i) {
        const auto& e = a.events(i);
        std::string path = absl::StrCat("events[", i, "]");
        if (e.type() == accord::v1::Agreement::Event::TYPE_UNSPECIFIED) {
          return Error(absl::StrCat(path, ".type"), "an event type is required");
        }
        if (!e.party().empty() && !Contains(a.parties(), e.party())) {
          return Error(absl::StrCat(path, ".party"),
                       absl::StrCat("\"", e.party(), "\" is not a party of the agreement"));
        }
        // The state and dates derived from events assume this order.
        if (IsEmptyDate(e.date())) continue;
        if (previous != nullptr && CompareDates(*previous, e.date()) > 0) {
          return Error(absl::StrCat(path, ".date"), "dated events must be listed oldest first");
        }
        previous = &e.date();
      }
      for (int i = 0; i < a.related_agreements_size(); ++i) {
        if (a.related_agreements(i).agreement().empty()) {
          return Error(absl::StrCat("related_agreements[", i, "].agreement"),
                       "the related agreement is required");
        }
        if (a.related_agreements(i).agreement() == a.name()) {
          return Error(absl::StrCat("related_agreements[", i, "].agreement"),
                       "an agreement cannot be related to itself");
        }
      }
    }
    return absl::OkStatus();
  }

  static bool IsReference(const FieldDescriptor* field) {
    return ReferenceRules().contains(field);
  }

  // Text format accepts enum numbers; a number the enum does not define
  // could never be matched by a filter, so it is an error.
  absl::Status CheckEnum(const FieldDescriptor* field, int number) {
    if (field->enum_type()->FindValueByNumber(number) != nullptr) return absl::OkStatus();
    return Error(Path(), absl::StrCat(number, " is not a value of ", field->enum_type()->full_name()));
  }

  template <typename Repeated>
  static bool Contains(const Repeated& values, const std::string& value) {
    return std::find(values.begin(), values.end(), value) != values.end();
  }

  absl::Status CheckReference(const FieldDescriptor* field, absl::string_view value) {
    auto rule = ReferenceRules().find(field);
    if (rule == ReferenceRules().end() || value.empty()) return absl::OkStatus();
    std::optional<CollectionId> got = CollectionOf(value);
    bool allowed = false;
    for (CollectionId c : rule->second) allowed |= got == c;
    if (!allowed) {
      std::vector<std::string> expected;
      for (CollectionId c : rule->second) expected.emplace_back(CollectionName(c));
      return Error(Path(), absl::StrCat("\"", value, "\" is not a valid reference: expected a ",
                                      absl::StrJoin(expected, " or "), " name"));
    }
    if (!Exists(*got, value)) {
      return Error(Path(), absl::StrCat("\"", value, "\" does not exist in the catalogue"));
    }
    return absl::OkStatus();
  }

  absl::Status CheckEvidence(const accord::v1::Evidence& e) {
    if (e.source().empty()) {
      return Error(absl::StrCat(Path(), ".source"), "evidence must name its source");
    }
    if (e.quote().empty()) return absl::OkStatus();
    auto text = folded_texts_.find(e.source());
    if (text == folded_texts_.end()) {
      return Error(absl::StrCat(Path(), ".quote"),
                   absl::StrCat("quotes \"", e.source(),
                                "\", whose text is not shipped in texts/; drop the quote or add "
                                "the text"));
    }
    std::string quote = FoldWhitespace(e.quote());
    if (text->second.find(quote) == std::string::npos) {
      return Error(absl::StrCat(Path(), ".quote"),
                   absl::StrCat("\"", quote, "\" is not found in the text of ", e.source()));
    }
    return absl::OkStatus();
  }

  // The path of the field being checked, e.g. "events[0].date", built only
  // when an error needs it: the walk visits every field of every record.
  std::string Path() const {
    std::string out;
    for (const auto& [field, index] : path_) {
      if (!out.empty()) out.push_back('.');
      absl::StrAppend(&out, field->name());
      if (index >= 0) absl::StrAppend(&out, "[", index, "]");
    }
    return out;
  }

  absl::Status Walk(const Message& m) {
    const auto* d = m.GetDescriptor();
    const auto* refl = m.GetReflection();
    if (d == accord::v1::Date::descriptor()) {
      if (auto s = ValidateDate(static_cast<const accord::v1::Date&>(m)); !s.ok()) {
        return Error(Path(), s.message());
      }
      return absl::OkStatus();
    }
    if (d == accord::v1::Evidence::descriptor()) {
      if (auto s = CheckEvidence(static_cast<const accord::v1::Evidence&>(m)); !s.ok()) return s;
    }
    if (NeedsEvidence(d) && refl->FieldSize(m, d->FindFieldByName("evidence")) == 0) {
      std::string path = Path();
      return Error(path.empty() ? "evidence" : absl::StrCat(path, ".evidence"),
                   "at least one piece of evidence is required");
    }
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (f->is_repeated()) {
        int n = refl->FieldSize(m, f);
        for (int j = 0; j < n; ++j) {
          path_.emplace_back(f, j);
          absl::Status s;
          if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
            s = Walk(refl->GetRepeatedMessage(m, f, j));
          } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
            std::string scratch;
            const std::string& value = refl->GetRepeatedStringReference(m, f, j, &scratch);
            s = CheckReference(f, value);
            if (s.ok() && IsReference(f)) {
              for (int k = 0; k < j; ++k) {
                if (refl->GetRepeatedStringReference(m, f, k, &scratch) == value) {
                  s = Error(Path(), absl::StrCat("\"", value, "\" is listed twice"));
                  break;
                }
              }
            }
          } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
            s = CheckEnum(f, refl->GetRepeatedEnumValue(m, f, j));
          }
          path_.pop_back();
          if (!s.ok()) return s;
        }
        continue;
      }
      path_.emplace_back(f, -1);
      absl::Status s;
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        if (refl->HasField(m, f)) s = Walk(refl->GetMessage(m, f));
      } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
        std::string scratch;
        s = CheckReference(f, refl->GetStringReference(m, f, &scratch));
      } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
        s = CheckEnum(f, refl->GetEnumValue(m, f));
      }
      path_.pop_back();
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status CheckParentCycles(CollectionId id) {
    absl::flat_hash_map<absl::string_view, absl::string_view> parent;
    const auto records = Records(id);
    for (const Message* r : records) {
      const auto* f = r->GetDescriptor()->FindFieldByName("parent");
      std::string scratch;
      parent[Name(*r)] = r->GetReflection()->GetStringReference(*r, f, &scratch);
    }
    for (int i = 0; i < static_cast<int>(records.size()); ++i) {
      absl::string_view at = Name(*records[i]);
      for (size_t steps = 0; !at.empty(); ++steps) {
        if (steps > records.size()) {
          record_file_ = raw_.origins.FileOf(id, i);
          record_name_ = Name(*records[i]);
          return Error("parent", "the parent chain forms a cycle");
        }
        at = parent[at];
      }
    }
    return absl::OkStatus();
  }

  const RawCatalog& raw_;
  absl::flat_hash_set<absl::string_view> names_[kCollectionCount];
  absl::flat_hash_map<absl::string_view, const Message*> agreements_;
  absl::flat_hash_map<std::string, std::string> folded_texts_;
  std::string record_file_;
  std::string record_name_;
  std::vector<std::pair<const FieldDescriptor*, int>> path_;
};

}  // namespace

absl::Status ValidateCatalog(const RawCatalog& raw) { return Validator(raw).Run(); }

}  // namespace accord::catalog
