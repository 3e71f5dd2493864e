// Walks an AIP-158 List call page by page until next_page_token is empty.
//
//   accord::v1::ListAgreementsRequest req;
//   req.set_filter(R"(parties:"countries/my")");
//   accord::client::Pager<accord::v1::ListAgreementsRequest,
//                         accord::v1::ListAgreementsResponse>
//       pager(req, [&](grpc::ClientContext* ctx, const auto& r, auto* resp) {
//         return stub->ListAgreements(ctx, r, resp);
//       });
//   accord::v1::ListAgreementsResponse page;
//   while (pager.Next(&page)) {
//     for (const auto& a : page.agreements()) ...
//   }
//   if (!pager.status().ok()) ... accord::client::ErrorFromStatus(pager.status())
//
// Each page is its own call with a fresh grpc::ClientContext (so the channel's
// per-call timeout and retry policy apply per page); `configure`, if given,
// prepares every context (a deadline, an authorization header).
// Not thread-safe.
#ifndef ACCORD_CLIENT_PAGER_H_
#define ACCORD_CLIENT_PAGER_H_

#include <functional>
#include <utility>

#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace accord::client {

template <typename Request, typename Response>
class Pager {
 public:
  // Calls the List RPC once: typically a lambda around stub->ListX.
  using Rpc = std::function<grpc::Status(grpc::ClientContext*, const Request&, Response*)>;
  using Configure = std::function<void(grpc::ClientContext*)>;

  // `request` is the first page's request; its page_token is normally empty.
  Pager(Request request, Rpc rpc, Configure configure = nullptr)
      : request_(std::move(request)), rpc_(std::move(rpc)), configure_(std::move(configure)) {}

  // Fetches the next page into `*page`. Returns false, leaving `*page`
  // unspecified, once the last page has been returned or a call failed; then
  // status() says which (OK at the end).
  bool Next(Response* page) {
    if (done_) return false;
    grpc::ClientContext context;
    if (configure_) configure_(&context);
    status_ = rpc_(&context, request_, page);
    if (!status_.ok()) {
      done_ = true;
      return false;
    }
    ++pages_;
    if (page->next_page_token().empty()) {
      done_ = true;
    } else {
      request_.set_page_token(page->next_page_token());
    }
    return true;
  }

  // OK unless a call failed; the failed call's status otherwise.
  const grpc::Status& status() const { return status_; }
  // How many pages Next has returned.
  int pages() const { return pages_; }

 private:
  Request request_;
  Rpc rpc_;
  Configure configure_;
  grpc::Status status_;
  int pages_ = 0;
  bool done_ = false;
};

}  // namespace accord::client

#endif  // ACCORD_CLIENT_PAGER_H_
