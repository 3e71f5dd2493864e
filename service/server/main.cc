// accord_server: serves a catalogue directory over gRPC.
//
//   accord_server --listen=127.0.0.1:50051 --catalog=data/catalogue
//
// Signals: SIGHUP reloads the catalogue; SIGTERM and SIGINT drain and stop (during the
// first load, before anything serves, they stop at once).
// docs/operations.md describes every flag.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/ext/channelz_service_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "service/api/accord_service.h"
#include "service/api/errors.h"
#include "service/server/auth.h"
#include "service/server/call_limiter.h"
#include "service/server/call_observer.h"
#include "service/server/catalog_watcher.h"
#include "service/server/drain_gate.h"
#include "service/server/first_load_signals.h"
#include "service/server/grpc_log.h"
#include "service/server/listen_address.h"
#include "service/server/log.h"
#include "service/server/metrics_server.h"
#include "service/server/reflection.h"
#include "service/server/reloader.h"
#include "service/server/rlimits.h"
#include "service/server/server_interceptors.h"
#include "service/server/server_options.h"
#include "service/serving/catalog_store.h"
#include "service/watch/change_log.h"

namespace {

std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

}  // namespace

ABSL_FLAG(std::string, listen, EnvOr("ACCORD_LISTEN", "127.0.0.1:50051"),
          "Address to listen on, host:port; port 0 picks a free port. Env: ACCORD_LISTEN.");
ABSL_FLAG(std::string, catalog, EnvOr("ACCORD_CATALOG", "data/catalogue"),
          "Catalogue directory to serve, or a compiled catalogue file (accord_catalog compile "
          "DIR OUT), mapped read-only and shared. Env: ACCORD_CATALOG.");
ABSL_FLAG(bool, allow_remote, false,
          "Allow listening on a non-loopback address without TLS (TLS always allows it).");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "On SIGTERM/SIGINT, how long in-flight calls may take to finish (counted from the "
          "signal, and including --shutdown_drain).");
ABSL_FLAG(absl::Duration, shutdown_drain, absl::Seconds(1),
          "On SIGTERM/SIGINT, how long new calls are refused with UNAVAILABLE (health already "
          "NOT_SERVING) before the server stops accepting calls; at most --shutdown_grace.");
ABSL_FLAG(std::string, tls_cert, "", "PEM server certificate chain; with --tls_key turns TLS on.");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert.");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA bundle; requires and verifies a client certificate signed by it (mutual TLS).");
ABSL_FLAG(std::string, auth_token_file, EnvOr("ACCORD_AUTH_TOKEN_FILE", ""),
          "File of accepted bearer tokens, one per line. When set, every RPC except health "
          "needs metadata 'authorization: Bearer <token>', and reflection is off. Env: "
          "ACCORD_AUTH_TOKEN_FILE.");
ABSL_FLAG(bool, reflection, true, "Serve gRPC server reflection (off with --auth_token_file).");
ABSL_FLAG(int, max_receive_message_bytes, accord::server::kDefaultMaxReceiveMessageBytes,
          "Largest request message accepted; larger ones fail RESOURCE_EXHAUSTED.");
ABSL_FLAG(int, max_concurrent_streams, accord::server::kDefaultMaxConcurrentStreams,
          "Most concurrent calls on one HTTP/2 connection; further calls queue at the client.");
ABSL_FLAG(absl::Duration, min_ping_interval, absl::Seconds(10),
          "Keepalive enforcement: client pings without data closer than this are strikes.");
ABSL_FLAG(int, max_ping_strikes, accord::server::kDefaultMaxPingStrikes,
          "Ping strikes tolerated before the connection is closed with GOAWAY too_many_pings.");
ABSL_FLAG(absl::Duration, handshake_timeout, absl::Seconds(10),
          "A new connection must complete its TLS and HTTP/2 handshake within this time.");
ABSL_FLAG(int64_t, max_catalog_bytes, accord::catalog::LoadLimits().max_total_bytes,
          "Most bytes of catalogue files and referenced source texts one load may read; "
          "checked on file sizes before reading.");
ABSL_FLAG(bool, allow_empty_collections, false,
          "Accept a catalogue with no record at all, or a reload that empties a collection "
          "which has records now (refused by default: usually a lost file).");
