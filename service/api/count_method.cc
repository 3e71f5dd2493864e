#include "service/api/count_method.h"

#include <optional>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "service/api/errors.h"
#include "service/counts/group_count.h"
#include "service/engine/executor.h"
#include "service/query/checker.h"
#include "service/query/date_literal.h"
#include "service/registry/registry.h"

namespace accord::api {
namespace {

using catalog::CollectionId;

std::string FormatDate(const query::DateRange& d) {
  int y = d.first / 10000, m = d.first / 100 % 100;
  if (d.first == d.last) return absl::StrFormat("%04d-%02d-%02d", y, m, d.first % 100);
  if (d.first % 100 == 1 && d.last / 100 == d.first / 100)
    return absl::StrFormat("%04d-%02d", y, m);
  return absl::StrFormat("%04d", y);
}

std::string Format(const query::Value& v, const query::Field* field, counts::Bucket bucket) {
  if (bucket == counts::Bucket::kYear) return absl::StrCat(v.num);
  switch (v.type) {
    case query::Type::kString:
      return std::string(v.str);
    case query::Type::kBool:
      return v.num ? "true" : "false";
    case query::Type::kInt:
      return absl::StrCat(v.num);
    case query::Type::kDate:
      return FormatDate(v.date);
    case query::Type::kEnum: {
      const auto* value = field->enum_type == nullptr
                              ? nullptr
                              : field->enum_type->FindValueByNumber(static_cast<int>(v.num));
      return value != nullptr ? value->name() : absl::StrCat(v.num);
    }
  }
  return "";
}

// Whether `value` is the resource name (AIP-122) of a record of `snapshot`:
// "{collection_id}/{id}" or "{parent name}/{collection_id}/{id}", with the
// collection id resolved through the registry.
bool IsRecordName(const serving::ServingCatalog& snapshot, absl::string_view value) {
  std::vector<absl::string_view> parts = absl::StrSplit(value, '/');
  if (parts.size() < 2 || parts.size() % 2 != 0) return false;
  const registry::Collection* collection = registry::FindByCollectionId(parts[parts.size() - 2]);
  return collection != nullptr && snapshot.collection(collection->id).IndexOf(value) >= 0;
}

// Why `collection` cannot be grouped by `field` (whose value index is
// `index`, or nullptr), or "" when it can. Enums, booleans, numbers and
// dates group by value (dates also by year). A string field groups only
// when it is a reference: every value it holds is the name of a record of
// the catalogue (countries, cooperation areas, sectors, agreements, ...).
// Other strings are free text or labels (titles, summaries, quotes, places)
// whose groups would be one record each.
std::string WhyNotGroupable(const serving::ServingCatalog& snapshot, const query::Field& field,
                            const index::FieldIndex* index) {
  if (field.path == "name") return "it is the record's own name, one group per record";
  if (index == nullptr) return "it is not indexed";
  if (field.type != query::Type::kString) return "";
  for (const index::FieldIndex::Entry& entry : index->entries()) {
    if (entry.value.str.empty() || IsRecordName(snapshot, entry.value.str)) continue;
    return "it is free text, not a reference to other records";
  }
  return "";
}

}  // namespace

absl::Status CountRecords(const serving::ServingCatalog& snapshot, const v1::CountRequest& request,
                          const std::function<bool()>& cancelled, v1::CountResponse* response) {
  std::optional<CollectionId> collection;
  std::vector<std::string> names;
  for (CollectionId id : catalog::kAllCollections) {
    names.push_back(std::string(catalog::CollectionName(id)));
    if (catalog::CollectionName(id) == request.collection()) collection = id;
  }
  if (!collection.has_value()) {
    return InvalidField(
        "collection", "INVALID_COLLECTION",
        absl::StrCat("\"", request.collection(), "\" is not a collection; use one of ",
                     absl::StrJoin(names, ", ")));
  }
  const serving::Collection& c = snapshot.collection(*collection);
  if (request.group_by_size() < 1 || request.group_by_size() > 2) {
    return InvalidField(
        "group_by", "INVALID_GROUP_BY",
        absl::StrCat("group_by takes one or two fields; got ", request.group_by_size()));
  }
  std::vector<counts::GroupField> fields;
  std::vector<const query::Field*> schema_fields;
  for (const std::string& path : request.group_by()) {
    absl::string_view base = path;
    counts::Bucket bucket = counts::Bucket::kValue;
    if (absl::ConsumeSuffix(&base, ".year")) bucket = counts::Bucket::kYear;
    const query::Field* f = c.schema().Find(base);
    const index::FieldIndex* field_index = f == nullptr ? nullptr : c.index().field(f);
    std::string why;
    if (f == nullptr) {
      why = absl::StrCat(request.collection(), " has no field \"", base, "\"");
    } else if (bucket == counts::Bucket::kYear && f->type != query::Type::kDate) {
      why = ".year applies to date fields only";
    } else {
      why = WhyNotGroupable(snapshot, *f, field_index);
    }
    if (!why.empty()) {
      return InvalidField(
          "group_by", "INVALID_GROUP_BY",
          absl::StrCat("cannot group ", request.collection(), " by \"", QuotePrefix(path),
                       "\": ", why,
                       "; group by an enum, boolean, number or reference field, or a date "
                       "field with .year (docs/counts.md)"));
    }
    fields.push_back({field_index, bucket});
    schema_fields.push_back(f);
  }
  std::optional<query::CheckedExpr> filter;
  if (!request.filter().empty()) {
    absl::StatusOr<query::CheckedExpr> compiled =
        query::CompileFilter(request.filter(), c.schema());
    if (!compiled.ok()) return compiled.status();
    filter = *std::move(compiled);
  }
  engine::ListQuery query;
  query.begin = 0;
  query.end = c.size();
  query.filter = filter ? &*filter : nullptr;
  query.limit = c.size();
  query.cancelled = cancelled;
  absl::StatusOr<engine::ListPage> page = engine::ExecuteList(c, query);
  if (!page.ok()) return page.status();
  Roaring matches;
  matches.addMany(page->positions.size(), page->positions.data());
  absl::StatusOr<std::vector<counts::GroupCount>> groups = counts::CountByGroups(matches, fields);
  if (!groups.ok()) return InvalidField("group_by", "INVALID_GROUP_BY", groups.status().message());
  if (groups->size() > kMaxCountGroups) {
    return Annotate(absl::FailedPreconditionError(absl::StrCat(
                        "the grouping has ", groups->size(), " groups, more than ", kMaxCountGroups,
                        "; narrow the filter or group by fewer values")),
                    "TOO_MANY_GROUPS", "group_by");
  }
  for (const counts::GroupCount& g : *groups) {
    v1::CountResponse::Group* out = response->add_groups();
    for (size_t i = 0; i < g.key.size(); ++i) {
      out->add_values(Format(g.key[i], schema_fields[i], fields[i].bucket));
    }
    out->set_count(static_cast<int64_t>(g.count));
  }
  response->set_total_size(static_cast<int64_t>(page->total_size));
  return absl::OkStatus();
}

}  // namespace accord::api
