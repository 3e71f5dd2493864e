// Routes gRPC's and protobuf's own log lines through the server's log, and
// watches them for failures gRPC 1.51 reports nowhere else.
#ifndef ACCORD_SERVICE_SERVER_GRPC_LOG_H_
#define ACCORD_SERVICE_SERVER_GRPC_LOG_H_

#include <functional>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace accord::server {

// Installs a gpr log function: gRPC's lines (at the severity GRPC_VERBOSITY
// lets through, ERROR by default) are written as "<time> <LEVEL> grpc:
// <message>". When gRPC reports that accept4() failed for a reason other
// than a transient one (EMFILE, ENFILE, ENOBUFS, ENOMEM...), after which
// gRPC 1.51 never accepts on that listener again, calls
// `on_listener_failed` once, with the message. Call once, before the server
// starts.
void InstallGrpcLogHandler(std::function<void(absl::string_view)> on_listener_failed);

// Installs a protobuf log handler that writes at most one line per
// `interval` (plus a count of the lines dropped since), instead of one line
// per occurrence: a request with invalid UTF-8 in a string field makes
// protobuf log an ERROR while parsing it, before any check of ours, so a
// client could otherwise fill the log. FATAL messages are always written.
void InstallProtobufLogHandler(absl::Duration interval);

// For tests: whether `message`, a gRPC log message, reports a failed
// accept that stops the listener.
bool IsListenerFailure(absl::string_view message);

}  // namespace accord::server

#endif  // ACCORD_SERVICE_SERVER_GRPC_LOG_H_
