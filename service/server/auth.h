// Optional bearer-token authorization for every Accord RPC.
#ifndef ACCORD_SERVICE_SERVER_AUTH_H_
#define ACCORD_SERVICE_SERVER_AUTH_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"

namespace accord::server {

// Accepts a call whose `authorization` metadata is "Bearer <token>" for one
// of the configured tokens. Health checks never reach it: the check runs in
// the AccordService handlers only.
class TokenAuthorizer {
 public:
  // Reads tokens from `path`, one per line; blank lines and lines starting
  // with '#' are ignored, surrounding whitespace trimmed. InvalidArgument if
  // the file holds no token.
  static absl::StatusOr<TokenAuthorizer> FromFile(const std::string& path);
  explicit TokenAuthorizer(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {}

  // OK for a valid token. UNAUTHENTICATED with reason TOKEN_MISSING when
  // there is no bearer token (no header, another scheme, or "Bearer"
  // followed by nothing but blanks); UNAUTHENTICATED with reason
  // TOKEN_REJECTED for a token that is not configured. Errors carry ErrorInfo metadata {"header":
  // "authorization"} and never echo the token.
  absl::Status Check(absl::string_view authorization_header, bool present) const;
  absl::Status Check(const grpc::ServerContextBase& context) const;

  size_t size() const { return tokens_.size(); }

 private:
  std::vector<std::string> tokens_;
};

// Compares in time independent of where the strings differ.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_AUTH_H_