ABSL_FLAG(bool, search_index, true,
          "Build the full-text index for Search with every catalogue load, before the catalogue "
          "serves (start-up and each reload take longer: minutes at 1M agreements); a compiled "
          "catalogue carrying the index (accord_catalog compile) has it opened in place instead. "
          "With --nosearch_index, Search answers UNIMPLEMENTED (reason SEARCH_DISABLED).");
ABSL_FLAG(absl::Duration, max_connection_idle, absl::Minutes(5),
          "Close a connection that has had no call for this long (0: never).");
ABSL_FLAG(absl::Duration, max_connection_age, absl::Hours(1),
          "Close every connection (GOAWAY) after this long (0: never); clients reconnect.");
ABSL_FLAG(absl::Duration, max_connection_age_grace, absl::Seconds(30),
          "After --max_connection_age, how long calls in flight on the connection may finish.");
ABSL_FLAG(int64_t, resource_memory_bytes, int64_t{512} << 20,
          "gRPC ResourceQuota: memory gRPC may use for connections and calls.");
ABSL_FLAG(int, max_threads, 64, "gRPC ResourceQuota: most threads the server may use.");
ABSL_FLAG(int, max_calls_per_connection, 2 * accord::server::kDefaultMaxConcurrentStreams,
          "Most calls alive on one connection (including answers waiting to be sent); more get "
          "RESOURCE_EXHAUSTED. Guards against clients that ignore --max_concurrent_streams.");
ABSL_FLAG(std::string, metrics_listen, EnvOr("ACCORD_METRICS_LISTEN", ""),
          "Serve Prometheus metrics at http://ADDR/metrics, e.g. 127.0.0.1:9464; off when "
          "empty. Loopback only unless --metrics_allow_remote. Env: ACCORD_METRICS_LISTEN.");
ABSL_FLAG(bool, metrics_allow_remote, false,
          "Allow --metrics_listen on a non-loopback address (the endpoint has no TLS).");
ABSL_FLAG(std::string, log_format, EnvOr("ACCORD_LOG_FORMAT", "text"),
          "Log line format: text, or json (one object per line). Env: ACCORD_LOG_FORMAT.");
ABSL_FLAG(bool, access_log, false,
          "Log one line per call: method, code, duration_ms, peer, and the trace id of a W3C "
          "traceparent in the request metadata.");
ABSL_FLAG(bool, watch_catalog, false,
          "Reload the catalogue when its directory (or compiled file, replaced by rename) "
          "changes (inotify; also ConfigMap-style symlink swaps), exactly as SIGHUP: all or "
          "nothing.");
ABSL_FLAG(int64_t, watch_log_versions, 256,
          "Watch: how many recent catalogue versions' changes are kept for streams to read and "
          "resume from (at least 1). docs/watch.md.");
ABSL_FLAG(int64_t, watch_log_bytes, int64_t{64} << 20,
          "Watch: most bytes of changed records kept in the change log (the newest version is "
          "kept whatever its size). docs/watch.md.");
ABSL_FLAG(bool, channelz, false,
          "Serve grpc.channelz.v1.Channelz (connection and call statistics). Not with "
          "--auth_token_file: channelz cannot be put behind the token check.");

