// String patterns with `*` wildcards, as `title = "*Trade*"` uses them.
#ifndef ACCORD_SERVICE_QUERY_PATTERN_H_
#define ACCORD_SERVICE_QUERY_PATTERN_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace accord::query {

// A pattern where `*` stands for any sequence of bytes (possibly empty)
// and every other byte stands for itself; matching is case-sensitive and
// must cover the whole string.
class Pattern {
 public:
  Pattern() = default;
  // From the lexer's escaped form (see Token): an unescaped `*` is a
  // wildcard, `\*` a literal star and `\\` a literal backslash.
  static Pattern FromEscaped(absl::string_view escaped);

  // True when `text` matches. Linear in text.size() times the number of
  // literal pieces; never backtracks exponentially.
  bool Matches(absl::string_view text) const;

  // The literal pieces between the wildcards: "a*b*" is {"a", "b", ""}.
  // There is always one more piece than there are wildcards.
  const std::vector<std::string>& pieces() const { return pieces_; }
  // True when the pattern has at least one wildcard.
  bool has_wildcard() const { return pieces_.size() > 1; }
  // The literal prefix before the first wildcard (for prefix indexes).
  absl::string_view prefix() const {
    return pieces_.empty() ? absl::string_view() : absl::string_view(pieces_.front());
  }

 private:
  std::vector<std::string> pieces_{std::string()};
};

}  // namespace accord::query

#endif  // ACCORD_SERVICE_QUERY_PATTERN_H_
