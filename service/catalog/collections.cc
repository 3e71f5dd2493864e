#include "service/catalog/collections.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace accord::catalog {
namespace {

struct CollectionInfo {
  absl::string_view name;
  absl::string_view message;
  absl::string_view singular;
};

constexpr std::array<CollectionInfo, kCollectionCount> kInfo = {{
    {"countries", "accord.v1.Country", "country"},
    {"partnerships", "accord.v1.Partnership", "partnership"},
    {"agreements", "accord.v1.Agreement", "agreement"},
    {"commitments", "accord.v1.Commitment", "commitment"},
    {"cooperationAreas", "accord.v1.CooperationArea", "cooperation_area"},
    {"sectors", "accord.v1.Sector", "sector"},
    {"sources", "accord.v1.Source", "source"},
    {"assessments", "accord.v1.Assessment", "assessment"},
}};

const CollectionInfo& Info(CollectionId id) { return kInfo[static_cast<int>(id)]; }

bool IsCountryCode(absl::string_view id) {
  return id.size() == 2 && id[0] >= 'a' && id[0] <= 'z' && id[1] >= 'a' && id[1] <= 'z';
}

absl::string_view Article(absl::string_view noun) {
  return absl::string_view("aeiou").find(noun[0]) == absl::string_view::npos ? "a" : "an";
}

std::string ExpectedForm(CollectionId id) {
  if (id == CollectionId::kCommitments) {
    return "\"agreements/{agreement}/commitments/{commitment}\"";
  }
  return absl::StrCat("\"", Info(id).name, "/{", Info(id).singular, "}\"");
}

}  // namespace

absl::string_view CollectionName(CollectionId id) { return Info(id).name; }
absl::string_view MessageTypeName(CollectionId id) { return Info(id).message; }

bool IsValidResourceId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  if (id[0] < 'a' || id[0] > 'z') return false;
  if (id.back() == '-') return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

std::optional<CollectionId> CollectionOf(absl::string_view name) {
  // Called for every reference in a catalogue: no allocation.
  size_t slash = name.find('/');
  if (slash == absl::string_view::npos) return std::nullopt;
  absl::string_view collection = name.substr(0, slash);
  absl::string_view rest = name.substr(slash + 1);
  if (collection == "agreements") {
    size_t child = rest.find('/');
    if (child != absl::string_view::npos) {
      absl::string_view agreement = rest.substr(0, child);
      absl::string_view tail = rest.substr(child + 1);
      constexpr absl::string_view kCommitments = "commitments/";
      if (tail.substr(0, kCommitments.size()) != kCommitments) return std::nullopt;
      absl::string_view commitment = tail.substr(kCommitments.size());
      if (IsValidResourceId(agreement) && IsValidResourceId(commitment)) {
        return CollectionId::kCommitments;
      }
      return std::nullopt;
    }
  }
  if (rest.find('/') != absl::string_view::npos) return std::nullopt;
  for (CollectionId id : kAllCollections) {
    if (id == CollectionId::kCommitments || collection != Info(id).name) continue;
    bool ok = id == CollectionId::kCountries ? IsCountryCode(rest) : IsValidResourceId(rest);
    return ok ? std::optional<CollectionId>(id) : std::nullopt;
  }
  return std::nullopt;
}

absl::Status ValidateName(absl::string_view name, CollectionId collection) {
  std::optional<CollectionId> got = CollectionOf(name);
  if (got == collection) return absl::OkStatus();
  std::string rule = collection == CollectionId::kCountries
                         ? "{country} is a lowercase ISO 3166-1 alpha-2 code"
                         : "each id matches [a-z][a-z0-9-]{0,62} and does not end with '-'";
  if (name.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Article(Info(collection).singular), " ", Info(collection).singular,
                     " name is required: expected ",
                     ExpectedForm(collection), " where ", rule));
  }
  // Quote at most a prefix: the message travels in a trailer, and a
  // megabyte of echoed input would exceed the client's metadata limit.
  constexpr size_t kMaxQuoted = 128;
  // The cut backs up to a UTF-8 character boundary: the message is a proto
  // string in google.rpc.Status, which clients refuse if it is not UTF-8.
  size_t cut = kMaxQuoted;
  while (cut < name.size() && cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  std::string quoted = name.size() <= kMaxQuoted
                           ? std::string(name)
                           : absl::StrCat(name.substr(0, cut), "... (", name.size(), " bytes)");
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", quoted, "\" is not a valid ", Info(collection).singular, " name: expected ",
      ExpectedForm(collection), " where ", rule));
}

absl::string_view ParentOfCommitment(absl::string_view name) {
  size_t pos = name.find("/commitments/");
  return pos == absl::string_view::npos ? absl::string_view() : name.substr(0, pos);
}

}  // namespace accord::catalog
