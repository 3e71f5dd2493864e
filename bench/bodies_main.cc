// accord_bench_bodies: writes gRPC-framed request bodies for h2load
// (-d FILE): a 5-byte prefix (uncompressed flag, big-endian length) and
// the serialized request.
//   accord_bench_bodies --out=DIR --agreement=NAME --filter=F [--check=HOST:PORT]
// writes DIR/get.bin (GetAgreement of NAME) and DIR/list.bin
// (ListAgreements, page_size 10, the filter, read_mask name,title,sign_date).
// With --check, first sends both requests to the server and fails unless
// both succeed (and the List returns a full page), so that h2load, which
// cannot see gRPC status trailers, measures successful calls; it also
// writes DIR/list2.bin, the same List's second page (its page_token from the
// first page's reply), which the server answers from its indexes on every
// call (only first pages are kept with a cached query), and the reply sizes
// DIR/{get,list,list2}.bytes.
#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/strip.h"
#include "accord/v1/accord_service.grpc.pb.h"
#include "accord/v1/accord_service.pb.h"
#include "grpcpp/grpcpp.h"

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
  std::string out = ".", agreement, filter, check;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--out=")) out = std::string(arg);
    if (absl::ConsumePrefix(&arg, "--agreement=")) agreement = std::string(arg);
    if (absl::ConsumePrefix(&arg, "--filter=")) filter = std::string(arg);
    if (absl::ConsumePrefix(&arg, "--check=")) check = std::string(arg);
  }
  accord::v1::ListAgreementsRequest list;
  list.set_page_size(10);
  list.set_filter(filter);
  for (const char* path : {"name", "title", "sign_date"}) list.mutable_read_mask()->add_paths(path);
  accord::v1::GetAgreementRequest get;
  if (!check.empty()) {
    auto stub = accord::v1::AccordService::NewStub(
        grpc::CreateChannel(check, grpc::InsecureChannelCredentials()));
    if (agreement.empty()) {
      // The first agreement the List finds, so that the Get hits a record.
      grpc::ClientContext c0;
      accord::v1::ListAgreementsResponse first;
      grpc::Status s0 = stub->ListAgreements(&c0, list, &first);
      if (!s0.ok() || first.agreements_size() == 0) return 1;
      agreement = first.agreements(first.agreements_size() / 2).name();
    }
    get.set_name(agreement);
    grpc::ClientContext c1, c2;
    accord::v1::Agreement a;
    accord::v1::ListAgreementsResponse r;
    grpc::Status s1 = stub->GetAgreement(&c1, get, &a);
    grpc::Status s2 = stub->ListAgreements(&c2, list, &r);
    std::fprintf(stderr,
                 "check %s: GetAgreement %s (%zu bytes), ListAgreements %s (%d records of %d)\n",
                 check.c_str(), s1.ok() ? "OK" : s1.error_message().c_str(), a.ByteSizeLong(),
                 s2.ok() ? "OK" : s2.error_message().c_str(), r.agreements_size(), r.total_size());
    if (!s1.ok() || !s2.ok() || r.agreements_size() != 10) return 1;
    accord::v1::ListAgreementsRequest list2 = list;
    list2.set_page_token(r.next_page_token());
    grpc::ClientContext c3;
    accord::v1::ListAgreementsResponse r2;
    grpc::Status s3 = stub->ListAgreements(&c3, list2, &r2);
    std::fprintf(stderr, "check %s: ListAgreements page 2 %s (%d records)\n", check.c_str(),
                 s3.ok() ? "OK" : s3.error_message().c_str(), r2.agreements_size());
    if (!s3.ok() || r2.agreements_size() != 10 || !WriteFramed(out + "/list2.bin", list2)) {
      return 1;
    }
    // The reply sizes, for the same-size floors of bench/run.
    std::ofstream(out + "/get.bytes") << a.ByteSizeLong() << "\n";
    std::ofstream(out + "/list.bytes") << r.ByteSizeLong() << "\n";
    std::ofstream(out + "/list2.bytes") << r2.ByteSizeLong() << "\n";
  }
  get.set_name(agreement);
  std::printf("%s\n", agreement.c_str());
  if (!WriteFramed(out + "/get.bin", get) || !WriteFramed(out + "/list.bin", list)) return 1;
  return 0;
}
