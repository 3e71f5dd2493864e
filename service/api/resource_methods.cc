#include "service/api/resource_methods.h"

#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/api/errors.h"
#include "service/api/page_token.h"
#include "service/api/read_mask.h"
#include "service/engine/executor.h"
#include "service/query/checker.h"
#include "service/query/order_by.h"

namespace accord::api {
namespace {

using catalog::CollectionId;
using serving::Collection;

constexpr absl::string_view kAllAgreements = "agreements/-";

absl::Status CheckName(absl::string_view field, absl::string_view name, CollectionId collection) {
  absl::Status s = catalog::ValidateName(name, collection);
  if (s.ok()) return s;
  return InvalidField(field, "INVALID_NAME", s.message());
}

// The range of positions a parent selects: everything for "" and
// "agreements/-", else the commitments of one existing agreement.
absl::StatusOr<std::pair<size_t, size_t>> ParentRange(const serving::ServingCatalog& snapshot,
                                                      const Collection& collection,
                                                      absl::string_view parent) {
  if (collection.id() != CollectionId::kCommitments || parent.empty() || parent == kAllAgreements) {
    return std::make_pair(size_t{0}, collection.size());
  }
  if (absl::Status s = CheckName("parent", parent, CollectionId::kAgreements); !s.ok()) {
    return Annotate(absl::InvalidArgumentError(absl::StrCat(
                        s.message(), ", or \"agreements/-\" for commitments of every agreement")),
                    "INVALID_NAME", "parent");
  }
  if (!snapshot.collection(CollectionId::kAgreements).Contains(parent)) {
    return ResourceNotFound(parent);
  }
  return collection.RangeWithPrefix(absl::StrCat(parent, "/"));
}

// The default instance of the collection's resource message.
const google::protobuf::Message& PrototypeOf(CollectionId collection) {
  // Looked up once: the descriptor pool and the message factory take a lock
  // on every lookup, and every Get, BatchGet and List needs one.
  static const auto* prototypes = [] {
    auto* out = new absl::flat_hash_map<CollectionId, const google::protobuf::Message*>();
    for (CollectionId id : catalog::kAllCollections) {
      (*out)[id] = google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
              std::string(catalog::MessageTypeName(id))));
    }
    return out;
  }();
  return *prototypes->at(collection);
}

// Fills `out` with record `p` of `c` as the mask selects: parsed straight
// from the stored bytes, or parsed into a short-lived arena and trimmed.
void CopyOut(const Collection& c, uint32_t p, const ReadMask& mask,
             google::protobuf::Message* out) {
  if (mask.all()) {
    const absl::string_view bytes = c.bytes(p);
    out->Clear();
    out->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
    return;
  }
  google::protobuf::Arena arena;
  mask.CopySelected(*c.Parse(p, &arena), out);
}

}  // namespace

absl::Status SelectGet(const serving::ServingCatalog& snapshot, CollectionId collection,
                       absl::string_view name, const google::protobuf::FieldMask& read_mask,
                       Selection* out) {
  if (absl::Status s = CheckName("name", name, collection); !s.ok()) return s;
  const Collection& c = snapshot.collection(collection);
  absl::StatusOr<ReadMask> mask =
      ReadMask::Parse(read_mask, PrototypeOf(collection).GetDescriptor());
  if (!mask.ok()) return mask.status();
  int64_t position = c.IndexOf(name);
  if (position < 0) return ResourceNotFound(name);
  out->positions.assign(1, static_cast<uint32_t>(position));
  out->mask = *std::move(mask);
  return absl::OkStatus();
}

absl::Status GetResource(const serving::ServingCatalog& snapshot, CollectionId collection,
                         absl::string_view name, const google::protobuf::FieldMask& read_mask,
                         google::protobuf::Message* out) {
  Selection selection;
  if (absl::Status s = SelectGet(snapshot, collection, name, read_mask, &selection); !s.ok()) {
    return s;
  }
  CopyOut(snapshot.collection(collection), selection.positions[0], selection.mask, out);
  return absl::OkStatus();
}

