#include "service/api/as_of_methods.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "accord/v1/agreement.pb.h"
#include "accord/v1/partnership.pb.h"
#include "service/api/errors.h"
#include "service/api/page_token.h"
#include "service/api/read_mask.h"
#include "service/query/checker.h"
#include "service/query/date_literal.h"
#include "service/query/evaluator.h"
#include "service/registry/registry.h"
#include "service/temporal/as_of_view.h"

namespace accord::api {
namespace {

using catalog::CollectionId;

absl::StatusOr<query::DateRange> ParseAsOf(absl::string_view as_of) {
  absl::StatusOr<query::DateRange> range = query::ParseDateLiteral(as_of);
  if (!range.ok()) {
    return InvalidField(
        "as_of", "INVALID_AS_OF",
        absl::StrCat("as_of must be a date \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\": ",
                     range.status().message()));
  }
  return *range;
}

// Rewrites `m` (a copy of a record) as of the date; false if it did not
// exist yet.
bool View(CollectionId collection, const query::DateRange& range, absl::string_view as_of,
          google::protobuf::Message* m) {
  if (collection == CollectionId::kAgreements) {
    return temporal::ViewAgreementAsOf(range, as_of, static_cast<v1::Agreement*>(m)) !=
           temporal::Existence::kNotYet;
  }
  temporal::ViewPartnershipAsOf(range, as_of, static_cast<v1::Partnership*>(m));
  return true;
}

// An empty record of `collection`, of its generated type.
google::protobuf::Message* NewRecord(CollectionId collection) {
  return google::protobuf::MessageFactory::generated_factory()
      ->GetPrototype(registry::Get(collection).message)
      ->New();
}

}  // namespace

bool SupportsAsOf(CollectionId collection) {
  return collection == CollectionId::kAgreements || collection == CollectionId::kPartnerships;
}

absl::Status GetResourceAsOf(const serving::ServingCatalog& snapshot, CollectionId collection,
                             absl::string_view name, absl::string_view as_of,
                             const google::protobuf::FieldMask& read_mask, std::string* bytes) {
  absl::StatusOr<query::DateRange> range = ParseAsOf(as_of);
  if (!range.ok()) return range.status();
  std::unique_ptr<google::protobuf::Message> out(NewRecord(collection));
  absl::StatusOr<ReadMask> mask = ReadMask::Parse(read_mask, out->GetDescriptor());
  if (!mask.ok()) return mask.status();
  // The whole record first: the view needs its events or history.
  if (absl::Status s =
          GetResource(snapshot, collection, name, google::protobuf::FieldMask(), out.get());
      !s.ok()) {
    return s;
  }
  if (!View(collection, *range, as_of, out.get())) {
    return Annotate(
        absl::NotFoundError(absl::StrCat("\"", name, "\" was not yet signed as of ", as_of)),
        "NOT_YET_SIGNED", "", {{"name", std::string(name)}, {"as_of", std::string(as_of)}});
  }
  mask->Apply(out.get());
  *bytes = out->SerializeAsString();
  return absl::OkStatus();
}

absl::Status ListResourcesAsOf(const serving::ServingCatalog& snapshot, CollectionId collection,
                               const ListRequest& request, const ResponseFields& fields,
                               std::string* bytes) {
  const absl::string_view as_of = request.as_of;
  absl::StatusOr<query::DateRange> range = ParseAsOf(as_of);
  if (!range.ok()) return range.status();
  if (request.page_size < 0) {
    return InvalidField("page_size", "INVALID_PAGE_SIZE",
                        absl::StrCat("page_size must not be negative; got ", request.page_size));
  }
  if (!request.order_by.empty()) {
    return InvalidField("order_by", "ORDER_BY_WITH_AS_OF",
                        "order_by cannot be combined with as_of: results come in name order");
  }
  const size_t page_size =
      request.page_size == 0 ? kDefaultPageSize : std::min(request.page_size, kMaxPageSize);
  const serving::Collection& c = snapshot.collection(collection);
  std::optional<query::CheckedExpr> filter;
  if (!request.filter.empty()) {
    absl::StatusOr<query::CheckedExpr> compiled = query::CompileFilter(request.filter, c.schema());
    if (!compiled.ok()) return compiled.status();
    filter = *std::move(compiled);
  }
  std::unique_ptr<google::protobuf::Message> scratch(NewRecord(collection));
  absl::StatusOr<ReadMask> mask =
      ReadMask::Parse(request.read_mask ? *request.read_mask : google::protobuf::FieldMask(),
                      scratch->GetDescriptor());
  if (!mask.ok()) return mask.status();

  // The token is tied to as_of as well as to the filter.
  const uint64_t fingerprint =
      QueryFingerprint(catalog::CollectionName(collection), absl::StrCat("as_of=", as_of),
                       request.filter, request.order_by);
  const uint64_t version = VersionFingerprint(snapshot.version());
  size_t offset = 0;
  if (!request.page_token.empty()) {
    absl::StatusOr<PageToken> token = CheckPageToken(
        request.page_token, fingerprint, snapshot.version(),
        "page_token was issued for a different filter or as_of; repeat them unchanged when "
        "paging, or start again without a token",
        "listing");
    if (!token.ok()) return token.status();
    offset = token->offset;
  }

  size_t matched = 0;
  bytes->clear();
  for (size_t i = 0; i < c.size(); ++i) {
    if ((i & 1023) == 0 && request.cancelled && request.cancelled()) {
      return absl::CancelledError("the call was cancelled");
    }
    const absl::string_view stored = c.bytes(i);
    scratch->Clear();
    scratch->ParseFromArray(stored.data(), static_cast<int>(stored.size()));
    if (!View(collection, *range, as_of, scratch.get())) continue;
    if (filter && !query::Matches(*filter, *scratch)) continue;
    if (matched >= offset && matched < offset + page_size) {
      mask->Apply(scratch.get());
      AppendLengthDelimited(fields.items, scratch->SerializeAsString(), bytes);
    }
    ++matched;
  }
  if (offset + page_size < matched) {
    AppendLengthDelimited(fields.next_page_token,
                          EncodePageToken({version, fingerprint, offset + page_size, 0}), bytes);
  }
  if (matched != 0) AppendVarint(fields.total_size, matched, bytes);
  return absl::OkStatus();
}

}  // namespace accord::api
