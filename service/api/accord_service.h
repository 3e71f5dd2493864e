// The accord.v1.AccordService, on gRPC's callback API.
#ifndef ACCORD_SERVICE_API_ACCORD_SERVICE_H_
#define ACCORD_SERVICE_API_ACCORD_SERVICE_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "accord/v1/accord_service.grpc.pb.h"
#include "service/catalog/catalog_store.h"

namespace accord::api {

// Serves every RPC of AccordService from the store's current snapshot. Each
// call takes one snapshot reference at its start and answers wholly from
// it, inline on the gRPC thread: the work is in-memory and never blocks.
class AccordServiceImpl final : public accord::v1::AccordService::CallbackService {
 public:
  // Runs first in every RPC of this service, before the catalogue is
  // touched; a non-OK status (with Annotate()d reason and details) ends the
  // call with that error. The server uses it for bearer-token checks.
  using CallGuard = std::function<absl::Status(grpc::CallbackServerContext*)>;

  // For tests only (accord_server --testing_hooks): how long to hold a call
  // before answering it (zero: answer at once), and where to log. A held
  // call waits on a thread of its own, polling for cancellation, so that
  // slow calls neither block gRPC's threads nor outlive their client.
  struct TestingHooks {
    std::function<absl::Duration(grpc::CallbackServerContext*)> delay;
    std::function<void(absl::string_view)> log;
  };

  // `store` must outlive the service.
  explicit AccordServiceImpl(const catalog::CatalogStore* store, CallGuard guard = nullptr,
                             TestingHooks testing = {})
      : store_(store), guard_(std::move(guard)), testing_(std::move(testing)) {}

#define ACCORD_DECLARE_RESOURCE_METHODS(Resource, Plural)                                     \
  grpc::ServerUnaryReactor* Get##Resource(grpc::CallbackServerContext* context,              \
                                          const accord::v1::Get##Resource##Request* request, \
                                          accord::v1::Resource* response) override;          \
  grpc::ServerUnaryReactor* BatchGet##Plural(                                                \
      grpc::CallbackServerContext* context,                                                  \
      const accord::v1::BatchGet##Plural##Request* request,                                  \
      accord::v1::BatchGet##Plural##Response* response) override;                            \
  grpc::ServerUnaryReactor* List##Plural(grpc::CallbackServerContext* context,               \
                                         const accord::v1::List##Plural##Request* request,   \
                                         accord::v1::List##Plural##Response* response) override;

  ACCORD_DECLARE_RESOURCE_METHODS(Country, Countries)
  ACCORD_DECLARE_RESOURCE_METHODS(Partnership, Partnerships)
  ACCORD_DECLARE_RESOURCE_METHODS(Agreement, Agreements)
  ACCORD_DECLARE_RESOURCE_METHODS(Commitment, Commitments)
  ACCORD_DECLARE_RESOURCE_METHODS(CooperationArea, CooperationAreas)
  ACCORD_DECLARE_RESOURCE_METHODS(Sector, Sectors)
  ACCORD_DECLARE_RESOURCE_METHODS(Source, Sources)
  ACCORD_DECLARE_RESOURCE_METHODS(Assessment, Assessments)
#undef ACCORD_DECLARE_RESOURCE_METHODS

  grpc::ServerUnaryReactor* GetCatalogStatus(grpc::CallbackServerContext* context,
                                             const accord::v1::GetCatalogStatusRequest* request,
                                             accord::v1::CatalogStatus* response) override;

 private:
  const catalog::CatalogStore* store_;
  CallGuard guard_;
  TestingHooks testing_;
};

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_ACCORD_SERVICE_H_
