// The accord.v1.AccordService, on gRPC's callback API.
#ifndef ACCORD_SERVICE_API_ACCORD_SERVICE_H_
#define ACCORD_SERVICE_API_ACCORD_SERVICE_H_

#include "accord/v1/accord_service.grpc.pb.h"
#include "service/api/handlers.h"
#include "service/api/search_method.h"
#include "service/catalog/catalog_store.h"

namespace accord::api {

// Serves every RPC of AccordService from the store's current snapshot. Each
// call takes one snapshot reference at its start and answers wholly from
// it, inline on the gRPC thread: the work is in-memory and never blocks.
//
// Every RPC is written out by name and is one call of a typed handler
// template (handlers.h) with the collection the registry describes. A
// collection added to accord.v1.Catalog and the registry but not here is
// UNIMPLEMENTED, which tests/e2e/served_collections_test.cc catches.
class AccordServiceImpl final : public v1::AccordService::CallbackService {
 public:
  using CallGuard = api::CallGuard;

  // `store` must outlive the service. `guard` runs first in every RPC.
  explicit AccordServiceImpl(const catalog::CatalogStore* store, CallGuard guard = nullptr)
      : store_(store), guard_(std::move(guard)), env_{store_, &guard_} {}

  // Countries.
  grpc::ServerUnaryReactor* GetCountry(grpc::CallbackServerContext* context,
                                    const v1::GetCountryRequest* request,
                                    v1::Country* response) override;
  grpc::ServerUnaryReactor* BatchGetCountries(grpc::CallbackServerContext* context,
                                         const v1::BatchGetCountriesRequest* request,
                                         v1::BatchGetCountriesResponse* response) override;
  grpc::ServerUnaryReactor* ListCountries(grpc::CallbackServerContext* context,
                                     const v1::ListCountriesRequest* request,
                                     v1::ListCountriesResponse* response) override;

  // Partnerships.
  grpc::ServerUnaryReactor* GetPartnership(grpc::CallbackServerContext* context,
                                    const v1::GetPartnershipRequest* request,
                                    v1::Partnership* response) override;
  grpc::ServerUnaryReactor* BatchGetPartnerships(grpc::CallbackServerContext* context,
                                         const v1::BatchGetPartnershipsRequest* request,
                                         v1::BatchGetPartnershipsResponse* response) override;
  grpc::ServerUnaryReactor* ListPartnerships(grpc::CallbackServerContext* context,
                                     const v1::ListPartnershipsRequest* request,
                                     v1::ListPartnershipsResponse* response) override;

  // Agreements.
  grpc::ServerUnaryReactor* GetAgreement(grpc::CallbackServerContext* context,
                                    const v1::GetAgreementRequest* request,
                                    v1::Agreement* response) override;
  grpc::ServerUnaryReactor* BatchGetAgreements(grpc::CallbackServerContext* context,
                                         const v1::BatchGetAgreementsRequest* request,
                                         v1::BatchGetAgreementsResponse* response) override;
  grpc::ServerUnaryReactor* ListAgreements(grpc::CallbackServerContext* context,
                                     const v1::ListAgreementsRequest* request,
                                     v1::ListAgreementsResponse* response) override;

  // Commitments.
  grpc::ServerUnaryReactor* GetCommitment(grpc::CallbackServerContext* context,
                                    const v1::GetCommitmentRequest* request,
                                    v1::Commitment* response) override;
  grpc::ServerUnaryReactor* BatchGetCommitments(grpc::CallbackServerContext* context,
                                         const v1::BatchGetCommitmentsRequest* request,
                                         v1::BatchGetCommitmentsResponse* response) override;
  grpc::ServerUnaryReactor* ListCommitments(grpc::CallbackServerContext* context,
                                     const v1::ListCommitmentsRequest* request,
                                     v1::ListCommitmentsResponse* response) override;

  // CooperationAreas.
  grpc::ServerUnaryReactor* GetCooperationArea(grpc::CallbackServerContext* context,
                                    const v1::GetCooperationAreaRequest* request,
                                    v1::CooperationArea* response) override;
  grpc::ServerUnaryReactor* BatchGetCooperationAreas(grpc::CallbackServerContext* context,
                                         const v1::BatchGetCooperationAreasRequest* request,
                                         v1::BatchGetCooperationAreasResponse* response) override;
  grpc::ServerUnaryReactor* ListCooperationAreas(grpc::CallbackServerContext* context,
                                     const v1::ListCooperationAreasRequest* request,
                                     v1::ListCooperationAreasResponse* response) override;

  // Sectors.
  grpc::ServerUnaryReactor* GetSector(grpc::CallbackServerContext* context,
                                    const v1::GetSectorRequest* request,
                                    v1::Sector* response) override;
  grpc::ServerUnaryReactor* BatchGetSectors(grpc::CallbackServerContext* context,
                                         const v1::BatchGetSectorsRequest* request,
                                         v1::BatchGetSectorsResponse* response) override;
  grpc::ServerUnaryReactor* ListSectors(grpc::CallbackServerContext* context,
                                     const v1::ListSectorsRequest* request,
                                     v1::ListSectorsResponse* response) override;

  // Sources.
  grpc::ServerUnaryReactor* GetSource(grpc::CallbackServerContext* context,
                                    const v1::GetSourceRequest* request,
                                    v1::Source* response) override;
  grpc::ServerUnaryReactor* BatchGetSources(grpc::CallbackServerContext* context,
                                         const v1::BatchGetSourcesRequest* request,
                                         v1::BatchGetSourcesResponse* response) override;
  grpc::ServerUnaryReactor* ListSources(grpc::CallbackServerContext* context,
                                     const v1::ListSourcesRequest* request,
                                     v1::ListSourcesResponse* response) override;

  // Assessments.
  grpc::ServerUnaryReactor* GetAssessment(grpc::CallbackServerContext* context,
                                    const v1::GetAssessmentRequest* request,
                                    v1::Assessment* response) override;
  grpc::ServerUnaryReactor* BatchGetAssessments(grpc::CallbackServerContext* context,
                                         const v1::BatchGetAssessmentsRequest* request,
                                         v1::BatchGetAssessmentsResponse* response) override;
  grpc::ServerUnaryReactor* ListAssessments(grpc::CallbackServerContext* context,
                                     const v1::ListAssessmentsRequest* request,
                                     v1::ListAssessmentsResponse* response) override;

  grpc::ServerUnaryReactor* GetCatalogStatus(grpc::CallbackServerContext* context,
                                             const v1::GetCatalogStatusRequest* request,
                                             v1::CatalogStatus* response) override;

  grpc::ServerUnaryReactor* Count(grpc::CallbackServerContext* context,
                                  const v1::CountRequest* request,
                                  v1::CountResponse* response) override;
  grpc::ServerUnaryReactor* Search(grpc::CallbackServerContext* context,
                                   const v1::SearchRequest* request,
                                   v1::SearchResponse* response) override;

 private:
  const catalog::CatalogStore* store_;
  CallGuard guard_;
  HandlerEnv env_;
  // The full-text index of the serving snapshot, built on first Search.
  SearchIndexCache search_indexes_;
};

}  // namespace accord::api

#endif  // ACCORD_SERVICE_API_ACCORD_SERVICE_H_
