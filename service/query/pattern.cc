#include "service/query/pattern.h"

namespace accord::query {

Pattern Pattern::FromEscaped(absl::string_view escaped) {
  Pattern p;
  p.pieces_.assign(1, std::string());
  for (size_t i = 0; i < escaped.size(); ++i) {
    const char c = escaped[i];
    if (c == '\\' && i + 1 < escaped.size()) {
      p.pieces_.back().push_back(escaped[++i]);
    } else if (c == '*') {
      p.pieces_.emplace_back();
    } else {
      p.pieces_.back().push_back(c);
    }
  }
  return p;
}

bool Pattern::Matches(absl::string_view text) const {
  if (pieces_.size() == 1) return text == pieces_.front();
  const std::string& first = pieces_.front();
  const std::string& last = pieces_.back();
  if (text.size() < first.size() + last.size()) return false;
  if (text.substr(0, first.size()) != first) return false;
  if (text.substr(text.size() - last.size()) != last) return false;
  // Greedy leftmost placement of the middle pieces is optimal: placing a
  // piece as early as possible leaves the most room for the rest.
  absl::string_view middle = text.substr(first.size(), text.size() - first.size() - last.size());
  for (size_t i = 1; i + 1 < pieces_.size(); ++i) {
    const size_t at = middle.find(pieces_[i]);
    if (at == absl::string_view::npos) return false;
    middle.remove_prefix(at + pieces_[i].size());
  }
  return true;
}

}  // namespace accord::query
