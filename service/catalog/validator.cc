#include "service/catalog/validator.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "accord/v1/catalog.pb.h"
#include "service/catalog/dates.h"
#include "service/catalog/parallel.h"
#include "service/catalog/text.h"

namespace accord::catalog {
namespace {

using google::protobuf::RepeatedPtrField;
using C = CollectionId;
namespace v1 = ::accord::v1;

// Checks every record with typed code rather than a reflection walk: a
// million-record catalogue must validate in a fraction of its parse time.
// Each check names the field it is on through a stack of path parts, turned
// into text ("events[0].date") only when an error needs it.
//
// The work is split between threads (collections while indexing names,
// chunks of records while checking them), each with its own Validator copy
// (its own path and current record) over the same read-only Shared state.
// The error reported is the one a sequential run reports: the first failing
// step in order, and within a step the first failing record.
class Validator {
 public:
  // What every thread reads once names are indexed.
  struct Shared {
    absl::flat_hash_set<absl::string_view> names[kCollectionCount];
    absl::flat_hash_map<absl::string_view, const v1::Agreement*> agreements;
    absl::flat_hash_map<std::string, std::string> folded_texts;
  };

  Validator(const RawCatalog& raw, Shared* shared)
      : raw_(raw), catalog_(*raw.catalog), shared_(shared) {}

  absl::Status Run() {
    if (auto s = IndexNames(); !s.ok()) return s;
    for (const auto& [id, text] : raw_.texts) {
      shared_->folded_texts[absl::StrCat("sources/", id)] = FoldWhitespace(text);
    }
    if (auto s = Each(C::kCountries, catalog_.countries(), &Validator::CheckCountry); !s.ok()) {
      return s;
    }
    if (auto s = Each(C::kPartnerships, catalog_.partnerships(), &Validator::CheckPartnership);
        !s.ok()) {
      return s;
    }
    if (auto s = Each(C::kAgreements, catalog_.agreements(), &Validator::CheckAgreement); !s.ok()) {
      return s;
    }
    if (auto s = Each(C::kCommitments, catalog_.commitments(), &Validator::CheckCommitment);
        !s.ok()) {
      return s;
    }
    if (auto s = Each(C::kCooperationAreas, catalog_.cooperation_areas(),
                      &Validator::CheckParent<v1::CooperationArea, C::kCooperationAreas>);
        !s.ok()) {
      return s;
    }
    if (auto s =
            Each(C::kSectors, catalog_.sectors(), &Validator::CheckParent<v1::Sector, C::kSectors>);
        !s.ok()) {
      return s;
    }
    if (auto s = Each(C::kSources, catalog_.sources(), &Validator::CheckSource); !s.ok()) return s;
    if (auto s = Each(C::kAssessments, catalog_.assessments(), &Validator::CheckAssessment);
        !s.ok()) {
      return s;
    }
    if (auto s = CheckParentCycles(C::kCooperationAreas, catalog_.cooperation_areas()); !s.ok()) {
      return s;
    }
    return CheckParentCycles(C::kSectors, catalog_.sectors());
  }

 private:
  // Pushes one path part for the lifetime of the scope.
  class Field {
   public:
    Field(Validator* v, const char* name, int index = -1) : v_(v) {
      v_->path_.emplace_back(name, index);
    }
    ~Field() { v_->path_.pop_back(); }

   private:
    Validator* v_;
  };

