#include "service/api/search_method.h"

#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/api/errors.h"
#include "service/api/page_token.h"
#include "service/engine/executor.h"
#include "service/query/checker.h"

namespace accord::api {

using catalog::CollectionId;

absl::Status SearchRecords(const serving::ServingCatalog& snapshot,
                           const v1::SearchRequest& request, const std::function<bool()>& cancelled,
                           v1::SearchResponse* response) {
  const search::SearchIndex* index = snapshot.search_index();
  if (index == nullptr) {
    return Annotate(
        absl::UnimplementedError("full-text search is disabled on this server: it was started with "
                                 "--nosearch_index (--search_index=false), so no search index is "
                                 "built with the catalogue"),
        "SEARCH_DISABLED", "", {{"flag", "--search_index"}});
  }
  if (request.query().find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidField("query", "INVALID_QUERY", "query must not be empty");
  }
  if (request.page_size() < 0) {
    return InvalidField("page_size", "INVALID_PAGE_SIZE",
                        absl::StrCat("page_size must not be negative; got ", request.page_size()));
  }
  const size_t page_size = request.page_size() == 0
                               ? kDefaultSearchPageSize
                               : std::min(request.page_size(), kMaxSearchPageSize);
  search::SearchRequest query;
  query.query = request.query();
  for (int i = 0; i < request.collections_size(); ++i) {
    const std::string& name = request.collections(i);
    std::optional<int> found;
    for (CollectionId id : catalog::kAllCollections) {
      if (catalog::CollectionName(id) == name) found = static_cast<int>(id);
    }
    if (!found.has_value()) {
      return InvalidField(absl::StrCat("collections[", i, "]"), "INVALID_COLLECTION",
                          absl::StrCat("\"", name, "\" is not a collection"));
    }
    query.collections.push_back(*found);
  }
  Roaring allowed;
  if (!request.filter().empty()) {
    if (query.collections.size() != 1) {
      return InvalidField("filter", "FILTER_NEEDS_ONE_COLLECTION",
                          "a filter names the fields of one collection: give exactly one in "
                          "`collections`");
    }
    const serving::Collection& c =
        snapshot.collection(static_cast<CollectionId>(query.collections[0]));
    absl::StatusOr<query::CheckedExpr> filter = query::CompileFilter(request.filter(), c.schema());
    if (!filter.ok()) return filter.status();
    engine::ListQuery list;
    list.begin = 0;
    list.end = c.size();
    list.filter = &*filter;
    list.limit = c.size();
    list.cancelled = cancelled;
    absl::StatusOr<engine::ListPage> page = engine::ExecuteList(c, list);
    if (!page.ok()) return page.status();
    allowed.addMany(page->positions.size(), page->positions.data());
    query.allowed.assign(catalog::kCollectionCount, nullptr);
    query.allowed[query.collections[0]] = &allowed;
  }

  const uint64_t fingerprint = QueryFingerprint("search", absl::StrJoin(request.collections(), ","),
                                                request.filter(), request.query());
  const uint64_t version = VersionFingerprint(snapshot.version());
  size_t offset = 0;
  if (!request.page_token().empty()) {
    absl::StatusOr<PageToken> token = CheckPageToken(
        request.page_token(), fingerprint, snapshot.version(),
        "page_token was issued for a different query, collections or filter", "search");
    if (!token.ok()) return token.status();
    offset = token->offset;
  }
  query.offset = offset;
  query.limit = page_size;
  absl::StatusOr<search::SearchResult> result = index->Search(query);
  if (!result.ok()) {
    if (absl::IsInvalidArgument(result.status())) {
      return InvalidField("query", "INVALID_QUERY", result.status().message());
    }
    return result.status();
  }
  for (const search::Hit& hit : result->hits) {
    const CollectionId id = static_cast<CollectionId>(hit.collection);
    v1::SearchResponse::Result* out = response->add_results();
    out->set_name(std::string(snapshot.collection(id).name(hit.position)));
    out->set_collection(std::string(catalog::CollectionName(id)));
    out->set_score(hit.score);
    out->set_snippet(hit.snippet);
  }
  response->set_total_size(static_cast<int32_t>(result->total));
  if (offset + result->hits.size() < result->total && !result->hits.empty()) {
    response->set_next_page_token(
        EncodePageToken({version, fingerprint, offset + result->hits.size(), 0}));
  }
  return absl::OkStatus();
}

}  // namespace accord::api
