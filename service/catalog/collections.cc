#include "service/catalog/collections.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace accord::catalog {
namespace {

const registry::Collection& Info(CollectionId id) { return registry::Get(id); }

bool IsCountryCode(absl::string_view id) {
  return id.size() == 2 && id[0] >= 'a' && id[0] <= 'z' && id[1] >= 'a' && id[1] <= 'z';
}

bool IdMatches(const registry::Collection& c, absl::string_view id) {
  return c.id_rule == registry::IdRule::kIsoAlpha2 ? IsCountryCode(id) : IsValidResourceId(id);
}

absl::string_view Article(absl::string_view noun) {
  return absl::string_view("aeiou").find(noun[0]) == absl::string_view::npos ? "a" : "an";
}

std::string ExpectedForm(CollectionId id) {
  const registry::Collection& c = Info(id);
  std::string own = absl::StrCat(c.collection_id, "/{", c.singular, "}");
  if (c.parent)
    return absl::StrCat("\"", Info(*c.parent).collection_id, "/{", Info(*c.parent).singular, "}/",
                        own, "\"");
  return absl::StrCat("\"", own, "\"");
}

}  // namespace

absl::string_view CollectionName(CollectionId id) { return Info(id).collection_id; }
absl::string_view MessageTypeName(CollectionId id) { return Info(id).message->full_name(); }

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
  // Called for every reference in a catalogue: no allocation. A name is
  // "{collection}/{id}", or "{parent collection}/{id}/{collection}/{id}" for
  // a collection the registry places under a parent.
  absl::string_view segments[4];
  int n = 0;
  for (absl::string_view rest = name;;) {
    if (n == 4) return std::nullopt;
    size_t slash = rest.find('/');
    segments[n++] = rest.substr(0, slash);
    if (slash == absl::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  if (n != 2 && n != 4) return std::nullopt;
  for (const registry::Collection& c : registry::All()) {
    if (segments[n - 2] != c.collection_id || c.parent.has_value() != (n == 4)) continue;
    if (n == 4 && (segments[0] != Info(*c.parent).collection_id ||
                   !IdMatches(Info(*c.parent), segments[1]))) {
      return std::nullopt;
    }
    return IdMatches(c, segments[n - 1]) ? std::optional<CollectionId>(c.id) : std::nullopt;
  }
  return std::nullopt;
}

absl::Status ValidateName(absl::string_view name, CollectionId collection) {
  std::optional<CollectionId> got = CollectionOf(name);
  if (got == collection) return absl::OkStatus();
  std::string rule = Info(collection).id_rule == registry::IdRule::kIsoAlpha2
                         ? "{country} is a lowercase ISO 3166-1 alpha-2 code"
                         : "each id matches [a-z][a-z0-9-]{0,62} and does not end with '-'";
  if (name.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Article(Info(collection).singular), " ", Info(collection).singular,
                     " name is required: expected ", ExpectedForm(collection), " where ", rule));
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
  return absl::InvalidArgumentError(absl::StrCat("\"", quoted, "\" is not a valid ",
                                                 Info(collection).singular, " name: expected ",
                                                 ExpectedForm(collection), " where ", rule));
}

absl::string_view ParentOfCommitment(absl::string_view name) {
  size_t pos = name.find("/commitments/");
  return pos == absl::string_view::npos ? absl::string_view() : name.substr(0, pos);
}

}  // namespace accord::catalog
