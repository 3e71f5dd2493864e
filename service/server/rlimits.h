// Process resource limits the server adjusts at start.
#ifndef ACCORD_SERVICE_SERVER_RLIMITS_H_
#define ACCORD_SERVICE_SERVER_RLIMITS_H_

#include <cstdint>

#include "absl/status/statusor.h"

namespace accord::server {

struct OpenFilesLimit {
  uint64_t before = 0;  // soft limit found
  uint64_t soft = 0;    // soft limit now
  uint64_t hard = 0;
};

// Raises the soft RLIMIT_NOFILE to the hard limit: every connection takes a
// file descriptor, and gRPC 1.51 stops accepting for good after one failed
// accept (EMFILE). Internal naming the errno if the limit cannot be read
// or set.
absl::StatusOr<OpenFilesLimit> RaiseOpenFilesLimit();

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_RLIMITS_H_