absl::Status SelectBatchGet(const serving::ServingCatalog& snapshot, CollectionId collection,
                            absl::string_view parent,
                            const google::protobuf::RepeatedPtrField<std::string>& names,
                            const google::protobuf::FieldMask& read_mask, Selection* out) {
  if (names.empty()) {
    return InvalidField("names", "EMPTY_BATCH", "names must hold at least one resource name");
  }
  if (names.size() > kMaxBatchSize) {
    return InvalidField("names", "BATCH_TOO_LARGE",
                        absl::StrCat("names holds ", names.size(), " names; at most ",
                                     kMaxBatchSize, " are allowed per call"));
  }
  const Collection& c = snapshot.collection(collection);
  absl::StatusOr<ReadMask> mask =
      ReadMask::Parse(read_mask, PrototypeOf(collection).GetDescriptor());
  if (!mask.ok()) return mask.status();
  // Same parent rules as List: malformed is INVALID_ARGUMENT, missing is
  // NOT_FOUND.
  if (auto range = ParentRange(snapshot, c, parent); !range.ok()) return range.status();
  std::vector<uint32_t> found;
  found.reserve(names.size());
  for (int i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    std::string field = absl::StrCat("names[", i, "]");
    if (absl::Status s = CheckName(field, name, collection); !s.ok()) return s;
    if (collection == CollectionId::kCommitments && !parent.empty() && parent != kAllAgreements &&
        catalog::ParentOfCommitment(name) != parent) {
      return InvalidField(field, "PARENT_MISMATCH",
                          absl::StrCat("\"", name, "\" is not under parent \"", parent, "\""));
    }
    int64_t position = c.IndexOf(name);
    if (position < 0) return ResourceNotFound(name);
    found.push_back(static_cast<uint32_t>(position));
  }
  out->positions = std::move(found);
  out->mask = *std::move(mask);
  return absl::OkStatus();
}

absl::Status BatchGetResources(const serving::ServingCatalog& snapshot, CollectionId collection,
                               absl::string_view parent,
                               const google::protobuf::RepeatedPtrField<std::string>& names,
                               const google::protobuf::FieldMask& read_mask, const Appender& out) {
  Selection selection;
  if (absl::Status s = SelectBatchGet(snapshot, collection, parent, names, read_mask, &selection);
      !s.ok()) {
    return s;
  }
  const Collection& c = snapshot.collection(collection);
  for (uint32_t p : selection.positions) CopyOut(c, p, selection.mask, out());
  return absl::OkStatus();
}

