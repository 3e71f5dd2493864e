// accord_bench_bodies: writes gRPC-framed request bodies for h2load
// (-d FILE): a 5-byte prefix (uncompressed flag, big-endian length) and
// the serialized request.
//   accord_bench_bodies --out=DIR --agreement=NAME --filter=F
// writes DIR/get.bin (GetAgreement of NAME) and DIR/list.bin
// (ListAgreements, page_size 10, the filter, read_mask name,title,sign_date).
#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/strip.h"
#include "accord/v1/accord_service.pb.h"

namespace {

bool WriteFramed(const std::string& path, const google::protobuf::Message& m) {
  const std::string body = m.SerializeAsString();
  const uint32_t n = static_cast<uint32_t>(body.size());
  const char prefix[5] = {0, static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                          static_cast<char>(n >> 8), static_cast<char>(n)};
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(prefix, 5);
  out.write(body.data(), static_cast<std::streamsize>(body.size()));
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  std::string out = ".", agreement, filter;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--out=")) out = std::string(arg);
    if (absl::ConsumePrefix(&arg, "--agreement=")) agreement = std::string(arg);
    if (absl::ConsumePrefix(&arg, "--filter=")) filter = std::string(arg);
  }
  accord::v1::GetAgreementRequest get;
  get.set_name(agreement);
  accord::v1::ListAgreementsRequest list;
  list.set_page_size(10);
  list.set_filter(filter);
  for (const char* path : {"name", "title", "sign_date"}) list.mutable_read_mask()->add_paths(path);
  if (!WriteFramed(out + "/get.bin", get) || !WriteFramed(out + "/list.bin", list)) return 1;
  return 0;
}
