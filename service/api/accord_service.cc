#include "service/api/accord_service.h"

#include "absl/strings/str_cat.h"
#include "service/api/as_of_methods.h"
#include "service/api/count_method.h"
#include "service/api/errors.h"
#include "service/api/search_method.h"

namespace accord::api {

using registry::CollectionId;

grpc::ServerUnaryReactor* AccordServiceImpl::GetCountry(grpc::CallbackServerContext* context,
                                                     const v1::GetCountryRequest* request,
                                                     v1::Country* response) {
  return HandleGet(env_, context, CollectionId::kCountries, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::BatchGetCountries(
    grpc::CallbackServerContext* context, const v1::BatchGetCountriesRequest* request,
    v1::BatchGetCountriesResponse* response) {
  return HandleBatchGet(env_, context, CollectionId::kCountries, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::ListCountries(grpc::CallbackServerContext* context,
                                                      const v1::ListCountriesRequest* request,
                                                      v1::ListCountriesResponse* response) {
  return HandleList(env_, context, CollectionId::kCountries, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::GetPartnership(grpc::CallbackServerContext* context,
                                                     const v1::GetPartnershipRequest* request,
                                                     v1::Partnership* response) {
  if (request->as_of().empty()) {
    return HandleGet(env_, context, CollectionId::kPartnerships, request, response);
  }
  return Respond(env_, context, [&](const catalog::Snapshot& snapshot) {
    return GetResourceAsOf(snapshot, CollectionId::kPartnerships, request->name(), request->as_of(),
                           request->read_mask(), response);
  });
}

grpc::ServerUnaryReactor* AccordServiceImpl::BatchGetPartnerships(
    grpc::CallbackServerContext* context, const v1::BatchGetPartnershipsRequest* request,
    v1::BatchGetPartnershipsResponse* response) {
  return HandleBatchGet(env_, context, CollectionId::kPartnerships, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::ListPartnerships(grpc::CallbackServerContext* context,
                                                      const v1::ListPartnershipsRequest* request,
                                                      v1::ListPartnershipsResponse* response) {
  if (request->as_of().empty()) {
    return HandleList(env_, context, CollectionId::kPartnerships, request, response);
  }
  return Respond(env_, context, [&](const catalog::Snapshot& snapshot) {
    ListRequest list{"", request->page_size(), request->page_token(), request->filter(),
                     request->order_by(), &request->read_mask(),
                     [context] { return context->IsCancelled(); }};
    int32_t total = 0;
    absl::Status status = ListResourcesAsOf(snapshot, CollectionId::kPartnerships, list, request->as_of(),
                                            AppendTo(response->mutable_partnerships()),
                                            response->mutable_next_page_token(), &total);
    response->set_total_size(total);
    return status;
  });
}

grpc::ServerUnaryReactor* AccordServiceImpl::GetAgreement(grpc::CallbackServerContext* context,
                                                     const v1::GetAgreementRequest* request,
                                                     v1::Agreement* response) {
  if (request->as_of().empty()) {
    return HandleGet(env_, context, CollectionId::kAgreements, request, response);
  }
  return Respond(env_, context, [&](const catalog::Snapshot& snapshot) {
    return GetResourceAsOf(snapshot, CollectionId::kAgreements, request->name(), request->as_of(),
                           request->read_mask(), response);
  });
}

grpc::ServerUnaryReactor* AccordServiceImpl::BatchGetAgreements(
    grpc::CallbackServerContext* context, const v1::BatchGetAgreementsRequest* request,
    v1::BatchGetAgreementsResponse* response) {
  return HandleBatchGet(env_, context, CollectionId::kAgreements, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::ListAgreements(grpc::CallbackServerContext* context,
                                                      const v1::ListAgreementsRequest* request,
                                                      v1::ListAgreementsResponse* response) {
  if (request->as_of().empty()) {
    return HandleList(env_, context, CollectionId::kAgreements, request, response);
  }
  return Respond(env_, context, [&](const catalog::Snapshot& snapshot) {
    ListRequest list{"", request->page_size(), request->page_token(), request->filter(),
                     request->order_by(), &request->read_mask(),
                     [context] { return context->IsCancelled(); }};
    int32_t total = 0;
    absl::Status status = ListResourcesAsOf(snapshot, CollectionId::kAgreements, list, request->as_of(),
                                            AppendTo(response->mutable_agreements()),
                                            response->mutable_next_page_token(), &total);
    response->set_total_size(total);
    return status;
  });
}

grpc::ServerUnaryReactor* AccordServiceImpl::GetCommitment(grpc::CallbackServerContext* context,
                                                     const v1::GetCommitmentRequest* request,
                                                     v1::Commitment* response) {
  return HandleGet(env_, context, CollectionId::kCommitments, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::BatchGetCommitments(
    grpc::CallbackServerContext* context, const v1::BatchGetCommitmentsRequest* request,
    v1::BatchGetCommitmentsResponse* response) {
  return HandleBatchGet(env_, context, CollectionId::kCommitments, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::ListCommitments(grpc::CallbackServerContext* context,
                                                      const v1::ListCommitmentsRequest* request,
                                                      v1::ListCommitmentsResponse* response) {
  return HandleList(env_, context, CollectionId::kCommitments, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::GetCooperationArea(grpc::CallbackServerContext* context,
                                                     const v1::GetCooperationAreaRequest* request,
                                                     v1::CooperationArea* response) {
  return HandleGet(env_, context, CollectionId::kCooperationAreas, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::BatchGetCooperationAreas(
    grpc::CallbackServerContext* context, const v1::BatchGetCooperationAreasRequest* request,
    v1::BatchGetCooperationAreasResponse* response) {
  return HandleBatchGet(env_, context, CollectionId::kCooperationAreas, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::ListCooperationAreas(grpc::CallbackServerContext* context,
                                                      const v1::ListCooperationAreasRequest* request,
                                                      v1::ListCooperationAreasResponse* response) {
  return HandleList(env_, context, CollectionId::kCooperationAreas, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::GetSector(grpc::CallbackServerContext* context,
                                                     const v1::GetSectorRequest* request,
                                                     v1::Sector* response) {
  return HandleGet(env_, context, CollectionId::kSectors, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::BatchGetSectors(
    grpc::CallbackServerContext* context, const v1::BatchGetSectorsRequest* request,
    v1::BatchGetSectorsResponse* response) {
  return HandleBatchGet(env_, context, CollectionId::kSectors, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::ListSectors(grpc::CallbackServerContext* context,
                                                      const v1::ListSectorsRequest* request,
                                                      v1::ListSectorsResponse* response) {
  return HandleList(env_, context, CollectionId::kSectors, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::GetSource(grpc::CallbackServerContext* context,
                                                     const v1::GetSourceRequest* request,
                                                     v1::Source* response) {
  return HandleGet(env_, context, CollectionId::kSources, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::BatchGetSources(
    grpc::CallbackServerContext* context, const v1::BatchGetSourcesRequest* request,
    v1::BatchGetSourcesResponse* response) {
  return HandleBatchGet(env_, context, CollectionId::kSources, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::ListSources(grpc::CallbackServerContext* context,
                                                      const v1::ListSourcesRequest* request,
                                                      v1::ListSourcesResponse* response) {
  return HandleList(env_, context, CollectionId::kSources, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::GetAssessment(grpc::CallbackServerContext* context,
                                                     const v1::GetAssessmentRequest* request,
                                                     v1::Assessment* response) {
  return HandleGet(env_, context, CollectionId::kAssessments, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::BatchGetAssessments(
    grpc::CallbackServerContext* context, const v1::BatchGetAssessmentsRequest* request,
    v1::BatchGetAssessmentsResponse* response) {
  return HandleBatchGet(env_, context, CollectionId::kAssessments, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::ListAssessments(grpc::CallbackServerContext* context,
                                                      const v1::ListAssessmentsRequest* request,
                                                      v1::ListAssessmentsResponse* response) {
  return HandleList(env_, context, CollectionId::kAssessments, request, response);
}

grpc::ServerUnaryReactor* AccordServiceImpl::GetCatalogStatus(
    grpc::CallbackServerContext* context, const v1::GetCatalogStatusRequest* request,
    v1::CatalogStatus* response) {
  return Guarded(env_, context, [&]() -> absl::Status {
    if (!request->name().empty() && request->name() != "catalogStatus") {
      return InvalidField(
          "name", "INVALID_NAME",
          absl::StrCat("\"", request->name(), "\" is not valid: the only name is \"catalogStatus\""));
    }
    *response = store_->Status();
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AccordServiceImpl::Count(grpc::CallbackServerContext* context,
                                                    const v1::CountRequest* request,
                                                    v1::CountResponse* response) {
  return Respond(env_, context, [&](const catalog::Snapshot& snapshot) {
    return CountRecords(snapshot, *request, [context] { return context->IsCancelled(); },
                        response);
  });
}

grpc::ServerUnaryReactor* AccordServiceImpl::Search(grpc::CallbackServerContext* context,
                                                     const v1::SearchRequest* request,
                                                     v1::SearchResponse* response) {
  return Guarded(env_, context, [&]() -> absl::Status {
    std::shared_ptr<const catalog::Snapshot> snapshot = env_.store->Current();
    if (!snapshot) return absl::UnavailableError("no catalogue is loaded yet");
    absl::StatusOr<std::shared_ptr<const search::SearchIndex>> index =
        search_indexes_.Get(snapshot);
    if (!index.ok()) return index.status();
    return SearchRecords(*snapshot, **index, *request,
                         [context] { return context->IsCancelled(); }, response);
  });
}

}  // namespace accord::api