namespace {

// The filter, then the order_by, checked against `c`'s schema.
absl::StatusOr<CompiledQuery> Compile(const Collection& c, const ListRequest& request) {
  CompiledQuery out;
  if (!request.filter.empty()) {
    absl::StatusOr<query::CheckedExpr> filter = query::CompileFilter(request.filter, c.schema());
    if (!filter.ok()) return filter.status();
    out.filter = *std::move(filter);
  }
  if (!request.order_by.empty()) {
    absl::StatusOr<std::vector<query::OrderKey>> order =
        query::ParseOrderBy(request.order_by, c.schema());
    if (!order.ok()) return order.status();
    out.order = *std::move(order);
  }
  return out;
}

absl::Status SelectListImpl(const serving::ServingCatalog& snapshot,
                            const std::shared_ptr<const serving::ServingCatalog>* shared,
                            CollectionId collection, const ListRequest& request, QueryCache* cache,
                            Selection* out, std::string* next_page_token, int32_t* total_size) {
  if (request.page_size < 0) {
    return InvalidField("page_size", "INVALID_PAGE_SIZE",
                        absl::StrCat("page_size must not be negative; got ", request.page_size));
  }
  size_t page_size =
      request.page_size == 0 ? kDefaultPageSize : std::min(request.page_size, kMaxPageSize);
  const Collection& c = snapshot.collection(collection);
  auto range = ParentRange(snapshot, c, request.parent);
  if (!range.ok()) return range.status();

  std::shared_ptr<const CompiledQuery> compiled;
  if (cache != nullptr && shared != nullptr) {
    compiled = cache->Find(*shared, collection, request.filter, request.order_by);
  }
  if (compiled == nullptr) {
    absl::StatusOr<CompiledQuery> fresh = Compile(c, request);
    if (!fresh.ok()) return fresh.status();
    compiled = std::make_shared<const CompiledQuery>(*std::move(fresh));
    if (cache != nullptr && shared != nullptr) {
      cache->Insert(*shared, collection, request.filter, request.order_by, compiled);
    }
  }
  absl::StatusOr<ReadMask> mask =
      ReadMask::Parse(request.read_mask ? *request.read_mask : google::protobuf::FieldMask(),
                      PrototypeOf(collection).GetDescriptor());
  if (!mask.ok()) return mask.status();

  // "" and "agreements/-" mean the same parent, so a token from one serves
  // the other.
  absl::string_view parent = request.parent.empty() ? kAllAgreements : request.parent;
  uint64_t query_fingerprint = QueryFingerprint(catalog::CollectionName(collection), parent,
                                                request.filter, request.order_by);
  uint64_t version = VersionFingerprint(snapshot.version());
  size_t offset = 0;
  int64_t after = -1;
  if (!request.page_token.empty()) {
    absl::StatusOr<PageToken> token = CheckPageToken(
        request.page_token, query_fingerprint, snapshot.version(),
        "page_token was issued for a different parent, filter or order_by; repeat them unchanged "
        "when paging, or start again without a token",
        "listing");
    if (!token.ok()) return token.status();
    offset = token->offset;
    if (offset > c.size()) {
      return InvalidField("page_token", "INVALID_PAGE_TOKEN",
                          "page_token is not valid: its offset is out of range");
    }
    if (token->after > 0) {
      // A cursor outside the collection can only come from a forged token
      // with a valid checksum; treat it like any other bad token.
      if (token->after <= range->first || token->after > range->second) {
        return InvalidField("page_token", "INVALID_PAGE_TOKEN",
                            "page_token is not valid: its cursor is out of range");
      }
      after = static_cast<int64_t>(token->after) - 1;
    }
  }

  engine::ListQuery query;
  query.begin = range->first;
  query.end = range->second;
  query.filter = compiled->filter ? &*compiled->filter : nullptr;
  query.order = &compiled->order;
  query.offset = offset;
  query.after = after;
  query.limit = page_size;
  query.cancelled = request.cancelled;
  // A first page of a cached query may have been answered before, against
  // this same snapshot (the cache never hands out another snapshot's query),
  // and its total_size holds for every later page.
  const bool cached = cache != nullptr && shared != nullptr;
  const bool first_page = offset == 0 && after < 0;
  const PageMemo::Key memo_key{query.begin, query.end, query.limit};
  absl::StatusOr<engine::ListPage> page = engine::ListPage();
  if (!cached || !first_page ||
      !compiled->first_pages->Find(memo_key, &page->positions, &page->total_size)) {
    // A later page reports the total its first page counted.
    size_t known_total = 0;
    if (cached && !first_page &&
        compiled->first_pages->FindTotal(query.begin, query.end, &known_total)) {
      query.known_total = static_cast<int64_t>(known_total);
    }
    page = engine::ExecuteList(c, query);
    if (!page.ok()) return page.status();
    if (cached && first_page) {
      compiled->first_pages->Insert(memo_key, page->positions, page->total_size);
    }
  }

  *total_size = static_cast<int32_t>(page->total_size);
  size_t next = offset + page->positions.size();
  next_page_token->clear();
  if (next < page->total_size && !page->positions.empty()) {
    *next_page_token =
        EncodePageToken({version, query_fingerprint, next, uint64_t{page->positions.back()} + 1});
  }
  out->positions = std::move(page->positions);
  out->mask = *std::move(mask);
  return absl::OkStatus();
}

}  // namespace

absl::Status SelectList(const serving::ServingCatalog& snapshot, CollectionId collection,
                        const ListRequest& request, Selection* out, std::string* next_page_token,
                        int32_t* total_size) {
  return SelectListImpl(snapshot, nullptr, collection, request, nullptr, out, next_page_token,
                        total_size);
}

absl::Status SelectList(const std::shared_ptr<const serving::ServingCatalog>& snapshot,
                        CollectionId collection, const ListRequest& request, QueryCache* cache,
                        Selection* out, std::string* next_page_token, int32_t* total_size) {
  return SelectListImpl(*snapshot, &snapshot, collection, request, cache, out, next_page_token,
                        total_size);
}

absl::Status ListResources(const serving::ServingCatalog& snapshot, CollectionId collection,
                           const ListRequest& request, const Appender& out,
                           std::string* next_page_token, int32_t* total_size) {
  Selection selection;
  absl::Status s =
      SelectList(snapshot, collection, request, &selection, next_page_token, total_size);
  if (!s.ok()) return s;
  const Collection& c = snapshot.collection(collection);
  for (uint32_t p : selection.positions) CopyOut(c, p, selection.mask, out());
  return absl::OkStatus();
}

}  // namespace accord::api
