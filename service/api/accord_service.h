// The accord.v1.AccordService, on gRPC's callback API.
#ifndef ACCORD_SERVICE_API_ACCORD_SERVICE_H_
#define ACCORD_SERVICE_API_ACCORD_SERVICE_H_

#include "accord/v1/accord_service.grpc.pb.h"
#include "service/api/handlers.h"
#include "service/api/watch_method.h"
#include "service/serving/catalog_store.h"

namespace accord::api {

// The generated callback service with every Get, BatchGet and List method
// on gRPC's raw (ByteBuffer) API, so that replies are framed from the stored
// wire bytes of the records; GetCatalogStatus, Count and Search stay typed.
using AccordServiceBase = v1::AccordService::WithRawCallbackMethod_GetCountry<v1::AccordService::WithRawCallbackMethod_BatchGetCountries<
    v1::AccordService::WithRawCallbackMethod_ListCountries<v1::AccordService::WithRawCallbackMethod_GetPartnership<
        v1::AccordService::WithRawCallbackMethod_BatchGetPartnerships<v1::AccordService::WithRawCallbackMethod_ListPartnerships<
            v1::AccordService::WithRawCallbackMethod_GetAgreement<v1::AccordService::WithRawCallbackMethod_BatchGetAgreements<
                v1::AccordService::WithRawCallbackMethod_ListAgreements<v1::AccordService::WithRawCallbackMethod_GetCommitment<
                    v1::AccordService::WithRawCallbackMethod_BatchGetCommitments<v1::AccordService::WithRawCallbackMethod_ListCommitments<
                        v1::AccordService::WithRawCallbackMethod_GetCooperationArea<
                            v1::AccordService::WithRawCallbackMethod_BatchGetCooperationAreas<
                                v1::AccordService::WithRawCallbackMethod_ListCooperationAreas<
                                    v1::AccordService::WithRawCallbackMethod_GetSector<v1::AccordService::WithRawCallbackMethod_BatchGetSectors<
                                        v1::AccordService::WithRawCallbackMethod_ListSectors<
                                            v1::AccordService::WithRawCallbackMethod_GetSource<
                                                v1::AccordService::WithRawCallbackMethod_BatchGetSources<
                                                    v1::AccordService::WithRawCallbackMethod_ListSources<
                                                        v1::AccordService::WithRawCallbackMethod_GetAssessment<
                                                            v1::AccordService::WithRawCallbackMethod_BatchGetAssessments<
                                                                v1::AccordService::WithRawCallbackMethod_ListAssessments<
                                                                    v1::AccordService::
                                                                        CallbackService>>>>>>>>>>>>>>>>>>>>>>>>;

// Serves every RPC of AccordService from the store's current snapshot. Each
// call takes one snapshot reference at its start and answers wholly from
// it, inline on the gRPC thread: the work is in-memory and never blocks.
//
// Every RPC is written out by name and is one call of a typed handler
// template (handlers.h) with the collection the registry describes and the
// generated request and response types. A collection added to
// accord.v1.Catalog and the registry but not here is UNIMPLEMENTED, which
// tests/e2e/served_collections_test.cc catches.
class AccordServiceImpl final : public AccordServiceBase {
 public:
  using CallGuard = api::CallGuard;

  // `store` must outlive the service. `guard` runs first in every RPC.
  // `watch_hub`, if not null, must outlive the service too; without it
  // Watch is UNIMPLEMENTED.
  explicit AccordServiceImpl(const serving::CatalogStore* store, CallGuard guard = nullptr,
                             WatchHub* watch_hub = nullptr)
      : store_(store),
        guard_(std::move(guard)),
        env_{store_, &guard_, &queries_},
        watch_hub_(watch_hub) {}

  // Countries.
  grpc::ServerUnaryReactor* GetCountry(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* BatchGetCountries(grpc::CallbackServerContext* context,
                                              const grpc::ByteBuffer* request,
                                              grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListCountries(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;

  // Partnerships.
  grpc::ServerUnaryReactor* GetPartnership(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* BatchGetPartnerships(grpc::CallbackServerContext* context,
                                                 const grpc::ByteBuffer* request,
                                                 grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListPartnerships(grpc::CallbackServerContext* context,
                                             const grpc::ByteBuffer* request,
                                             grpc::ByteBuffer* response) override;

  // Agreements.
  grpc::ServerUnaryReactor* GetAgreement(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* BatchGetAgreements(grpc::CallbackServerContext* context,
                                               const grpc::ByteBuffer* request,
                                               grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListAgreements(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;

  // Commitments.
  grpc::ServerUnaryReactor* GetCommitment(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* BatchGetCommitments(grpc::CallbackServerContext* context,
                                                const grpc::ByteBuffer* request,
                                                grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListCommitments(grpc::CallbackServerContext* context,
                                            const grpc::ByteBuffer* request,
                                            grpc::ByteBuffer* response) override;

  // CooperationAreas.
  grpc::ServerUnaryReactor* GetCooperationArea(grpc::CallbackServerContext* context,
                                               const grpc::ByteBuffer* request,
                                               grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* BatchGetCooperationAreas(grpc::CallbackServerContext* context,
                                                     const grpc::ByteBuffer* request,
                                                     grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListCooperationAreas(grpc::CallbackServerContext* context,
                                                 const grpc::ByteBuffer* request,
                                                 grpc::ByteBuffer* response) override;

  // Sectors.
  grpc::ServerUnaryReactor* GetSector(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* BatchGetSectors(grpc::CallbackServerContext* context,
                                            const grpc::ByteBuffer* request,
                                            grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListSectors(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;

  // Sources.
  grpc::ServerUnaryReactor* GetSource(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* BatchGetSources(grpc::CallbackServerContext* context,
                                            const grpc::ByteBuffer* request,
                                            grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListSources(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;

  // Assessments.
  grpc::ServerUnaryReactor* GetAssessment(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* BatchGetAssessments(grpc::CallbackServerContext* context,
                                                const grpc::ByteBuffer* request,
                                                grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListAssessments(grpc::CallbackServerContext* context,
                                            const grpc::ByteBuffer* request,
                                            grpc::ByteBuffer* response) override;

  grpc::ServerUnaryReactor* GetCatalogStatus(grpc::CallbackServerContext* context,
                                             const v1::GetCatalogStatusRequest* request,
                                             v1::CatalogStatus* response) override;

  grpc::ServerUnaryReactor* Count(grpc::CallbackServerContext* context,
                                  const v1::CountRequest* request,
                                  v1::CountResponse* response) override;
  grpc::ServerUnaryReactor* Search(grpc::CallbackServerContext* context,
                                   const v1::SearchRequest* request,
                                   v1::SearchResponse* response) override;
  grpc::ServerWriteReactor<v1::WatchResponse>* Watch(grpc::CallbackServerContext* context,
                                                     const v1::WatchRequest* request) override;

 private:
  const serving::CatalogStore* store_;
  CallGuard guard_;
  QueryCache queries_;  // List filters and order_bys compiled for the current catalogue
  HandlerEnv env_;
  WatchHub* watch_hub_;
};

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_ACCORD_SERVICE_H_
