#include "service/api/accord_service.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/api/errors.h"
#include "service/api/resource_methods.h"

namespace accord::api {
namespace {

using catalog::CollectionId;

// Checks the call guard, then finishes the call with `work`'s status:
// inline, or, when a testing hook asks for a delay, on a thread of its own
// once the delay has passed (or with CANCELLED as soon as the client gives
// up).
// A template rather than a std::function, so that the common path (no
// delay) allocates nothing per call.
template <typename Work>
grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* context,
                              const AccordServiceImpl::CallGuard& guard,
                              const AccordServiceImpl::TestingHooks& testing, Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (guard) {
    if (absl::Status denied = guard(context); !denied.ok()) {
      reactor->Finish(ToGrpcStatus(denied));
      return reactor;
    }
  }
  absl::Duration delay = testing.delay ? testing.delay(context) : absl::ZeroDuration();
  if (delay <= absl::ZeroDuration()) {
    reactor->Finish(ToGrpcStatus(work()));
    return reactor;
  }
  std::thread([context, reactor, delay, log = testing.log, work = std::move(work)] {
    absl::Time until = absl::Now() + delay;
    while (absl::Now() < until) {
      if (context->IsCancelled()) {
        if (log) log("testing delay: the call was cancelled by its client; stopped working on it");
        reactor->Finish(ToGrpcStatus(absl::CancelledError("cancelled by the client")));
        return;
      }
      absl::SleepFor(absl::Milliseconds(5));
    }
    reactor->Finish(ToGrpcStatus(work()));
  }).detach();
  return reactor;
}

// Runs `handler` against the current snapshot, taken once when the work
// starts, and finishes the call with its status. `handler` must capture by
// value: it may run after the RPC method has returned.
template <typename Handler>
grpc::ServerUnaryReactor* Respond(grpc::CallbackServerContext* context,
                                  const catalog::CatalogStore* store,
                                  const AccordServiceImpl::CallGuard& guard,
                                  const AccordServiceImpl::TestingHooks& testing,
                                  Handler handler) {
  return Run(context, guard, testing, [store, handler = std::move(handler)]() -> absl::Status {
    std::shared_ptr<const catalog::Snapshot> snapshot = store->Current();
    return snapshot ? handler(*snapshot) : absl::UnavailableError("no catalogue is loaded yet");
  });
}

// The parent of a commitments request, or "" for other collections.
template <typename Request>
absl::string_view ParentOf(const Request& request) {
  if constexpr (std::is_same_v<Request, accord::v1::ListCommitmentsRequest> ||
                std::is_same_v<Request, accord::v1::BatchGetCommitmentsRequest>) {
    return request.parent();
  } else {
    return "";
  }
}

}  // namespace

// Every resource's three methods have the same shape; the macro stamps them
// out so that each RPC's behaviour lives once, in resource_methods.cc.
#define ACCORD_DEFINE_RESOURCE_METHODS(Resource, Plural, field, collection)                  \
  grpc::ServerUnaryReactor* AccordServiceImpl::Get##Resource(                               \
      grpc::CallbackServerContext* context, const accord::v1::Get##Resource##Request* request, \
      accord::v1::Resource* response) {                                                     \
    return Respond(context, store_, guard_, testing_, [=](const catalog::Snapshot& snapshot) {                \
      return GetResource(snapshot, collection, request->name(), request->read_mask(),       \
                         response);                                                         \
    });                                                                                     \
  }                                                                                         \
  grpc::ServerUnaryReactor* AccordServiceImpl::BatchGet##Plural(                            \
      grpc::CallbackServerContext* context,                                                 \
      const accord::v1::BatchGet##Plural##Request* request,                                 \
      accord::v1::BatchGet##Plural##Response* response) {                                   \
    return Respond(context, store_, guard_, testing_, [=](const catalog::Snapshot& snapshot) {                \
      return BatchGetResources(snapshot, collection, ParentOf(*request), request->names(),  \
                               request->read_mask(), AppendTo(response->mutable_##field())); \
    });                                                                                     \
  }                                                                                         \
  grpc::ServerUnaryReactor* AccordServiceImpl::List##Plural(                                \
      grpc::CallbackServerContext* context, const accord::v1::List##Plural##Request* request, \
      accord::v1::List##Plural##Response* response) {                                       \
    return Respond(context, store_, guard_, testing_, [=](const catalog::Snapshot& snapshot) {                \
      ListRequest list{ParentOf(*request),  request->page_size(), request->page_token(),    \
                       request->filter(),   request->order_by(),  &request->read_mask(),    \
                       [context] { return context->IsCancelled(); }};                        \
      int32_t total = 0;                                                                    \
      absl::Status status =                                                                 \
          ListResources(snapshot, collection, list, AppendTo(response->mutable_##field()),  \
                        response->mutable_next_page_token(), &total);                       \
      response->set_total_size(total);                                                      \
      return status;                                                                        \
    });                                                                                     \
  }

ACCORD_DEFINE_RESOURCE_METHODS(Country, Countries, countries, CollectionId::kCountries)
ACCORD_DEFINE_RESOURCE_METHODS(Partnership, Partnerships, partnerships,
                               CollectionId::kPartnerships)
ACCORD_DEFINE_RESOURCE_METHODS(Agreement, Agreements, agreements, CollectionId::kAgreements)
ACCORD_DEFINE_RESOURCE_METHODS(Commitment, Commitments, commitments, CollectionId::kCommitments)
ACCORD_DEFINE_RESOURCE_METHODS(CooperationArea, CooperationAreas, cooperation_areas,
                               CollectionId::kCooperationAreas)
ACCORD_DEFINE_RESOURCE_METHODS(Sector, Sectors, sectors, CollectionId::kSectors)
ACCORD_DEFINE_RESOURCE_METHODS(Source, Sources, sources, CollectionId::kSources)
ACCORD_DEFINE_RESOURCE_METHODS(Assessment, Assessments, assessments, CollectionId::kAssessments)
#undef ACCORD_DEFINE_RESOURCE_METHODS

grpc::ServerUnaryReactor* AccordServiceImpl::GetCatalogStatus(
    grpc::CallbackServerContext* context, const accord::v1::GetCatalogStatusRequest* request,
    accord::v1::CatalogStatus* response) {
  return Run(context, guard_, testing_, [this, request, response]() -> absl::Status {
    if (!request->name().empty() && request->name() != "catalogStatus") {
      return InvalidField(
          "name", "INVALID_NAME",
          absl::StrCat("\"", QuotePrefix(request->name()), "\" is not valid: the only name is \"catalogStatus\""));
    }
    *response = store_->Status();
    return absl::OkStatus();
  });
}

}  // namespace accord::api
