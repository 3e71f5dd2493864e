// The resume token of a Watch stream: an opaque string naming a position
// in a change log.
#ifndef ACCORD_SERVICE_WATCH_RESUME_TOKEN_H_
#define ACCORD_SERVICE_WATCH_RESUME_TOKEN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace accord::watch {

// A position in a change log: every change of versions up to `seq`, and the
// first `index` changes of version seq+1, have been delivered.
struct ResumePosition {
  uint64_t lineage = 0;  // ChangeLog::lineage() of the log that issued it
  uint64_t seq = 0;
  uint64_t index = 0;
  // The catalogue version at `seq`, so that another server serving that
  // same version can resume it.
  std::string version;
  // WatchRequestHash() of the request that the token continues.
  uint64_t request_hash = 0;
};

// Encodes a position as URL-safe text.
std::string EncodeResumeToken(const ResumePosition& position);
// Decodes EncodeResumeToken's output; InvalidArgument for anything else.
absl::StatusOr<ResumePosition> DecodeResumeToken(absl::string_view token);

// A hash of what a token is bound to (the watched collection and the
// filter), stable across processes (FNV-1a, 64 bits).
uint64_t WatchRequestHash(absl::string_view collection, absl::string_view filter);

}  // namespace accord::watch

#endif  // ACCORD_SERVICE_WATCH_RESUME_TOKEN_H_
