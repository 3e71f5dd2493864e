// The README's C++ first call: one Get, one List walked to its end, and a
// typed error. Usage: first_call HOST:PORT
#include <iostream>

#include "accord/client/channel.h"
#include "accord/client/errors.h"
#include "accord/client/pager.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: first_call HOST:PORT\n";
    return 2;
  }
  auto stub = accord::client::MakeStub(argv[1]);
  if (!stub.ok()) return 1;

  accord::v1::GetAgreementRequest get;
  get.set_name("agreements/my-us-reciprocal-trade-2025");
  accord::v1::Agreement art;
  grpc::ClientContext context;
  grpc::Status status = (*stub)->GetAgreement(&context, get, &art);
  if (!status.ok()) {
    std::cerr << accord::client::ErrorFromStatus(status).ToString() << "\n";
    return 1;
  }
  std::cout << art.short_title() << " " << art.sign_date().year() << "\n";

  accord::v1::ListCommitmentsRequest list;
  list.set_parent(art.name());
  list.set_filter(R"(committed_by:"countries/my")");
  list.set_page_size(5);
  accord::client::Pager<accord::v1::ListCommitmentsRequest, accord::v1::ListCommitmentsResponse>
      pager(list, [&](grpc::ClientContext* ctx, const auto& req, auto* resp) {
        return (*stub)->ListCommitments(ctx, req, resp);
      });
  accord::v1::ListCommitmentsResponse page;
  int commitments = 0;
  while (pager.Next(&page)) commitments += page.commitments_size();
  if (!pager.status().ok()) return 1;
  std::cout << commitments << " commitments by Malaysia in " << pager.pages() << " pages\n";

  accord::v1::ListAgreementsRequest bad;
  bad.set_filter("kind = FRIENDSHIP");
  accord::v1::ListAgreementsResponse unused;
  grpc::ClientContext bad_context;
  accord::client::Error e =
      accord::client::ErrorFromStatus((*stub)->ListAgreements(&bad_context, bad, &unused));
  std::cout << e.ToString() << "\n";
  return e.reason == "TYPE_MISMATCH" && e.field_violations.size() == 1 ? 0 : 1;
}
