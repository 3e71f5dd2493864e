// W3C Trace Context: the `traceparent` request header
// (https://www.w3.org/TR/trace-context/#traceparent-header), so that a
// caller's trace id reaches Accord's logs. Accord does not export spans: no
// OpenTelemetry C++ SDK is packaged in Debian 12.
#ifndef ACCORD_SERVICE_SERVER_TRACE_CONTEXT_H_
#define ACCORD_SERVICE_SERVER_TRACE_CONTEXT_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace accord::server {

struct TraceParent {
  std::string trace_id;   // 32 lowercase hex digits, not all zero
  std::string parent_id;  // 16 lowercase hex digits, not all zero
  bool sampled = false;   // trace-flags bit 0
};

// Parses a traceparent value, "00-<trace-id>-<parent-id>-<flags>", by the
// W3C rules: lowercase hex only; version ff is invalid; version 00 has
// exactly four fields; a higher version may append "-..." after the flags.
// nullopt when the value is not valid (the header is then ignored, as the
// specification asks).
std::optional<TraceParent> ParseTraceParent(absl::string_view value);

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_TRACE_CONTEXT_H_
