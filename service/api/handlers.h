// Handler templates: the body of every AccordService RPC. Each RPC method of
// AccordServiceImpl (accord_service.cc) is one line that calls one of these
// with its collection and its generated request (and response) types, so
// that `grep ListAgreements service/` finds the method, and the behaviour
// lives once, here and in resource_methods.cc.
//
// Get, BatchGet and List are on gRPC's raw (ByteBuffer) API: they parse the
// typed request, check it with the Select* functions of resource_methods.h,
// and frame the stored bytes of the selected records (wire.h).
//
// A new RPC slots in the same way. A typed one (the generated
// WithCallbackMethod_ signature) writes its work as a function of the
// serving catalogue and hands it to Respond(), which checks the call guard,
// takes one catalogue for the whole call and finishes the call with the
// status; GetCatalogStatus is the example. A raw one follows HandleRawList.
#ifndef ACCORD_SERVICE_API_HANDLERS_H_
#define ACCORD_SERVICE_API_HANDLERS_H_

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "service/api/as_of_methods.h"
#include "service/api/errors.h"
#include "service/api/query_cache.h"
#include "service/api/resource_methods.h"
#include "service/api/wire.h"
#include "service/registry/registry.h"
#include "service/serving/catalog_store.h"

namespace accord::api {

// Runs first in every RPC, before the catalogue is touched; a non-OK status
// (with Annotate()d reason and details) ends the call with that error. The
// server uses it for bearer-token checks.
using CallGuard = std::function<absl::Status(grpc::CallbackServerContext*)>;

// What every handler needs. Both pointers outlive the service.
struct HandlerEnv {
  const serving::CatalogStore* store = nullptr;
  const CallGuard* guard = nullptr;  // may point at an empty guard
  // Compiled List queries (query_cache.h); nullptr compiles on every call.
  QueryCache* queries = nullptr;
};

// Checks the guard, then finishes the call inline with the status of
// `work()`. For RPCs that do not read the catalogue.
template <typename Work>
grpc::ServerUnaryReactor* Guarded(const HandlerEnv& env, grpc::CallbackServerContext* context,
                                  Work&& work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (*env.guard) {
    if (absl::Status denied = (*env.guard)(context); !denied.ok()) {
      reactor->Finish(ToGrpcStatus(denied));
      return reactor;
    }
  }
  reactor->Finish(ToGrpcStatus(work()));
  return reactor;
}

// Checks the guard, then finishes the call inline with the status of
// `work(snapshot)`, where `snapshot` is the store's current snapshot, taken
// once. UNAVAILABLE if no catalogue is loaded yet.
template <typename Work>
grpc::ServerUnaryReactor* Respond(const HandlerEnv& env, grpc::CallbackServerContext* context,
                                  Work&& work) {
  return Guarded(env, context, [&]() -> absl::Status {
    std::shared_ptr<const serving::ServingCatalog> snapshot = env.store->Current();
    return snapshot ? work(*snapshot) : absl::UnavailableError("no catalogue is loaded yet");
  });
}

// As Respond, but `work` gets the shared snapshot, for replies that point
// into it and must keep it alive until they are sent.
template <typename Work>
grpc::ServerUnaryReactor* RespondShared(const HandlerEnv& env, grpc::CallbackServerContext* context,
                                        Work&& work) {
  return Guarded(env, context, [&]() -> absl::Status {
    std::shared_ptr<const serving::ServingCatalog> snapshot = env.store->Current();
    return snapshot ? work(std::move(snapshot))
                    : absl::UnavailableError("no catalogue is loaded yet");
  });
}

// Parses a raw request into `out`. False if the bytes are not a valid
// `Request` (gRPC's generated handlers then answer UNIMPLEMENTED with no
// message; the raw handlers keep that answer, see UnparsedRequest()).
template <typename Request>
bool ParseRequest(const grpc::ByteBuffer* bytes, Request* out) {
  grpc::ByteBuffer copy(*bytes);  // shares the slices; the reader consumes
  grpc::ProtoBufferReader reader(&copy);
  return out->ParseFromZeroCopyStream(&reader);
}

// Finishes a call whose request did not parse, as gRPC's typed handlers do.
inline grpc::ServerUnaryReactor* UnparsedRequest(grpc::CallbackServerContext* context) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, ""));
  return reactor;
}

namespace internal {

// True for requests with a `parent` field (collections under a parent).
template <typename R, typename = void>
struct HasParent : std::false_type {};
template <typename R>
struct HasParent<R, std::void_t<decltype(std::declval<const R&>().parent())>> : std::true_type {};

template <typename Request>
absl::string_view ParentOf(const Request& request) {
  if constexpr (HasParent<Request>::value) {
    return request.parent();
  } else {
    return "";
  }
}

// True for requests with an `as_of` field (Get and List of agreements and
// partnerships).
template <typename R, typename = void>
struct HasAsOf : std::false_type {};
template <typename R>
struct HasAsOf<R, std::void_t<decltype(std::declval<const R&>().as_of())>> : std::true_type {};

template <typename Request>
absl::string_view AsOfOf(const Request& request) {
  if constexpr (HasAsOf<Request>::value) {
    return request.as_of();
  } else {
    return "";
  }
}

// The numbers of a List or BatchGet response's fields, by name.
template <typename Response>
const ResponseFields& FieldsOf(registry::CollectionId collection) {
  static const ResponseFields fields = [collection] {
    const google::protobuf::Descriptor* d = Response::descriptor();
    ResponseFields f;
    f.items = d->FindFieldByName(registry::Get(collection).response_field)->number();
    if (const auto* token = d->FindFieldByName("next_page_token"))
      f.next_page_token = token->number();
    if (const auto* total = d->FindFieldByName("total_size")) f.total_size = total->number();
    return f;
  }();
  return fields;
}

}  // namespace internal

