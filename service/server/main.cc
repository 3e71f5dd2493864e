// accord_server: serves a catalogue directory over gRPC.
//
//   accord_server --listen=127.0.0.1:50051 --catalog=data/catalogue
//
// Signals: SIGHUP reloads the catalogue; SIGTERM and SIGINT drain and stop.
#include <csignal>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/grpcpp.h"
#include "service/api/accord_service.h"
#include "service/catalog/catalog_store.h"
#include "service/server/log.h"
#include "service/server/listen_address.h"

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
          "Allow listening on a non-loopback address without TLS.");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "On SIGTERM/SIGINT, how long in-flight calls may take to finish.");

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
        LogInfo(DescribeSnapshot(*store->Current()));
      } else {
        LogError(absl::StrCat("reload failed; the previous catalogue keeps serving: ",
                              s.message()));
      }
      continue;
    }
    LogInfo(absl::StrCat(signal == SIGTERM ? "SIGTERM" : "SIGINT",
                         ": not serving; draining in-flight calls for up to ",
                         absl::FormatDuration(grace)));
    server->GetHealthCheckService()->SetServingStatus(false);
    server->Shutdown(absl::ToChronoTime(absl::Now() + grace));
    return;
  }
}

int Run() {
  std::string listen = absl::GetFlag(FLAGS_listen);
  absl::Status address_ok = CheckListenAddress(listen, absl::GetFlag(FLAGS_allow_remote));
  if (!address_ok.ok()) {
    LogError(address_ok.message());
    return 2;
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

  api::AccordServiceImpl service(&store);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    LogError(absl::StrCat("cannot listen on ", listen));
    return 1;
  }
  server->GetHealthCheckService()->SetServingStatus(true);
  server->GetHealthCheckService()->SetServingStatus(kServiceName, true);
  LogInfo(absl::StrCat("listening on ", WithPort(listen, port)));

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
  return accord::server::Run();
}
