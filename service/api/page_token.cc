#include "service/api/page_token.h"

#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "service/api/errors.h"

namespace accord::api {
namespace {

constexpr size_t kFields = 4;
constexpr size_t kRawSize = (kFields + 1) * sizeof(uint64_t);
// Mixed into the checksum so that a token cannot be forged by recomputing a
// plain hash. This detects tampering and accidents; tokens carry nothing
// secret, so a fixed key (shared by replicas) is enough.
constexpr uint64_t kChecksumKey = 0x5a17c0ffee2d4a11ULL;

uint64_t Fnv(uint64_t hash, absl::string_view bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

constexpr uint64_t kFnvBasis = 0xcbf29ce484222325ULL;

uint64_t Checksum(const char* bytes, size_t n) {
  uint64_t h = Fnv(kFnvBasis ^ kChecksumKey, absl::string_view(bytes, n));
  // A final avalanche so that one flipped bit changes many checksum bits.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

void PutU64(uint64_t v, char* out) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
uint64_t GetU64(const char* in) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

absl::Status BadToken(absl::string_view why) {
  return InvalidField("page_token", "INVALID_PAGE_TOKEN",
                      std::string("page_token is not valid: ") + std::string(why) +
                          "; pass the next_page_token of the previous response unchanged");
}

}  // namespace

uint64_t QueryFingerprint(absl::string_view collection, absl::string_view parent,
                          absl::string_view filter, absl::string_view order_by) {
  uint64_t h = kFnvBasis;
  for (absl::string_view part : {collection, parent, filter, order_by}) {
    h = Fnv(h, part);
    h = Fnv(h, absl::string_view("\0", 1));
  }
  return h;
}

uint64_t VersionFingerprint(absl::string_view version) { return Fnv(kFnvBasis, version); }

std::string EncodePageToken(const PageToken& token) {
  char raw[kRawSize];
  PutU64(token.catalog_version, raw);
  PutU64(token.query, raw + 8);
  PutU64(token.offset, raw + 16);
  PutU64(token.after, raw + 24);
  PutU64(Checksum(raw, kFields * 8), raw + kFields * 8);
  return absl::WebSafeBase64Escape(absl::string_view(raw, kRawSize));
}

absl::StatusOr<PageToken> DecodePageToken(absl::string_view encoded) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(encoded, &raw)) return BadToken("it is not URL-safe base64");
  if (raw.size() != kRawSize) return BadToken("it has the wrong length");
  if (GetU64(raw.data() + kFields * 8) != Checksum(raw.data(), kFields * 8)) {
    return BadToken("its checksum does not match (was it altered?)");
  }
  PageToken token;
  token.catalog_version = GetU64(raw.data());
  token.query = GetU64(raw.data() + 8);
  token.offset = GetU64(raw.data() + 16);
  token.after = GetU64(raw.data() + 24);
  return token;
}

absl::StatusOr<PageToken> CheckPageToken(absl::string_view encoded, uint64_t query_fingerprint,
                                         absl::string_view catalog_version,
                                         absl::string_view mismatch, absl::string_view what) {
  absl::StatusOr<PageToken> token = DecodePageToken(encoded);
  if (!token.ok()) return token.status();
  if (token->query != query_fingerprint) {
    return InvalidField("page_token", "PAGE_TOKEN_MISMATCH", mismatch);
  }
  if (token->catalog_version != VersionFingerprint(catalog_version)) {
    return Annotate(absl::FailedPreconditionError(absl::StrCat(
                        "the catalogue was reloaded since this page_token was issued; start the ",
                        what, " again without a page_token")),
                    "CATALOG_CHANGED", "page_token", {{"version", std::string(catalog_version)}});
  }
  return token;
}

}  // namespace accord::api
