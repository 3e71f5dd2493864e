#include "service/query/order_by.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/query/errors.h"
#include "service/query/lexer.h"
#include "service/query/limits.h"

namespace accord::query {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsPathChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

int Sign(bool less, bool greater) { return less ? -1 : (greater ? 1 : 0); }

int CompareValues(const Value& a, const Value& b) {
  switch (a.type) {
    case Type::kString: {
      const int c = a.str.compare(b.str);
      return Sign(c<0, c> 0);
    }
    case Type::kDate:
      if (a.date.first != b.date.first) return Sign(a.date.first < b.date.first, true);
      return Sign(a.date.last<b.date.last, a.date.last> b.date.last);
    default:
      return Sign(a.num<b.num, a.num> b.num);
  }
}

}  // namespace

absl::StatusOr<std::vector<OrderKey>> ParseOrderBy(absl::string_view order_by,
                                                   const Schema& schema) {
  std::vector<OrderKey> keys;
  if (order_by.size() > kMaxOrderByLength) {
    return OrderByError(kMaxOrderByLength,
                        absl::StrCat("order_by is ", order_by.size(), " bytes long; the limit is ",
                                     kMaxOrderByLength));
  }
  if (size_t bad = FindInvalidUtf8(order_by); bad != absl::string_view::npos) {
    return OrderByError(bad, "order_by is not valid UTF-8");
  }
  const size_t n = order_by.size();
  size_t i = 0;
  auto skip_space = [&] {
    while (i < n && IsSpace(order_by[i])) ++i;
  };
  skip_space();
  if (i == n) return keys;
  while (true) {
    skip_space();
    const size_t start = i;
    while (i < n && IsPathChar(order_by[i])) ++i;
    const absl::string_view path = order_by.substr(start, i - start);
    if (path.empty()) {
      if (i == n || order_by[i] == ',') {
        return OrderByError(i, "expected a field name (empty sort key)");
      }
      return OrderByError(
          i, absl::StrCat("unexpected character ", QuoteForError(order_by.substr(i, 1)),
                          "; order_by is \"field [desc], ...\""));
    }
    if (i < n && !IsSpace(order_by[i]) && order_by[i] != ',') {
      return OrderByError(
          i, absl::StrCat("unexpected character ", QuoteForError(order_by.substr(i, 1)),
                          " in field name ", QuoteForError(path)));
    }
    const Field* field = schema.Find(path);
    if (field == nullptr) {
      std::string message = absl::StrCat("unknown field ", QuoteForError(path));
      if (absl::string_view best = schema.ClosestName(path); !best.empty()) {
        absl::StrAppend(&message, "; did you mean ", QuoteForError(best), "?");
      }
      return OrderByError(start, message);
    }
    if (field->repeated) {
      return OrderByError(start, absl::StrCat("cannot sort by ", QuoteForError(path),
                                              ": it can have many values per record"));
    }
    for (const OrderKey& key : keys) {
      if (key.field == field) {
        return OrderByError(start, absl::StrCat(QuoteForError(path), " is given twice"));
      }
    }
    if (static_cast<int>(keys.size()) == kMaxOrderByKeys) {
      return OrderByError(start,
                          absl::StrCat("order_by has more than ", kMaxOrderByKeys, " sort keys"));
    }
    OrderKey key{field, false};
    skip_space();
    if (i < n && order_by[i] != ',') {
      const size_t word_start = i;
      while (i < n && !IsSpace(order_by[i]) && order_by[i] != ',') ++i;
      const absl::string_view word = order_by.substr(word_start, i - word_start);
      if (absl::EqualsIgnoreCase(word, "desc")) {
        key.desc = true;
      } else if (!absl::EqualsIgnoreCase(word, "asc")) {
        return OrderByError(word_start,
                            absl::StrCat("expected asc, desc or ',' after ", QuoteForError(path),
                                         ", found ", QuoteForError(word)));
      }
      skip_space();
    }
    keys.push_back(key);
    if (i == n) return keys;
    if (order_by[i] != ',') {
      return OrderByError(i, absl::StrCat("expected ',' or end of order_by, found ",
                                          QuoteForError(order_by.substr(i, 1))));
    }
    ++i;  // the comma; a key must follow
  }
}

int CompareForOrder(const std::vector<OrderKey>& keys, const google::protobuf::Message& a,
                    const google::protobuf::Message& b) {
  thread_local std::vector<Value> scratch;
  for (const OrderKey& key : keys) {
    if (key.field == nullptr || !key.field->extract) continue;
    const size_t base = scratch.size();
    key.field->extract(a, &scratch);
    const size_t mid = scratch.size();
    key.field->extract(b, &scratch);
    const bool has_a = mid > base;
    const bool has_b = scratch.size() > mid;
    int c;
    if (has_a && has_b) {
      c = CompareValues(scratch[base], scratch[mid]);
    } else {
      c = Sign(!has_a && has_b, has_a && !has_b);
    }
    scratch.resize(base);
    if (c != 0) return key.desc ? -c : c;
  }
  return 0;
}

}  // namespace accord::query
