#include "service/server/drain_gate.h"

#include "service/api/errors.h"

namespace accord::server {

absl::Status DrainGate::Check() const {
  if (!closed()) return absl::OkStatus();
  return api::Annotate(
      absl::UnavailableError("the server is shutting down; retry, on another replica if any"),
      "SHUTTING_DOWN", "");
}

}  // namespace accord::server
