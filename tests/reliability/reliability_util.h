// Helpers for the reliability tests: temporary catalogue copies, test
// certificates made with the openssl CLI, health checks and error details.
#ifndef ACCORD_TESTS_RELIABILITY_RELIABILITY_UTIL_H_
#define ACCORD_TESTS_RELIABILITY_RELIABILITY_UTIL_H_

#include <sys/types.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "accord/v1/accord_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "tests/e2e/e2e_client.h"
#include "tests/support/health.grpc.pb.h"
#include "tests/support/server_process.h"

namespace accord::testing {

namespace fs = std::filesystem;

// A directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "accord-rel-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline std::string ReadFileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes `text` to `path` atomically (temp file + rename), so a concurrent
// reload sees the old or the new file, never half of it.
inline void ReplaceFile(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp~";
  WriteFile(tmp, text);
  fs::rename(tmp, path);
}

// Copies the bundled catalogue into `dir`/catalogue and returns that path.
inline std::string CopyCatalog(const TempDir& dir) {
  std::string to = dir / "catalogue";
  fs::copy(BundledCatalog(), to, fs::copy_options::recursive);
  return to;
}

// A valid extra catalogue file: one more cooperation area (a root, so no
// references), making the catalogue a different version.
inline constexpr char kExtraFile[] = "zz_reload_extra.textproto";
inline constexpr char kExtraText[] =
    "cooperation_areas {\n"
    "  name: \"cooperationAreas/reload-test\"\n"
    "  display_name: \"Reload test\"\n"
    "  description: \"Added by a reliability test.\"\n"
    "}\n";
// An invalid catalogue file: a parse error.
inline constexpr char kBrokenFile[] = "zz_reload_broken.textproto";
inline constexpr char kBrokenText[] = "cooperation_areas { name: \"unterminated\n";

// Test PKI, made with the openssl CLI: a CA, a server certificate for
// 127.0.0.1/localhost, a client certificate from the CA, and a client
// certificate from an unrelated CA.
struct TestPki {
  std::string ca_cert, server_cert, server_key, client_cert, client_key, rogue_cert, rogue_key;
};

inline bool Run(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

inline bool MakeTestPki(const TempDir& dir, TestPki* pki) {
  std::string d = dir.path();
  auto p = [&](const char* name) { return d + "/" + name; };
  WriteFile(p("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  const std::string req = "openssl req -new -newkey rsa:2048 -nodes -subj ";
  bool ok =
      Run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=accord-test-ca -keyout " +
          p("ca.key") + " -out " + p("ca.pem")) &&
      Run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=rogue-ca -keyout " +
          p("rogue-ca.key") + " -out " + p("rogue-ca.pem")) &&
      Run(req + "/CN=localhost -keyout " + p("server.key") + " -out " + p("server.csr")) &&
      Run("openssl x509 -req -days 2 -in " + p("server.csr") + " -CA " + p("ca.pem") + " -CAkey " +
          p("ca.key") + " -CAcreateserial -extfile " + p("san.ext") + " -out " + p("server.pem")) &&
      Run(req + "/CN=accord-client -keyout " + p("client.key") + " -out " + p("client.csr")) &&
      Run("openssl x509 -req -days 2 -in " + p("client.csr") + " -CA " + p("ca.pem") + " -CAkey " +
          p("ca.key") + " -CAcreateserial -out " + p("client.pem")) &&
      Run(req + "/CN=rogue-client -keyout " + p("rogue.key") + " -out " + p("rogue.csr")) &&
      Run("openssl x509 -req -days 2 -in " + p("rogue.csr") + " -CA " + p("rogue-ca.pem") +
          " -CAkey " + p("rogue-ca.key") + " -CAcreateserial -out " + p("rogue.pem"));
  pki->ca_cert = p("ca.pem");
  pki->server_cert = p("server.pem");
  pki->server_key = p("server.key");
  pki->client_cert = p("client.pem");
  pki->client_key = p("client.key");
  pki->rogue_cert = p("rogue.pem");
  pki->rogue_key = p("rogue.key");
  return ok;
}

inline std::unique_ptr<accord::v1::AccordService::Stub> StubOn(
    const std::shared_ptr<grpc::Channel>& channel) {
  return accord::v1::AccordService::NewStub(channel);
}

inline std::shared_ptr<grpc::Channel> InsecureChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of its own
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

// A context with a deadline and optional metadata.
inline std::unique_ptr<grpc::ClientContext> ContextWith(
    std::initializer_list<std::pair<std::string, std::string>> metadata = {},
    std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + deadline);
  for (const auto& [k, v] : metadata) context->AddMetadata(k, v);
  return context;
}

// Health of `service` ("" for the server), or the call's error code as a
// negative number.
inline int HealthOf(const std::shared_ptr<grpc::Channel>& channel, const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  auto context = ContextWith({}, std::chrono::seconds(5));
  grpc::Status s = stub->Check(context.get(), request, &response);
  if (!s.ok()) return -static_cast<int>(s.error_code());
  return static_cast<int>(response.status());
}

// The server's catalogue status; fails the calling test on error.
inline accord::v1::CatalogStatus StatusOf(accord::v1::AccordService::Stub* stub) {
  accord::v1::GetCatalogStatusRequest request;
  accord::v1::CatalogStatus status;
  auto context = ContextWith();
  grpc::Status s = stub->GetCatalogStatus(context.get(), request, &status);
  if (!s.ok()) status.set_last_error("RPC failed: " + s.error_message());
  return status;
}

// Resident set size of `pid` in KiB (VmRSS), or -1.
inline long RssKiB(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

// Occurrences of `text` in `haystack`.
inline int CountOf(const std::string& haystack, const std::string& text) {
  int n = 0;
  for (size_t at = haystack.find(text); at != std::string::npos; at = haystack.find(text, at + 1)) {
    ++n;
  }
  return n;
}

// Waits until the server's log holds `text` at least `times` times.
inline bool WaitForLogCount(ServerProcess& server, const std::string& text, int times,
                            int timeout_seconds = 20) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (CountOf(server.log(), text) >= times) return true;
    server.WaitForLog("\x01never", 0);  // drains
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace accord::testing

#endif  // ACCORD_TESTS_RELIABILITY_RELIABILITY_UTIL_H_
