// Minimal structured logging to stderr (Abseil 20220623 has no absl/log).
#ifndef ACCORD_SERVICE_SERVER_LOG_H_
#define ACCORD_SERVICE_SERVER_LOG_H_

#include "absl/strings/string_view.h"

namespace accord::server {

// Writes one line, "<RFC 3339 UTC time> <level> <message>", to stderr.
// Thread-safe: the line is written with a single call.
void Log(absl::string_view level, absl::string_view message);
inline void LogInfo(absl::string_view message) { Log("INFO", message); }
inline void LogError(absl::string_view message) { Log("ERROR", message); }

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_LOG_H_
