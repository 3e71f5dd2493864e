// Fuzzes the catalogue loader and validator: the input becomes the one
// catalogue file of a temporary directory, as text format (first byte even)
// or binary (first byte odd), and goes through Snapshot::Load, exactly as a
// reload would read it. Besides crashes and sanitizer reports, it aborts
// when a load fails without saying why, or succeeds without a version.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "google/protobuf/stubs/logging.h"
#include "service/catalog/snapshot.h"

namespace {

void Fail(const char* what) {
  std::fprintf(stderr, "catalogue loader contract broken: %s\n", what);
  std::abort();
}

// One directory per process, removed at exit.
const std::string& Directory() {
  static const std::string* dir = [] {
    char pattern[] = "/tmp/accord-loader-fuzz-XXXXXX";
    std::string* d = new std::string(mkdtemp(pattern));
    std::atexit([] {
      unlink((Directory() + "/catalog.textproto").c_str());
      unlink((Directory() + "/catalog.binpb").c_str());
      rmdir(Directory().c_str());
    });
    return d;
  }();
  return *dir;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Text-format and UTF-8 errors are logged by protobuf too; keep quiet.
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel, const char*, int, const std::string&) {});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string& dir = Directory();
  const bool binary = data[0] & 1;
  const std::string file = dir + (binary ? "/catalog.binpb" : "/catalog.textproto");
  const std::string other = dir + (binary ? "/catalog.textproto" : "/catalog.binpb");
  unlink(other.c_str());
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
  }
  auto snapshot = accord::catalog::Snapshot::Load(dir);
  if (snapshot.ok()) {
    if ((*snapshot)->version().size() != 16) Fail("loaded without a 16-digit version");
  } else if (snapshot.status().message().empty()) {
    Fail("rejected without a message");
  }
  return 0;
}
