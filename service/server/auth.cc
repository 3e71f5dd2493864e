#include "service/server/auth.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "service/api/errors.h"
#include "service/server/server_options.h"

namespace accord::server {

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  // The length is not secret; the content is.
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]);
  }
  return diff == 0;
}

absl::StatusOr<TokenAuthorizer> TokenAuthorizer::FromFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  std::vector<std::string> tokens;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    tokens.emplace_back(line);
  }
  if (tokens.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("--auth_token_file=", path, " holds no token"));
  }
  return TokenAuthorizer(std::move(tokens));
}

absl::Status TokenAuthorizer::Check(absl::string_view header, bool present) const {
  constexpr absl::string_view kBearer = "bearer ";
  // "Bearer" followed by nothing but blanks carries no token: it is missing,
  // not wrong.
  absl::string_view token;
  if (present && header.size() > kBearer.size() &&
      absl::EqualsIgnoreCase(header.substr(0, kBearer.size()), kBearer)) {
    token = absl::StripAsciiWhitespace(header.substr(kBearer.size()));
  }
  if (token.empty()) {
    return api::Annotate(
        absl::UnauthenticatedError(
            "this server requires a bearer token: send metadata \"authorization: Bearer "
            "<token>\""),
        "TOKEN_MISSING", "", {{"header", "authorization"}});
  }
  bool ok = false;
  for (const std::string& t : tokens_) ok |= ConstantTimeEquals(token, t);
  if (!ok) {
    // UNAUTHENTICATED, not PERMISSION_DENIED: a caller whose token is not
    // accepted is not identified (google.rpc.Code).
    return api::Annotate(absl::UnauthenticatedError("the bearer token is not accepted"),
                         "TOKEN_REJECTED", "", {{"header", "authorization"}});
  }
  return absl::OkStatus();
}

absl::Status TokenAuthorizer::Check(const grpc::ServerContextBase& context) const {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return Check("", false);
  return Check(absl::string_view(it->second.data(), it->second.size()), true);
}

}  // namespace accord::server
