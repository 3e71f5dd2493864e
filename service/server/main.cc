// accord_server: serves a catalogue directory over gRPC.
//
//   accord_server --listen=127.0.0.1:50051 --catalog=data/catalogue
//
// Signals: SIGHUP reloads the catalogue; SIGTERM and SIGINT drain and stop.
// docs/operations.md describes every flag.
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/grpcpp.h"
#include "service/api/accord_service.h"
#include "service/api/errors.h"
#include "service/catalog/catalog_store.h"
#include "service/server/auth.h"
#include "service/server/listen_address.h"
#include "service/server/log.h"
#include "service/server/server_interceptors.h"
#include "service/server/server_options.h"

namespace {

std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

}  // namespace

ABSL_FLAG(std::string, listen, EnvOr("ACCORD_LISTEN", "127.0.0.1:50051"),
          "Address to listen on, host:port; port 0 picks a free port. Env: ACCORD_LISTEN.");
ABSL_FLAG(std::string, catalog, EnvOr("ACCORD_CATALOG", "data/catalogue"),
          "Catalogue directory to serve. Env: ACCORD_CATALOG.");
ABSL_FLAG(bool, allow_remote, false,
          "Allow listening on a non-loopback address without TLS (TLS always allows it).");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "On SIGTERM/SIGINT, how long in-flight calls may take to finish.");
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

namespace accord::server {
namespace {

constexpr char kServiceName[] = "accord.v1.AccordService";

std::string DescribeSnapshot(const catalog::Snapshot& snapshot) {
  std::vector<std::string> counts;
  for (catalog::CollectionId id : catalog::kAllCollections) {
    counts.push_back(absl::StrCat(catalog::CollectionName(id), "=",
                                  snapshot.collection(id).size()));
  }
  return absl::StrCat("catalogue ", snapshot.directory(), " version ", snapshot.version(),
                      " loaded in ", absl::FormatDuration(snapshot.load_duration()), ": ",
                      absl::StrJoin(counts, " "));
}

// Waits for signals on a dedicated thread, so that nothing runs inside a
// signal handler: SIGHUP reloads, SIGTERM/SIGINT start a graceful stop.
void HandleSignals(const sigset_t& signals, catalog::CatalogStore* store, grpc::Server* server,
                   absl::Duration grace) {
  for (;;) {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0) continue;
    if (signal == SIGHUP) {
      LogInfo("SIGHUP: reloading the catalogue");
      absl::Status s = store->Reload();
      if (s.ok()) {
        LogInfo(absl::StrCat("reload ok: ", DescribeSnapshot(*store->Current())));
      } else {
        LogError(absl::StrCat("reload failed; version ", store->Current()->version(),
                              " keeps serving: ", s.message()));
      }
      continue;
    }
    LogInfo(absl::StrCat(signal == SIGTERM ? "SIGTERM" : "SIGINT",
                         ": not serving; draining in-flight calls for up to ",
                         absl::FormatDuration(grace)));
    // Health first, so that watchers and load balancers see NOT_SERVING at
    // once; then stop accepting calls and let in-flight ones finish.
    grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
    health->SetServingStatus(false);
    health->Shutdown();
    server->Shutdown(absl::ToChronoTime(absl::Now() + grace));
    return;
  }
}

int Run() {
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
  if (absl::Status s = ValidateOptions(options); !s.ok()) {
    LogError(s.message());
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

  catalog::CatalogStore store(absl::GetFlag(FLAGS_catalog));
  if (absl::Status s = store.Reload(); !s.ok()) {
    LogError(absl::StrCat("cannot load the catalogue: ", s.message()));
    return 1;
  }
  LogInfo(DescribeSnapshot(*store.Current()));

  api::AccordServiceImpl::CallGuard guard;
  if (authorizer != nullptr) {
    guard = [auth = authorizer.get()](grpc::CallbackServerContext* context) {
      return auth->Check(*context);
    };
  }
  api::AccordServiceImpl service(&store, std::move(guard));
  grpc::EnableDefaultHealthCheckService(true);
  // Reflection is a service we cannot put the token check in front of, so
  // it is off whenever tokens are required.
  const bool reflection = absl::GetFlag(FLAGS_reflection) && authorizer == nullptr;
  if (reflection) grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  if (absl::Status s = ConfigureBuilder(options, &builder, &port); !s.ok()) {
    LogError(s.message());
    return 2;
  }
  builder.RegisterService(&service);
  // The interceptors this binary was linked with (server_interceptors.h).
  if (auto interceptors = ServerInterceptors(); !interceptors.empty()) {
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    LogError(absl::StrCat("cannot listen on ", options.listen,
                          " (is another server already using the port?)"));
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

  std::thread signal_thread(HandleSignals, signals, &store, server.get(),
                            absl::GetFlag(FLAGS_shutdown_grace));
  server->Wait();
  signal_thread.join();
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
  // Debian's Abseil leaves absl::Mutex deadlock detection on, which costs
  // about 5% of a Get in the profile; the server's own locks are few and
  // simple, and TSan runs check them.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return accord::server::Run();
}
