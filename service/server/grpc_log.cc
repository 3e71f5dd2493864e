#include "service/server/grpc_log.h"

#include <atomic>
#include <mutex>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/stubs/logging.h"
#include "grpc/support/log.h"
#include "service/server/log.h"

namespace accord::server {
namespace {

// gpr_set_log_function takes a plain function pointer: the callback lives
// here, set once before the server starts and only read afterwards.
std::function<void(absl::string_view)>* g_on_listener_failed = nullptr;
std::atomic<bool> g_listener_failed_reported{false};

void GrpcLog(gpr_log_func_args* args) {
  absl::string_view message = args->message != nullptr ? args->message : "";
  const char* level = args->severity == GPR_LOG_SEVERITY_ERROR  ? "ERROR"
                      : args->severity == GPR_LOG_SEVERITY_INFO ? "INFO"
                                                                : "DEBUG";
  Log(level, absl::StrCat("grpc: ", args->file != nullptr ? args->file : "?", ":", args->line, ": ",
                          message));
  if (IsListenerFailure(message) && g_on_listener_failed != nullptr &&
      !g_listener_failed_reported.exchange(true)) {
    (*g_on_listener_failed)(message);
  }
}

// Rate-limits protobuf's log lines.
struct ProtobufLogState {
  std::mutex mu;
  absl::Duration interval;
  absl::Time last;      // guarded by mu
  int64_t dropped = 0;  // guarded by mu
};
ProtobufLogState* g_protobuf_log = nullptr;

void ProtobufLog(google::protobuf::LogLevel level, const char* filename, int line,
                 const std::string& message) {
  std::string text =
      absl::StrCat("protobuf: ", filename != nullptr ? filename : "?", ":", line, ": ", message);
  if (level == google::protobuf::LOGLEVEL_FATAL) {
    Log("ERROR", text);
    return;
  }
  int64_t dropped = 0;
  {
    std::lock_guard<std::mutex> lock(g_protobuf_log->mu);
    absl::Time now = absl::Now();
    if (now - g_protobuf_log->last < g_protobuf_log->interval) {
      ++g_protobuf_log->dropped;
      return;
    }
    g_protobuf_log->last = now;
    dropped = g_protobuf_log->dropped;
    g_protobuf_log->dropped = 0;
  }
  if (dropped > 0) {
    absl::StrAppend(&text, " (", dropped, " protobuf log lines dropped before this one)");
  }
  Log(level == google::protobuf::LOGLEVEL_INFO ? "INFO" : "ERROR", text);
}

}  // namespace

bool IsListenerFailure(absl::string_view message) {
  if (!absl::StartsWith(message, "Failed accept4: ")) return false;
  // gRPC retries these itself.
  return !absl::StrContains(message, "Resource temporarily unavailable") &&
         !absl::StrContains(message, "Software caused connection abort") &&
         !absl::StrContains(message, "Interrupted system call");
}

void InstallGrpcLogHandler(std::function<void(absl::string_view)> on_listener_failed) {
  g_on_listener_failed = new std::function<void(absl::string_view)>(std::move(on_listener_failed));
  gpr_set_log_function(GrpcLog);
}

void InstallProtobufLogHandler(absl::Duration interval) {
  g_protobuf_log = new ProtobufLogState();
  g_protobuf_log->interval = interval;
  g_protobuf_log->last = absl::InfinitePast();
  google::protobuf::SetLogHandler(ProtobufLog);
}

}  // namespace accord::server