  // Runs `check` on every record of a collection, with the file and name
  // that errors report.
  // The records are checked in chunks on every core; the error is the
  // first failing record's (chunks after a failed one stop early, those
  // before it run to their end).
  template <typename T>
  absl::Status Each(CollectionId id, const RepeatedPtrField<T>& records,
                    absl::Status (Validator::*check)(const T&)) {
    const size_t n = static_cast<size_t>(records.size());
    const size_t chunks = ChunkCount(n);
    std::vector<absl::Status> errors(chunks);
    std::atomic<size_t> first_failed{chunks};
    ParallelChunks(n, chunks, [&](size_t chunk, size_t begin, size_t end) {
      Validator v = *this;
      for (size_t i = begin; i < end && chunk < first_failed.load(std::memory_order_relaxed); ++i) {
        const int at = static_cast<int>(i);
        v.record_file_ = &raw_.origins.FileOf(id, at);
        v.record_name_ = &records[at].name();
        if (auto s = (v.*check)(records[at]); !s.ok()) {
          errors[chunk] = std::move(s);
          size_t seen = first_failed.load();
          while (chunk < seen && !first_failed.compare_exchange_weak(seen, chunk)) {
          }
          return;
        }
      }
    });
    for (absl::Status& s : errors) {
      if (!s.ok()) return std::move(s);
    }
    return absl::OkStatus();
  }

  std::string Path() const {
    std::string out;
    for (const auto& [name, index] : path_) {
      if (!out.empty()) out.push_back('.');
      absl::StrAppend(&out, name);
      if (index >= 0) absl::StrAppend(&out, "[", index, "]");
    }
    return out;
  }

  // An error on the current path.
  absl::Status Error(absl::string_view problem) const {
    std::string path = Path();
    std::string where =
        record_file_ == nullptr || record_file_->empty() ? "" : absl::StrCat(*record_file_, ": ");
    std::string record =
        record_name_ == nullptr || record_name_->empty() ? "(unnamed record)" : *record_name_;
    return absl::InvalidArgumentError(
        absl::StrCat(where, record, ": ", path.empty() ? "" : absl::StrCat(path, ": "), problem));
  }

  template <typename T>
  absl::Status IndexCollection(CollectionId id, const RepeatedPtrField<T>& records) {
    auto& names = shared_->names[static_cast<int>(id)];
    names.reserve(records.size());
    // The names' form is checked in chunks on every core (a pure check),
    // finding the first malformed one; then they are inserted in order up
    // to it, so that a duplicate before it is reported first, as in one
    // sequential pass.
    const size_t n = static_cast<size_t>(records.size());
    const size_t chunks = ChunkCount(n);
    std::vector<size_t> first_bad(chunks, n);
    ParallelChunks(n, chunks, [&](size_t chunk, size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        if (!ValidateName(records[static_cast<int>(i)].name(), id).ok()) {
          first_bad[chunk] = i;
          return;
        }
      }
    });
    const size_t bad = *std::min_element(first_bad.begin(), first_bad.end());
    for (size_t at = 0; at <= bad && at < n; ++at) {
      const int i = static_cast<int>(at);
      record_file_ = &raw_.origins.FileOf(id, i);
      record_name_ = &records[i].name();
      Field field(this, "name");
      if (at == bad) return Error(ValidateName(records[i].name(), id).message());
      if (!names.insert(records[i].name()).second) {
        return Error("the name is used by more than one record");
      }
    }
    return absl::OkStatus();
  }