// Raw Get (AIP-131), on gRPC's ByteBuffer API: parses a `Request` (name,
// read_mask), checks it as GetResource does, and replies with the record's
// stored bytes without copying them (a slice over the snapshot, which it
// keeps alive until gRPC has sent the reply). Only a read_mask that trims
// fields costs a re-encode. A request with `as_of` (agreements,
// partnerships) is answered with the record as it stood then, re-encoded
// (GetResourceAsOf).
template <typename Request>
grpc::ServerUnaryReactor* HandleRawGet(const HandlerEnv& env, grpc::CallbackServerContext* context,
                                       registry::CollectionId collection,
                                       const grpc::ByteBuffer* request_bytes,
                                       grpc::ByteBuffer* response) {
  Request request;
  if (!ParseRequest(request_bytes, &request)) return UnparsedRequest(context);
  return RespondShared(env, context, [&](std::shared_ptr<const serving::ServingCatalog> snapshot) {
    if (absl::string_view as_of = internal::AsOfOf(request); !as_of.empty()) {
      std::string bytes;
      absl::Status s = GetResourceAsOf(*snapshot, collection, request.name(), as_of,
                                       request.read_mask(), &bytes);
      if (s.ok()) *response = OwnedBuffer(std::move(bytes));
      return s;
    }
    Selection selection;
    absl::Status s =
        SelectGet(*snapshot, collection, request.name(), request.read_mask(), &selection);
    if (!s.ok()) return s;
    if (selection.mask.all()) {
      absl::string_view bytes = snapshot->collection(collection).bytes(selection.positions[0]);
      *response = BorrowedBuffer(std::move(snapshot), bytes);
    } else {
      std::string scratch;
      RecordBytes(snapshot->collection(collection), selection.positions[0], selection.mask,
                  &scratch);
      *response = OwnedBuffer(std::move(scratch));
    }
    return absl::OkStatus();
  });
}

// Raw BatchGet (AIP-231): frames each record's stored bytes as an element of
// the response's repeated field.
template <typename Request, typename Response>
grpc::ServerUnaryReactor* HandleRawBatchGet(const HandlerEnv& env,
                                            grpc::CallbackServerContext* context,
                                            registry::CollectionId collection,
                                            const grpc::ByteBuffer* request_bytes,
                                            grpc::ByteBuffer* response) {
  Request request;
  if (!ParseRequest(request_bytes, &request)) return UnparsedRequest(context);
  return Respond(env, context, [&](const serving::ServingCatalog& snapshot) {
    Selection selection;
    absl::Status s = SelectBatchGet(snapshot, collection, internal::ParentOf(request),
                                    request.names(), request.read_mask(), &selection);
    if (!s.ok()) return s;
    *response = OwnedBuffer(EncodeResponse(snapshot.collection(collection), selection,
                                           internal::FieldsOf<Response>(collection), "", 0));
    return absl::OkStatus();
  });
}

// Raw List (AIP-132): frames each record of the page from its stored bytes,
// then next_page_token and total_size. With `as_of` (agreements,
// partnerships), the page holds the records as they stood then
// (ListResourcesAsOf).
template <typename Request, typename Response>
grpc::ServerUnaryReactor* HandleRawList(const HandlerEnv& env, grpc::CallbackServerContext* context,
                                        registry::CollectionId collection,
                                        const grpc::ByteBuffer* request_bytes,
                                        grpc::ByteBuffer* response) {
  Request request;
  if (!ParseRequest(request_bytes, &request)) return UnparsedRequest(context);
  return RespondShared(env, context, [&](std::shared_ptr<const serving::ServingCatalog> shared) {
    const serving::ServingCatalog& snapshot = *shared;
    ListRequest list{internal::ParentOf(request),
                     request.page_size(),
                     request.page_token(),
                     request.filter(),
                     request.order_by(),
                     &request.read_mask(),
                     [context] { return context->IsCancelled(); },
                     internal::AsOfOf(request)};
    if (!list.as_of.empty()) {
      std::string bytes;
      absl::Status s = ListResourcesAsOf(snapshot, collection, list,
                                         internal::FieldsOf<Response>(collection), &bytes);
      if (s.ok()) *response = OwnedBuffer(std::move(bytes));
      return s;
    }
    Selection selection;
    std::string next_page_token;
    int32_t total = 0;
    absl::Status s =
        SelectList(shared, collection, list, env.queries, &selection, &next_page_token, &total);
    if (!s.ok()) return s;
    *response = OwnedBuffer(EncodeResponse(snapshot.collection(collection), selection,
                                           internal::FieldsOf<Response>(collection),
                                           next_page_token, total));
    return absl::OkStatus();
  });
}

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_HANDLERS_H_
