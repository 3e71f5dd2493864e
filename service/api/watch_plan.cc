#include "service/api/watch_plan.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/api/errors.h"
#include "service/watch/resume_token.h"

namespace accord::api {

namespace {

using registry::CollectionId;
using watch::ChangeLog;

constexpr absl::Duration kMinHeartbeat = absl::Seconds(1);
constexpr absl::Duration kMaxHeartbeat = absl::Seconds(600);

// Points every restriction of `expr` at the field of the same path in
// `schema`. False if one is missing there: a computed field (one that reads
// other records, e.g. agreements' `commitments.*`), whose value can change
// without the record changing, which a change feed of records cannot follow.
bool Rebind(const query::Schema& schema, query::CheckedExpr* expr, std::string* missing) {
  if (expr->kind == query::CheckedExpr::Kind::kRestriction) {
    const query::Field* field = schema.Find(expr->restriction.field->path);
    if (field == nullptr) {
      *missing = expr->restriction.field->path;
      return false;
    }
    expr->restriction.field = field;
    return true;
  }
  for (query::CheckedExpr& child : expr->children) {
    if (!Rebind(schema, &child, missing)) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<WatchPlan> PlanWatch(const v1::WatchRequest& request, const ChangeLog& log) {
  WatchPlan plan;
  plan.collection = request.collection();
  ChangeLog::Head head = log.head();
  if (head.catalog == nullptr) return absl::UnavailableError("no catalogue is loaded yet");
  if (request.collection() == "-") {
    for (CollectionId id : registry::kAllCollections) plan.collections.push_back(id);
  } else if (const registry::Collection* c = registry::FindByCollectionId(request.collection())) {
    plan.collections.push_back(c->id);
  } else {
    std::vector<std::string> names;
    for (const registry::Collection& c : registry::All()) names.push_back(c.collection_id);
    return InvalidField(
        "collection", "INVALID_COLLECTION",
        absl::StrCat("\"", QuotePrefix(request.collection()), "\" is not a collection; use one of ",
                     absl::StrJoin(names, ", "), ", or \"-\" for all"));
  }
  for (CollectionId id : plan.collections) plan.watched[static_cast<int>(id)] = true;
  if (!request.filter().empty()) {
    if (plan.collections.size() != 1) {
      return InvalidField("filter", "FILTER_NEEDS_ONE_COLLECTION",
                          "a filter names the fields of one collection: watch one collection, "
                          "not \"-\"");
    }
    const serving::Collection& c = head.catalog->collection(plan.collections[0]);
    absl::StatusOr<query::CheckedExpr> compiled =
        query::CompileFilter(request.filter(), c.schema());
    if (!compiled.ok()) return compiled.status();
    plan.schema = query::Schema::FromDescriptor(registry::Get(plan.collections[0]).message);
    std::string missing;
    if (!Rebind(*plan.schema, &*compiled, &missing)) {
      return InvalidField("filter", "FILTER_FIELD_NOT_WATCHABLE",
                          absl::StrCat("`", missing,
                                       "` is computed from other records, so its changes are not "
                                       "changes of this collection's records: Watch cannot "
                                       "filter on it"));
    }
    plan.filter = *std::move(compiled);
    plan.filter_text = request.filter();
  }
  if (request.has_heartbeat_interval()) {
    absl::Duration d = absl::Seconds(request.heartbeat_interval().seconds()) +
                       absl::Nanoseconds(request.heartbeat_interval().nanos());
    if (d != absl::ZeroDuration()) {
      if (d < kMinHeartbeat || d > kMaxHeartbeat) {
        return InvalidField("heartbeat_interval", "INVALID_HEARTBEAT_INTERVAL",
                            absl::StrCat("the heartbeat interval is ", absl::FormatDuration(d),
                                         "; it must be from 1s to 600s (or unset: 30s)"));
      }
      plan.heartbeat = d;
    }
  }
  plan.request_hash = watch::WatchRequestHash(request.collection(), request.filter());
  plan.snapshot = !request.skip_snapshot();
  if (request.resume_token().empty()) {
    plan.seq = head.seq;
    plan.version = head.catalog->version();
    return plan;
  }
  plan.snapshot = false;
  plan.from_token = true;
  absl::StatusOr<watch::ResumePosition> token = watch::DecodeResumeToken(request.resume_token());
  if (!token.ok()) {
    return InvalidField("resume_token", "INVALID_RESUME_TOKEN", token.status().message());
  }
  if (token->request_hash != plan.request_hash) {
    return InvalidField("resume_token", "INVALID_RESUME_TOKEN",
                        "the resume token was issued for another collection or filter: resume "
                        "with the same ones");
  }
  auto expired = [&](absl::string_view why) {
    return Annotate(
        absl::FailedPreconditionError(
            absl::StrCat("cannot resume from this token: ", why,
                         "; list the collection again (or watch with a snapshot)")),
        "RESUME_TOKEN_EXPIRED", "",
        {{"tokenVersion", token->version}, {"catalogVersion", head.catalog->version()}});
  };
  if (token->lineage != log.lineage()) {
    // Another server (or an earlier run of this one) issued it: resumable
    // only if it names a whole version and that is the one serving here.
    if (token->index != 0 || token->version != head.catalog->version()) {
      return expired("it comes from another server whose catalogue version differs");
    }
    plan.seq = head.seq;
    plan.version = head.catalog->version();
    return plan;
  }
  if (token->seq > head.seq) {
    return InvalidField("resume_token", "INVALID_RESUME_TOKEN",
                        "the resume token is ahead of this server's catalogue");
  }
  if (token->seq < log.oldest_cursor()) {
    return expired(
        "its version is older than the changes this server keeps (--watch_log_versions, "
        "--watch_log_bytes)");
  }
  plan.seq = token->seq;
  plan.index = token->index;
  plan.version = token->version;
  return plan;
}

}  // namespace accord::api