  // Each collection's names are indexed on its own thread (each into its
  // own set), the largest collections first; the error is that of the
  // first failing collection in the order below.
  absl::Status IndexNames() {
    std::vector<std::function<absl::Status(Validator&)>> steps = {
        [](Validator& v) { return v.IndexCollection(C::kCountries, v.catalog_.countries()); },
        [](Validator& v) { return v.IndexCollection(C::kPartnerships, v.catalog_.partnerships()); },
        [](Validator& v) { return v.IndexCollection(C::kAgreements, v.catalog_.agreements()); },
        [](Validator& v) { return v.IndexCollection(C::kCommitments, v.catalog_.commitments()); },
        [](Validator& v) {
          return v.IndexCollection(C::kCooperationAreas, v.catalog_.cooperation_areas());
        },
        [](Validator& v) { return v.IndexCollection(C::kSectors, v.catalog_.sectors()); },
        [](Validator& v) { return v.IndexCollection(C::kSources, v.catalog_.sources()); },
        [](Validator& v) { return v.IndexCollection(C::kAssessments, v.catalog_.assessments()); },
        // Not a check: the agreements by name, for commitments' checks.
        [](Validator& v) {
          auto& agreements = v.shared_->agreements;
          agreements.reserve(v.catalog_.agreements_size());
          for (const auto& a : v.catalog_.agreements()) agreements[a.name()] = &a;
          return absl::OkStatus();
        },
    };
    const size_t sizes[] = {
        static_cast<size_t>(catalog_.countries_size()),
        static_cast<size_t>(catalog_.partnerships_size()),
        static_cast<size_t>(catalog_.agreements_size()),
        static_cast<size_t>(catalog_.commitments_size()),
        static_cast<size_t>(catalog_.cooperation_areas_size()),
        static_cast<size_t>(catalog_.sectors_size()),
        static_cast<size_t>(catalog_.sources_size()),
        static_cast<size_t>(catalog_.assessments_size()),
        static_cast<size_t>(catalog_.agreements_size()),
    };
    std::vector<size_t> order(steps.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return sizes[a] > sizes[b]; });
    size_t total = 0;
    for (size_t n : sizes) total += n;
    std::vector<absl::Status> results(steps.size());
    std::atomic<size_t> next{0};
    ParallelChunks(order.size(), std::min(order.size(), ChunkCount(total)),
                   [&](size_t, size_t, size_t) {
                     Validator v = *this;
                     for (size_t k = next++; k < order.size(); k = next++) {
                       results[order[k]] = steps[order[k]](v);
                     }
                   });
    for (absl::Status& s : results) {
      if (!s.ok()) return std::move(s);
    }
    return absl::OkStatus();
  }

  bool Exists(CollectionId id, absl::string_view name) const {
    return shared_->names[static_cast<int>(id)].contains(name);
  }

  // ---- Checks shared by several record types. ----

  // An optional reference (empty is fine) to a record of `allowed`.
  absl::Status Reference(absl::string_view value, std::initializer_list<CollectionId> allowed) {
    if (value.empty()) return absl::OkStatus();
    // Fast path, taken by every valid reference: the name exists in an
    // allowed collection (and so was already checked to be well formed).
    for (CollectionId c : allowed) {
      if (Exists(c, value)) return absl::OkStatus();
    }
    std::optional<CollectionId> got = CollectionOf(value);
    if (!got.has_value() || std::find(allowed.begin(), allowed.end(), *got) == allowed.end()) {
      std::vector<std::string> expected;
      for (CollectionId c : allowed) expected.emplace_back(CollectionName(c));
      return Error(absl::StrCat("\"", value, "\" is not a valid reference: expected a ",
                                absl::StrJoin(expected, " or "), " name"));
    }
    if (!Exists(*got, value)) {
      return Error(absl::StrCat("\"", value, "\" does not exist in the catalogue"));
    }
    return absl::OkStatus();
  }

  absl::Status Reference(const char* field, absl::string_view value,
                         std::initializer_list<CollectionId> allowed) {
    Field f(this, field);
    return Reference(value, allowed);
  }

  // A list of references, none listed twice.
  absl::Status References(const char* field, const RepeatedPtrField<std::string>& values,
                          std::initializer_list<CollectionId> allowed) {
    for (int i = 0; i < values.size(); ++i) {
      Field f(this, field, i);
      if (auto s = Reference(values[i], allowed); !s.ok()) return s;
      for (int j = 0; j < i; ++j) {
        if (values[j] == values[i])
          return Error(absl::StrCat("\"", values[i], "\" is listed twice"));
      }
    }
    return absl::OkStatus();
  }

