// Minimal structured logging to stderr (Abseil 20220623 has no absl/log).
//
// Two formats: text, "<RFC 3339 UTC time> <level> <message> [key=value ...]",
// and JSON, one object per line:
//   {"time":"2026-01-02T03:04:05.678Z","level":"INFO","message":"...","key":"value"}
// The format is process-wide and chosen once at startup (--log_format).
#ifndef ACCORD_SERVICE_SERVER_LOG_H_
#define ACCORD_SERVICE_SERVER_LOG_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace accord::server {

enum class LogFormat { kText, kJson };

// Extra key/value fields of one line, in the order they are written.
using LogFields = std::vector<std::pair<std::string, std::string>>;

// Parses --log_format: "text" or "json". InvalidArgument otherwise.
absl::Status ParseLogFormat(absl::string_view text, LogFormat* format);

// Sets the process-wide format. Call once, before other threads log.
void SetLogFormat(LogFormat format);

// The line (with its trailing newline) that Log writes; pure, for tests.
// In JSON, every string is escaped per RFC 8259 (control characters as
// \u00XX) and invalid UTF-8 bytes are replaced by U+FFFD, so each line is
// one valid JSON object whatever the message holds. In text, field values
// holding spaces, quotes or control characters are written quoted.
std::string FormatLogLine(LogFormat format, absl::Time time, absl::string_view level,
                          absl::string_view message, const LogFields& fields);

// `text` as the contents of a JSON string (without the surrounding quotes).
std::string JsonEscape(absl::string_view text);

// Writes one line in the process-wide format to stderr. Thread-safe: the
// line is written with a single write(2), so lines do not interleave.
void Log(absl::string_view level, absl::string_view message, const LogFields& fields = {});
inline void LogInfo(absl::string_view message) { Log("INFO", message); }
inline void LogError(absl::string_view message) { Log("ERROR", message); }

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_LOG_H_
