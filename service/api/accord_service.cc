#include "service/api/accord_service.h"

#include "absl/strings/str_cat.h"
#include "service/api/count_method.h"
#include "service/api/errors.h"
#include "service/api/search_method.h"

namespace accord::api {

using registry::CollectionId;

grpc::ServerUnaryReactor* AccordServiceImpl::GetCountry(grpc::CallbackServerContext* context,
                                                        const grpc::ByteBuffer* request,
                                                        grpc::ByteBuffer* response) {
  return HandleRawGet<v1::GetCountryRequest>(env_, context, CollectionId::kCountries, request,
                                             response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::BatchGetCountries(grpc::CallbackServerContext* context,
                                                               const grpc::ByteBuffer* request,
                                                               grpc::ByteBuffer* response) {
  return HandleRawBatchGet<v1::BatchGetCountriesRequest, v1::BatchGetCountriesResponse>(
      env_, context, CollectionId::kCountries, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::ListCountries(grpc::CallbackServerContext* context,
                                                           const grpc::ByteBuffer* request,
                                                           grpc::ByteBuffer* response) {
  return HandleRawList<v1::ListCountriesRequest, v1::ListCountriesResponse>(
      env_, context, CollectionId::kCountries, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::GetPartnership(grpc::CallbackServerContext* context,
                                                            const grpc::ByteBuffer* request,
                                                            grpc::ByteBuffer* response) {
  return HandleRawGet<v1::GetPartnershipRequest>(env_, context, CollectionId::kPartnerships,
                                                 request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::BatchGetPartnerships(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return HandleRawBatchGet<v1::BatchGetPartnershipsRequest, v1::BatchGetPartnershipsResponse>(
      env_, context, CollectionId::kPartnerships, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::ListPartnerships(grpc::CallbackServerContext* context,
                                                              const grpc::ByteBuffer* request,
                                                              grpc::ByteBuffer* response) {
  return HandleRawList<v1::ListPartnershipsRequest, v1::ListPartnershipsResponse>(
      env_, context, CollectionId::kPartnerships, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::GetAgreement(grpc::CallbackServerContext* context,
                                                          const grpc::ByteBuffer* request,
                                                          grpc::ByteBuffer* response) {
  return HandleRawGet<v1::GetAgreementRequest>(env_, context, CollectionId::kAgreements, request,
                                               response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::BatchGetAgreements(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return HandleRawBatchGet<v1::BatchGetAgreementsRequest, v1::BatchGetAgreementsResponse>(
      env_, context, CollectionId::kAgreements, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::ListAgreements(grpc::CallbackServerContext* context,
                                                            const grpc::ByteBuffer* request,
                                                            grpc::ByteBuffer* response) {
  return HandleRawList<v1::ListAgreementsRequest, v1::ListAgreementsResponse>(
      env_, context, CollectionId::kAgreements, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::GetCommitment(grpc::CallbackServerContext* context,
                                                           const grpc::ByteBuffer* request,
                                                           grpc::ByteBuffer* response) {
  return HandleRawGet<v1::GetCommitmentRequest>(env_, context, CollectionId::kCommitments, request,
                                                response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::BatchGetCommitments(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return HandleRawBatchGet<v1::BatchGetCommitmentsRequest, v1::BatchGetCommitmentsResponse>(
      env_, context, CollectionId::kCommitments, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::ListCommitments(grpc::CallbackServerContext* context,
                                                             const grpc::ByteBuffer* request,
                                                             grpc::ByteBuffer* response) {
  return HandleRawList<v1::ListCommitmentsRequest, v1::ListCommitmentsResponse>(
      env_, context, CollectionId::kCommitments, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::GetCooperationArea(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return HandleRawGet<v1::GetCooperationAreaRequest>(env_, context, CollectionId::kCooperationAreas,
                                                     request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::BatchGetCooperationAreas(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return HandleRawBatchGet<v1::BatchGetCooperationAreasRequest,
                           v1::BatchGetCooperationAreasResponse>(
      env_, context, CollectionId::kCooperationAreas, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::ListCooperationAreas(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return HandleRawList<v1::ListCooperationAreasRequest, v1::ListCooperationAreasResponse>(
      env_, context, CollectionId::kCooperationAreas, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::GetSector(grpc::CallbackServerContext* context,
                                                       const grpc::ByteBuffer* request,
                                                       grpc::ByteBuffer* response) {
  return HandleRawGet<v1::GetSectorRequest>(env_, context, CollectionId::kSectors, request,
                                            response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::BatchGetSectors(grpc::CallbackServerContext* context,
                                                             const grpc::ByteBuffer* request,
                                                             grpc::ByteBuffer* response) {
  return HandleRawBatchGet<v1::BatchGetSectorsRequest, v1::BatchGetSectorsResponse>(
      env_, context, CollectionId::kSectors, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::ListSectors(grpc::CallbackServerContext* context,
                                                         const grpc::ByteBuffer* request,
                                                         grpc::ByteBuffer* response) {
  return HandleRawList<v1::ListSectorsRequest, v1::ListSectorsResponse>(
      env_, context, CollectionId::kSectors, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::GetSource(grpc::CallbackServerContext* context,
                                                       const grpc::ByteBuffer* request,
                                                       grpc::ByteBuffer* response) {
  return HandleRawGet<v1::GetSourceRequest>(env_, context, CollectionId::kSources, request,
                                            response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::BatchGetSources(grpc::CallbackServerContext* context,
                                                             const grpc::ByteBuffer* request,
                                                             grpc::ByteBuffer* response) {
  return HandleRawBatchGet<v1::BatchGetSourcesRequest, v1::BatchGetSourcesResponse>(
      env_, context, CollectionId::kSources, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::ListSources(grpc::CallbackServerContext* context,
                                                         const grpc::ByteBuffer* request,
                                                         grpc::ByteBuffer* response) {
  return HandleRawList<v1::ListSourcesRequest, v1::ListSourcesResponse>(
      env_, context, CollectionId::kSources, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::GetAssessment(grpc::CallbackServerContext* context,
                                                           const grpc::ByteBuffer* request,
                                                           grpc::ByteBuffer* response) {
  return HandleRawGet<v1::GetAssessmentRequest>(env_, context, CollectionId::kAssessments, request,
                                                response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::BatchGetAssessments(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return HandleRawBatchGet<v1::BatchGetAssessmentsRequest, v1::BatchGetAssessmentsResponse>(
      env_, context, CollectionId::kAssessments, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::ListAssessments(grpc::CallbackServerContext* context,
                                                             const grpc::ByteBuffer* request,
                                                             grpc::ByteBuffer* response) {
  return HandleRawList<v1::ListAssessmentsRequest, v1::ListAssessmentsResponse>(
      env_, context, CollectionId::kAssessments, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::GetCatalogStatus(
    grpc::CallbackServerContext* context, const v1::GetCatalogStatusRequest* request,
    v1::CatalogStatus* response) {
  return Guarded(env_, context, [&]() -> absl::Status {
    if (!request->name().empty() && request->name() != "catalogStatus") {
      return InvalidField("name", "INVALID_NAME",
                          absl::StrCat("\"", QuotePrefix(request->name()),
                                       "\" is not valid: the only name is \"catalogStatus\""));
    }
    *response = store_->Status();
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AccordServiceImpl::Count(grpc::CallbackServerContext* context,
                                                   const v1::CountRequest* request,
                                                   v1::CountResponse* response) {
  return Respond(env_, context, [&](const serving::ServingCatalog& snapshot) {
    return CountRecords(
        snapshot, *request, [context] { return context->IsCancelled(); }, response);
  });
}

grpc::ServerUnaryReactor* AccordServiceImpl::Search(grpc::CallbackServerContext* context,
                                                    const v1::SearchRequest* request,
                                                    v1::SearchResponse* response) {
  return Respond(env_, context, [&](const serving::ServingCatalog& snapshot) {
    return SearchRecords(
        snapshot, *request, [context] { return context->IsCancelled(); }, response);
  });
}

grpc::ServerWriteReactor<v1::WatchResponse>* AccordServiceImpl::Watch(
    grpc::CallbackServerContext* context, const v1::WatchRequest* request) {
  return StartWatch(env_, watch_hub_, context, request);
}

}  // namespace accord::api