  // Text format accepts enum numbers; a number the enum does not define
  // could never be matched by a filter, so it is an error.
  absl::Status Enum(const char* field, int value, const google::protobuf::EnumDescriptor* type) {
    if (type->FindValueByNumber(value) != nullptr) return absl::OkStatus();
    Field f(this, field);
    return Error(absl::StrCat(value, " is not a value of ", type->full_name()));
  }

  absl::Status Date(const char* field, const v1::Date& date) {
    absl::Status s = ValidateDate(date);
    if (s.ok()) return s;
    Field f(this, field);
    return Error(s.message());
  }

  absl::Status Person(const char* field, const RepeatedPtrField<v1::Person>& people) {
    for (int i = 0; i < people.size(); ++i) {
      Field f(this, field, i);
      if (auto s = Reference("country", people[i].country(), {C::kCountries}); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status Evidence(const RepeatedPtrField<v1::Evidence>& evidence, bool required) {
    if (required && evidence.empty()) {
      Field f(this, "evidence");
      return Error("at least one piece of evidence is required");
    }
    for (int i = 0; i < evidence.size(); ++i) {
      Field f(this, "evidence", i);
      const v1::Evidence& e = evidence[i];
      if (e.source().empty()) {
        Field source(this, "source");
        return Error("evidence must name its source");
      }
      if (auto s = Reference("source", e.source(), {C::kSources}); !s.ok()) return s;
      if (auto s = Enum("attribution", e.attribution(), v1::Evidence::Attribution_descriptor());
          !s.ok()) {
        return s;
      }
      if (e.quote().empty()) continue;
      Field quote(this, "quote");
      auto text = shared_->folded_texts.find(e.source());
      if (text == shared_->folded_texts.end()) {
        return Error(absl::StrCat("quotes \"", e.source(),
                                  "\", whose text is not shipped in texts/; drop the quote or add "
                                  "the text"));
      }
      std::string folded = FoldWhitespace(e.quote());
      if (text->second.find(folded) == std::string::npos) {
        return Error(absl::StrCat("\"", folded, "\" is not found in the text of ", e.source()));
      }
    }
    return absl::OkStatus();
  }

  template <typename Repeated>
  static bool Contains(const Repeated& values, const std::string& value) {
    return std::find(values.begin(), values.end(), value) != values.end();
  }

  // ---- One check per record type. ----

  absl::Status CheckCountry(const v1::Country& c) {
    if (absl::AsciiStrToLower(c.iso_code()) != c.name().substr(10)) {
      Field f(this, "iso_code");
      return Error(absl::StrCat("\"", c.iso_code(), "\" does not match the name"));
    }
    return absl::OkStatus();
  }

  absl::Status CheckPartnership(const v1::Partnership& p) {
    if (p.parties_size() != 2) {
      Field f(this, "parties");
      return Error(absl::StrCat("a partnership is bilateral: it needs exactly two parties, not ",
                                p.parties_size()));
    }
    if (auto s = References("parties", p.parties(), {C::kCountries}); !s.ok()) return s;
    if (auto s = References("cooperation_areas", p.cooperation_areas(), {C::kCooperationAreas});
        !s.ok()) {
      return s;
    }
    for (int i = 0; i < p.level_history_size(); ++i) {
      Field f(this, "level_history", i);
      const auto& change = p.level_history(i);
      if (change.level() == v1::Partnership::LEVEL_UNSPECIFIED) {
        Field level(this, "level");
        return Error("a level is required");
      }
      if (auto s = Enum("level", change.level(), v1::Partnership::Level_descriptor()); !s.ok()) {
        return s;
      }
      if (auto s = Date("date", change.date()); !s.ok()) return s;
      if (i > 0 && CompareDates(p.level_history(i - 1).date(), change.date()) > 0) {
        Field date(this, "date");
        return Error("level changes must be listed oldest first");
      }
      if (auto s = Person("leaders", change.leaders()); !s.ok()) return s;
      if (auto s = References("agreements", change.agreements(), {C::kAgreements}); !s.ok()) {
        return s;
      }
      if (auto s = Evidence(change.evidence(), /*required=*/true); !s.ok()) return s;
    }
    for (int i = 0; i < p.economic_ties_size(); ++i) {
      Field f(this, "economic_ties", i);
      const auto& tie = p.economic_ties(i);
      if (auto s = Reference("country", tie.country(), {C::kCountries}); !s.ok()) return s;
      if (auto s = Reference("counterpart", tie.counterpart(), {C::kCountries}); !s.ok()) return s;
      if (tie.country().empty() || tie.counterpart().empty() ||
          tie.country() == tie.counterpart() ||
          std::find(p.parties().begin(), p.parties().end(), tie.country()) == p.parties().end() ||
          std::find(p.parties().begin(), p.parties().end(), tie.counterpart()) ==
              p.parties().end()) {
        return Error("country and counterpart must be the partnership's two parties");
      }
      if (auto s = References("sectors", tie.sectors(), {C::kSectors}); !s.ok()) return s;
      if (auto s = Evidence(tie.evidence(), /*required=*/true); !s.ok()) return s;
    }
    return Evidence(p.evidence(), /*required=*/false);
  }

  absl::Status CheckAgreement(const v1::Agreement& a) {
    if (a.title().empty()) {
      Field f(this, "title");
      return Error("a title is required");
    }
    if (auto s = Enum("kind", a.kind(), v1::Agreement::Kind_descriptor()); !s.ok()) return s;
    if (a.parties_size() < 2) {
      Field f(this, "parties");
      return Error("an agreement needs at least two parties");
    }
    if (auto s = References("parties", a.parties(), {C::kCountries}); !s.ok()) return s;
    if (auto s = Reference("partnership", a.partnership(), {C::kPartnerships}); !s.ok()) return s;
    const v1::Date* previous = nullptr;
    for (int i = 0; i < a.events_size(); ++i) {
      Field f(this, "events", i);
      const auto& e = a.events(i);
      if (e.type() == v1::Agreement::Event::TYPE_UNSPECIFIED) {
        Field type(this, "type");
        return Error("an event type is required");
      }
      if (auto s = Enum("type", e.type(), v1::Agreement::Event::Type_descriptor()); !s.ok()) {
        return s;
      }
      if (auto s = Date("date", e.date()); !s.ok()) return s;
      if (auto s = Reference("party", e.party(), {C::kCountries}); !s.ok()) return s;
      if (!e.party().empty() && !Contains(a.parties(), e.party())) {
        Field party(this, "party");
        return Error(absl::StrCat("\"", e.party(), "\" is not a party of the agreement"));
      }
      if (auto s = Evidence(e.evidence(), /*required=*/false); !s.ok()) return s;
      // The state and dates derived from events assume this order.
      if (IsEmptyDate(e.date())) continue;
      if (previous != nullptr && CompareDates(*previous, e.date()) > 0) {
        Field date(this, "date");
        return Error("dated events must be listed oldest first");
      }
      previous = &e.date();
    }
    if (auto s = Person("signatories", a.signatories()); !s.ok()) return s;
    for (int i = 0; i < a.related_agreements_size(); ++i) {
      Field f(this, "related_agreements", i);
      const auto& r = a.related_agreements(i);
      Field agreement(this, "agreement");
      if (r.agreement().empty()) return Error("the related agreement is required");
      if (r.agreement() == a.name()) return Error("an agreement cannot be related to itself");
      if (auto s = Reference(r.agreement(), {C::kAgreements}); !s.ok()) return s;
      if (auto s = Enum("type", r.type(), v1::Agreement::Relation::Type_descriptor()); !s.ok()) {
        return s;
      }
    }
    if (auto s = References("cooperation_areas", a.cooperation_areas(), {C::kCooperationAreas});
        !s.ok()) {
      return s;
    }
    if (auto s = References("sectors", a.sectors(), {C::kSectors}); !s.ok()) return s;
    return Evidence(a.evidence(), /*required=*/true);
  }

  absl::Status CheckCommitment(const v1::Commitment& c) {
    absl::string_view parent = ParentOfCommitment(c.name());
    auto agreement = shared_->agreements.find(parent);
    if (agreement == shared_->agreements.end()) {
      Field f(this, "name");
      return Error(absl::StrCat("parent agreement \"", parent, "\" does not exist"));
    }
    if (c.committed_by().empty()) {
      Field f(this, "committed_by");
      return Error("at least one party is required");
    }
    if (auto s = Enum("kind", c.kind(), v1::Commitment::Kind_descriptor()); !s.ok()) return s;
    for (const char* field : {"committed_by", "committed_to"}) {
      const auto& countries =
          field == std::string("committed_by") ? c.committed_by() : c.committed_to();
      if (auto s = References(field, countries, {C::kCountries}); !s.ok()) return s;
      // Who commits and toward whom must be parties of the agreement.
      for (int i = 0; i < countries.size(); ++i) {
        if (!Contains(agreement->second->parties(), countries[i])) {
          Field f(this, field, i);
          return Error(absl::StrCat("\"", countries[i], "\" is not a party of ", parent));
        }
      }
    }
    if (auto s = References("cooperation_areas", c.cooperation_areas(), {C::kCooperationAreas});
        !s.ok()) {
      return s;
    }
    if (auto s = References("sectors", c.sectors(), {C::kSectors}); !s.ok()) return s;
    return Evidence(c.evidence(), /*required=*/true);
  }

  template <typename T, CollectionId kId>
  absl::Status CheckParent(const T& record) {
    return Reference("parent", record.parent(), {kId});
  }

  absl::Status CheckSource(const v1::Source& s) {
    if (auto st = Enum("kind", s.kind(), v1::Source::Kind_descriptor()); !st.ok()) return st;
    return Date("publish_date", s.publish_date());
  }

  absl::Status CheckAssessment(const v1::Assessment& a) {
    if (auto s = Enum("holder", a.holder(), v1::Assessment::Holder_descriptor()); !s.ok()) return s;
    if (auto s = Enum("stance", a.stance(), v1::Assessment::Stance_descriptor()); !s.ok()) return s;
    if (auto s = References("subjects", a.subjects(),
                            {C::kCountries, C::kPartnerships, C::kAgreements, C::kCommitments});
        !s.ok()) {
      return s;
    }
    if (auto s = References("cooperation_areas", a.cooperation_areas(), {C::kCooperationAreas});
        !s.ok()) {
      return s;
    }
    if (auto s = References("sectors", a.sectors(), {C::kSectors}); !s.ok()) return s;
    return Evidence(a.evidence(), /*required=*/true);
  }

  template <typename T>
  absl::Status CheckParentCycles(CollectionId id, const RepeatedPtrField<T>& records) {
    absl::flat_hash_map<absl::string_view, absl::string_view> parent;
    for (const T& r : records) parent[r.name()] = r.parent();
    for (int i = 0; i < records.size(); ++i) {
      absl::string_view at = records[i].name();
      for (int steps = 0; !at.empty(); ++steps) {
        if (steps > records.size()) {
          record_file_ = &raw_.origins.FileOf(id, i);
          record_name_ = &records[i].name();
          Field f(this, "parent");
          return Error("the parent chain forms a cycle");
        }
        at = parent[at];
      }
    }
    return absl::OkStatus();
  }

  const RawCatalog& raw_;
  const v1::Catalog& catalog_;
  Shared* shared_;
  const std::string* record_file_ = nullptr;
  const std::string* record_name_ = nullptr;
  std::vector<std::pair<const char*, int>> path_;
};

}  // namespace

absl::Status ValidateCatalog(const RawCatalog& raw) {
  Validator::Shared shared;
  return Validator(raw, &shared).Run();
}

}  // namespace accord::catalog
