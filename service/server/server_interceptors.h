// The gRPC server interceptors of a server binary. main.cc asks for them;
// which ones there are is decided when the binary is linked:
// server_interceptors.cc for accord_server, and
// tests/support/testing_interceptors.cc for the test-only
// accord_server_testing. The production binary carries no test code.
#ifndef ACCORD_SERVICE_SERVER_SERVER_INTERCEPTORS_H_
#define ACCORD_SERVICE_SERVER_SERVER_INTERCEPTORS_H_

#include <memory>
#include <vector>

#include "grpcpp/support/server_interceptor.h"

namespace accord::server {

// The interceptor factories to install, outermost first. May be empty.
std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
ServerInterceptors();

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_SERVER_INTERCEPTORS_H_
