#include "service/api/count_method.h"

#include <optional>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "service/api/errors.h"
#include "service/counts/group_count.h"
#include "service/engine/executor.h"
#include "service/query/checker.h"
#include "service/query/date_literal.h"

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
    if (f == nullptr || field_index == nullptr ||
        (bucket == counts::Bucket::kYear && f->type != query::Type::kDate)) {
      return InvalidField(
          "group_by", "INVALID_GROUP_BY",
          absl::StrCat("cannot group ", request.collection(), " by \"", path,
                       "\": use an indexed field (docs/counts.md) or a date field with .year"));
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
