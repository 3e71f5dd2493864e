// accord_server's interceptors: none yet.
#include "service/server/server_interceptors.h"

namespace accord::server {

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
ServerInterceptors() {
  return {};
}

}  // namespace accord::server
