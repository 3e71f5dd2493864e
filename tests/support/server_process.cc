#include "tests/support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <regex>

namespace accord::testing {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

std::string ServerBinary() {
  const char* env = std::getenv("ACCORD_SERVER_BIN");
  return env != nullptr && *env != '\0' ? env : ACCORD_DEFAULT_SERVER_BIN;
}

std::string TestingServerBinary() {
  const char* env = std::getenv("ACCORD_TESTING_SERVER_BIN");
  return env != nullptr && *env != '\0' ? env : ACCORD_TESTING_SERVER_BIN;
}

std::string BundledCatalog() {
  const char* env = std::getenv("ACCORD_CATALOG_DIR");
  return env != nullptr && *env != '\0' ? env : ACCORD_SOURCE_DIR "/data/catalogue";
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (stderr_fd_ >= 0) close(stderr_fd_);
}

bool ServerProcess::Start(const std::vector<std::string>& flags, int timeout_seconds) {
  if (!Launch(flags)) return false;
  static const std::regex kListening("listening on (\\S+:[0-9]+)");
  auto deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  while (Clock::now() < deadline) {
    Drain(100);
    std::smatch match;
    if (std::regex_search(log_, match, kListening)) {
      address_ = match[1];
      return true;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      Drain(0);
      return false;
    }
  }
  return false;
}

bool ServerProcess::Launch(const std::vector<std::string>& flags) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return false;
  const std::string& binary = binary_;
  std::vector<std::string> args = {binary, "--listen=127.0.0.1:0"};
  args.insert(args.end(), flags.begin(), flags.end());
  pid_ = fork();
  if (pid_ == 0) {
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  stderr_fd_ = pipe_fds[0];
  fcntl(stderr_fd_, F_SETFL, O_NONBLOCK);
  return pid_ > 0;
}

void ServerProcess::Drain(int timeout_ms) {
  if (stderr_fd_ < 0) return;
  pollfd p{stderr_fd_, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) return;
  char buf[4096];
  for (;;) {
    ssize_t n = read(stderr_fd_, buf, sizeof buf);
    if (n <= 0) break;
    log_.append(buf, static_cast<size_t>(n));
  }
}

void ServerProcess::Signal(int signal) const {
  if (pid_ > 0) kill(pid_, signal);
}

int ServerProcess::Wait(int timeout_seconds) {
  auto deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  while (pid_ > 0 && Clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      Drain(0);
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    Drain(50);
  }
  return -1;
}

std::string ServerProcess::log() {
  Drain(0);
  return log_;
}

bool ServerProcess::WaitForLog(const std::string& text, int timeout_seconds) {
  auto deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  while (Clock::now() < deadline) {
    Drain(50);
    if (log_.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace accord::testing
