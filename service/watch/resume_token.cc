#include "service/watch/resume_token.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace accord::watch {

namespace {

constexpr absl::string_view kPrefix = "w1";

absl::Status Malformed() {
  return absl::InvalidArgumentError("the resume token is not one that Watch returned");
}

}  // namespace

std::string EncodeResumeToken(const ResumePosition& p) {
  std::string text = absl::StrCat(kPrefix, ":", absl::Hex(p.lineage), ":", p.seq, ":", p.index, ":",
                                  absl::Hex(p.request_hash), ":", p.version);
  return absl::WebSafeBase64Escape(text);
}

absl::StatusOr<ResumePosition> DecodeResumeToken(absl::string_view token) {
  std::string text;
  if (token.size() > 512 || !absl::WebSafeBase64Unescape(token, &text)) return Malformed();
  std::vector<absl::string_view> parts = absl::StrSplit(text, absl::MaxSplits(':', 5));
  ResumePosition p;
  if (parts.size() != 6 || parts[0] != kPrefix || !absl::SimpleHexAtoi(parts[1], &p.lineage) ||
      !absl::SimpleAtoi(parts[2], &p.seq) || !absl::SimpleAtoi(parts[3], &p.index) ||
      !absl::SimpleHexAtoi(parts[4], &p.request_hash) || parts[5].empty()) {
    return Malformed();
  }
  p.version = std::string(parts[5]);
  return p;
}

uint64_t WatchRequestHash(absl::string_view collection, absl::string_view filter) {
  uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&h](absl::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 0x100000001b3ull;
    }
  };
  mix(collection);
  mix(absl::string_view("\0", 1));
  mix(filter);
  return h;
}

}  // namespace accord::watch