namespace accord::server {
namespace {

constexpr char kServiceName[] = "accord.v1.AccordService";

std::string DescribeSnapshot(const serving::ServingCatalog& snapshot) {
  std::vector<std::string> counts;
  for (catalog::CollectionId id : catalog::kAllCollections) {
    counts.push_back(
        absl::StrCat(catalog::CollectionName(id), "=", snapshot.collection(id).size()));
  }
  return absl::StrCat(
      "catalogue ", snapshot.directory(), " version ", snapshot.version(), " loaded in ",
      absl::FormatDuration(snapshot.load_duration()),
      snapshot.search_index() == nullptr
          ? " (no search index)"
          : absl::StrCat(
                " (search index ",
                snapshot.search_index()->embedded() ? "opened from the compiled file " : "built ",
                "in ", absl::FormatDuration(snapshot.search_index_duration()), ")"),
      ": ", absl::StrJoin(counts, " "));
}

// Waits for signals on a dedicated thread, so that nothing runs inside a
// signal handler. SIGHUP asks `reloader` for a reload, which runs on its own
// thread: this thread never waits for a load. SIGTERM/SIGINT stop the server
// at once, whatever is loading: health turns NOT_SERVING, `gate` refuses new
// calls with UNAVAILABLE for `drain` (so that load balancers and clients
// move away while nothing is cancelled), then gRPC stops accepting calls
// and in-flight ones have until `grace` after the signal to finish.
void HandleSignals(const sigset_t& signals, Reloader* reloader, DrainGate* gate,
                   api::WatchHub* watch_hub, grpc::Server* server, absl::Duration drain,
                   absl::Duration grace) {
  for (;;) {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0) continue;
    if (signal == SIGHUP) {
      LogInfo("SIGHUP: reloading the catalogue");
      reloader->Request();
      continue;
    }
    const absl::Time deadline = absl::Now() + grace;
    drain = std::min(drain, grace);
    LogInfo(absl::StrCat(signal == SIGTERM ? "SIGTERM" : "SIGINT",
                         ": not serving; refusing new calls for ", absl::FormatDuration(drain),
                         ", then draining in-flight calls for up to ", absl::FormatDuration(grace),
                         " in all"));
    // Health first, so that watchers and load balancers see NOT_SERVING at
    // once; then refuse new calls; then stop accepting them and let
    // in-flight ones finish.
    grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
    health->SetServingStatus(false);
    health->Shutdown();
    gate->Close();
    // Watch streams never end by themselves: end them now (UNAVAILABLE,
    // SHUTTING_DOWN; clients resume elsewhere with their token), so that
    // they do not hold the shutdown until the grace deadline.
    watch_hub->Shutdown();
    absl::SleepFor(drain);
    server->Shutdown(absl::ToChronoTime(deadline));
    return;
  }
}

// Set when gRPC reports a listener that will never accept again.
std::atomic<bool> g_listener_failed{false};

int Run() {
  // Before anything can log: protobuf's per-request ERROR lines (invalid
  // UTF-8 in a request) are rate-limited, and gRPC's lines are watched for a
  // failed accept, after which gRPC 1.51 never accepts again. The server
  // then stops (gracefully, exit status 1) so that its supervisor restarts
  // it, instead of living on without accepting (see docs/reliability.md).
  InstallProtobufLogHandler(absl::Seconds(10));
  InstallGrpcLogHandler([](absl::string_view message) {
    g_listener_failed = true;
    LogError(absl::StrCat("the listener failed (", message,
                          "); gRPC 1.51 accepts no connection after this: stopping, to exit "
                          "with status 1 so that the supervisor restarts the server"));
    kill(getpid(), SIGTERM);
  });
  if (absl::StatusOr<OpenFilesLimit> files = RaiseOpenFilesLimit(); !files.ok()) {
    LogError(absl::StrCat("cannot raise the open files limit: ", files.status().message()));
  } else if (files->soft != files->before) {
    LogInfo(absl::StrCat("open files limit raised from ", files->before, " to ", files->soft,
                         " (the hard limit)"));
  }
  ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  options.allow_remote = absl::GetFlag(FLAGS_allow_remote);
  options.tls_cert = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key = absl::GetFlag(FLAGS_tls_key);
  options.tls_client_ca = absl::GetFlag(FLAGS_tls_client_ca);
  options.max_receive_message_bytes = absl::GetFlag(FLAGS_max_receive_message_bytes);
  options.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  options.min_ping_interval = absl::GetFlag(FLAGS_min_ping_interval);
  options.max_ping_strikes = absl::GetFlag(FLAGS_max_ping_strikes);
  options.handshake_timeout = absl::GetFlag(FLAGS_handshake_timeout);
  options.max_connection_idle = absl::GetFlag(FLAGS_max_connection_idle);
  options.max_connection_age = absl::GetFlag(FLAGS_max_connection_age);
  options.max_connection_age_grace = absl::GetFlag(FLAGS_max_connection_age_grace);
  options.resource_memory_bytes = absl::GetFlag(FLAGS_resource_memory_bytes);
  options.max_threads = absl::GetFlag(FLAGS_max_threads);
  if (absl::Status s = ValidateOptions(options); !s.ok()) {
    LogError(s.message());
    return 2;
  }
  if (absl::GetFlag(FLAGS_channelz) && !absl::GetFlag(FLAGS_auth_token_file).empty()) {
    LogError("--channelz cannot be combined with --auth_token_file (channelz has no token check)");
    return 2;
  }
  if (absl::GetFlag(FLAGS_max_calls_per_connection) <= 0 ||
      absl::GetFlag(FLAGS_max_catalog_bytes) <= 0 ||
      absl::GetFlag(FLAGS_shutdown_drain) < absl::ZeroDuration()) {
    LogError(
        "--max_calls_per_connection and --max_catalog_bytes must be positive; "
        "--shutdown_drain must not be negative");
    return 2;
  }
  std::unique_ptr<TokenAuthorizer> authorizer;
  if (std::string path = absl::GetFlag(FLAGS_auth_token_file); !path.empty()) {
    absl::StatusOr<TokenAuthorizer> loaded = TokenAuthorizer::FromFile(path);
    if (!loaded.ok()) {
      LogError(loaded.status().message());
      return 2;
    }
    authorizer = std::make_unique<TokenAuthorizer>(*std::move(loaded));
  }
  // Block the signals before any thread starts, so every thread inherits
  // the mask and only the signal thread receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (absl::GetFlag(FLAGS_watch_log_versions) < 1 || absl::GetFlag(FLAGS_watch_log_bytes) < 0) {
    LogError("--watch_log_versions must be at least 1 and --watch_log_bytes not negative");
    return 2;
  }
  // Watch's change log, fed by every catalogue the store makes serving.
  watch::ChangeLog::Options log_options;
  log_options.max_versions = static_cast<size_t>(absl::GetFlag(FLAGS_watch_log_versions));
  log_options.max_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_watch_log_bytes));
  watch::ChangeLog change_log(log_options);
  serving::CatalogStore::Options store_options;
  store_options.on_swap = [&change_log](std::shared_ptr<const serving::ServingCatalog> next) {
    change_log.Append(std::move(next));
  };
  store_options.limits.max_total_bytes = absl::GetFlag(FLAGS_max_catalog_bytes);
  store_options.allow_empty_collections = absl::GetFlag(FLAGS_allow_empty_collections);
  store_options.search_index = absl::GetFlag(FLAGS_search_index);
  serving::CatalogStore store(absl::GetFlag(FLAGS_catalog), store_options);
  // Nothing serves until the first catalogue is loaded, so there is nothing
  // to drain: SIGTERM or SIGINT during that load exits at once, rather than
  // after a load from sources that takes tens of seconds at 1M agreements.
  FirstLoadSignals first_load(signals, [](int signal) {
    LogInfo(absl::StrCat(signal == SIGTERM ? "SIGTERM" : "SIGINT",
                         " before the first catalogue finished loading: stopped"));
    std::fflush(stderr);
    std::_Exit(0);
  });
  LogInfo(absl::StrCat("loading the catalogue ", store.directory()));
  if (absl::Status s = store.Reload(); !s.ok()) {
    LogError(absl::StrCat("cannot load the catalogue: ", s.message()));
    return 1;
  }
  first_load.Finish();
  LogInfo(DescribeSnapshot(*store.Current()));

  std::unique_ptr<MetricsServer> metrics;
  if (std::string address = absl::GetFlag(FLAGS_metrics_listen); !address.empty()) {
    absl::StatusOr<std::unique_ptr<MetricsServer>> started =
        MetricsServer::Start(address, absl::GetFlag(FLAGS_metrics_allow_remote), {kServiceName},
                             [&store] { return store.Status(); });
    if (!started.ok()) {
      LogError(started.status().message());
      return 2;
    }
    metrics = *std::move(started);
    LogInfo(absl::StrCat("metrics on http://", WithPort(address, metrics->port()), "/metrics"));
  }

  // Every call passes the drain gate (closed on SIGTERM), then the token
  // check if tokens are required.
  DrainGate gate;
  CallLimiter limiter(absl::GetFlag(FLAGS_max_calls_per_connection));
  api::AccordServiceImpl::CallGuard guard =
      [&gate, &limiter, auth = authorizer.get()](grpc::CallbackServerContext* context) {
        if (absl::Status closed = gate.Check(); !closed.ok()) return closed;
        if (absl::Status busy = limiter.Check(*context); !busy.ok()) return busy;
        return auth != nullptr ? auth->Check(*context) : absl::OkStatus();
      };
  api::WatchHub watch_hub(&change_log, api::WatchLimits());
  api::AccordServiceImpl service(&store, std::move(guard), &watch_hub);
  grpc::EnableDefaultHealthCheckService(true);
  // Reflection is a service we cannot put the token check in front of, so
  // it is off whenever tokens are required.
  const bool reflection = absl::GetFlag(FLAGS_reflection) && authorizer == nullptr;
  // Before the builder exists: it collects the registered plugins.
  if (absl::GetFlag(FLAGS_channelz)) grpc::channelz::experimental::InitChannelzService();
  grpc::ServerBuilder builder;
  ConfigureReflection(reflection, &builder);
  int port = 0;
  if (absl::Status s = ConfigureBuilder(options, &builder, &port); !s.ok()) {
    LogError(s.message());
    return 2;
  }
  builder.RegisterService(&service);
  {
    // One list (SetInterceptorCreators replaces, it does not add): the call
    // observer (metrics, access log), the call limiter, then the
    // interceptors this binary was linked with (server_interceptors.h).
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
    if (metrics != nullptr || absl::GetFlag(FLAGS_access_log)) {
      creators.push_back(std::make_unique<CallObserverFactory>(
          metrics != nullptr ? metrics->grpc_metrics() : nullptr, absl::GetFlag(FLAGS_access_log)));
    }
    creators.push_back(limiter.Factory());
    for (auto& linked : ServerInterceptors()) creators.push_back(std::move(linked));
    builder.experimental().SetInterceptorCreators(std::move(creators));
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    // TLS material and the address were checked before: what is left is
    // the port (in use, or not ours to bind), which gRPC logged above.
    LogError(absl::StrCat("cannot listen on ", options.listen,
                          ": the port is in use or cannot be bound (see gRPC's error above)"));
    return 1;
  }
  server->GetHealthCheckService()->SetServingStatus(true);
  server->GetHealthCheckService()->SetServingStatus(kServiceName, true);
  LogInfo(absl::StrCat(
      options.tls() ? (options.tls_client_ca.empty() ? "TLS" : "mutual TLS") : "plaintext",
      authorizer ? absl::StrCat(", bearer tokens required (", authorizer->size(), " accepted)")
                 : std::string(", no token required"),
      reflection ? ", reflection on" : ", reflection off"));
  LogInfo(absl::StrCat("listening on ", WithPort(options.listen, port)));

  Reloader reloader(&store, [&store](const absl::Status& s) {
    if (s.ok()) {
      LogInfo(absl::StrCat("reload ok: ", DescribeSnapshot(*store.Current())));
    } else {
      LogError(absl::StrCat("reload failed; version ", store.Current()->version(),
                            " keeps serving: ", s.message()));
    }
  });
  if (first_load.reload_requested()) {
    LogInfo("SIGHUP during the first load: reloading the catalogue");
    reloader.Request();
  }
  // --watch_catalog asks the same reloader as SIGHUP; declared after it, so
  // it stops first.
  std::unique_ptr<CatalogWatcher> watcher;
  if (absl::GetFlag(FLAGS_watch_catalog)) {
    absl::StatusOr<std::unique_ptr<CatalogWatcher>> started =
        CatalogWatcher::Start(store.directory(), absl::Milliseconds(300), [&reloader] {
          LogInfo("--watch_catalog: the catalogue directory changed: reloading the catalogue");
          reloader.Request();
        });
    if (!started.ok()) {
      LogError(started.status().message());
      server->Shutdown();
      return 2;
    }
    watcher = *std::move(started);
    LogInfo(absl::StrCat("watching ", store.directory(), " for changes"));
  }
  std::thread signal_thread(HandleSignals, signals, &reloader, &gate, &watch_hub, server.get(),
                            absl::GetFlag(FLAGS_shutdown_drain),
                            absl::GetFlag(FLAGS_shutdown_grace));
  server->Wait();
  signal_thread.join();
  reloader.Stop();
  if (g_listener_failed) {
    LogError("stopped after the listener failed");
    return 1;
  }
  LogInfo("stopped");
  return 0;
}

}  // namespace
}  // namespace accord::server

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Serves an Accord catalogue over gRPC.\n  accord_server --listen=127.0.0.1:50051 "
      "--catalog=data/catalogue");
  absl::ParseCommandLine(argc, argv);
  accord::server::LogFormat log_format;
  if (absl::Status s = accord::server::ParseLogFormat(absl::GetFlag(FLAGS_log_format), &log_format);
      !s.ok()) {
    accord::server::LogError(s.message());
    return 2;
  }
  accord::server::SetLogFormat(log_format);
  // Debian's Abseil leaves absl::Mutex deadlock detection on, which costs
  // about 5% of a Get in the profile; the server's own locks are few and
  // simple, and TSan runs check them.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return accord::server::Run();
}
