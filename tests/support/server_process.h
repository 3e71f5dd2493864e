// Runs the real accord_server binary as a child process for end-to-end
// tests.
#ifndef ACCORD_TESTS_SUPPORT_SERVER_PROCESS_H_
#define ACCORD_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace accord::testing {

// The path of the accord_server binary under test: $ACCORD_SERVER_BIN, or
// the one CMake built next to the tests.
std::string ServerBinary();
// The test-only accord_server_testing binary (accord_server linked with
// tests/support/testing_interceptors.cc): $ACCORD_TESTING_SERVER_BIN, or the
// one CMake built. It honours metadata x-accord-testing-delay-ms, which holds
// a call that long before it reaches the service (until the client cancels).
std::string TestingServerBinary();
// The bundled catalogue directory: $ACCORD_CATALOG_DIR or <repo>/data/catalogue.
std::string BundledCatalog();

// A running accord_server. Start() launches it with --listen=127.0.0.1:0
// plus `flags`, and waits until it logs the port it listens on.
class ServerProcess {
 public:
  // Runs `binary` (by default ServerBinary()).
  explicit ServerProcess(std::string binary = ServerBinary()) : binary_(std::move(binary)) {}
  ~ServerProcess();  // kills the server (SIGKILL) if still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts the server; returns false (and leaves log() for the reason) if
  // it exited or logged no address within `timeout_seconds`.
  bool Start(const std::vector<std::string>& flags, int timeout_seconds = 20);
  // Starts the server and returns at once, without waiting for it to
  // listen (address() stays empty); false if it could not be started.
  bool Launch(const std::vector<std::string>& flags);
  // "127.0.0.1:<port>".
  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }
  // Sends `signal` to the server.
  void Signal(int signal) const;
  // Waits for the server to exit; returns its exit code, or -1 on timeout
  // or death by signal.
  int Wait(int timeout_seconds);
  // Everything the server wrote to stderr so far.
  std::string log();
  // Blocks until the log contains `text`, up to `timeout_seconds`.
  bool WaitForLog(const std::string& text, int timeout_seconds);

 private:
  void Drain(int timeout_ms);
  std::string binary_;
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::string log_;
  std::string address_;
};

}  // namespace accord::testing

#endif  // ACCORD_TESTS_SUPPORT_SERVER_PROCESS_H_
