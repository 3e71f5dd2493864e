#include "service/query/errors.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace accord::query {

const char* FilterReasonName(FilterReason reason) {
  switch (reason) {
    case FilterReason::kSyntax:
      return "FILTER_SYNTAX";
    case FilterReason::kUnknownField:
      return "UNKNOWN_FIELD";
    case FilterReason::kTypeMismatch:
      return "TYPE_MISMATCH";
    case FilterReason::kTooComplex:
      return "FILTER_TOO_COMPLEX";
  }
  return "FILTER_SYNTAX";
}

absl::Status FilterError(FilterReason reason, size_t offset, absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(absl::StrCat("offset ", offset, ": ", message));
  status.SetPayload(kFilterOffsetPayload, absl::Cord(absl::StrCat(offset)));
  status.SetPayload(kFilterReasonPayload, absl::Cord(FilterReasonName(reason)));
  return status;
}

absl::Status OrderByError(size_t offset, absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(absl::StrCat("offset ", offset, ": ", message));
  status.SetPayload(kOrderByOffsetPayload, absl::Cord(absl::StrCat(offset)));
  status.SetPayload(kOrderByReasonPayload, absl::Cord("INVALID_ORDER_BY"));
  return status;
}

std::optional<FilterReason> GetFilterReason(const absl::Status& status) {
  auto payload = status.GetPayload(kFilterReasonPayload);
  if (!payload.has_value()) return std::nullopt;
  const std::string name(*payload);
  for (FilterReason r : {FilterReason::kSyntax, FilterReason::kUnknownField,
                         FilterReason::kTypeMismatch, FilterReason::kTooComplex}) {
    if (FilterReasonName(r) == name) return r;
  }
  return std::nullopt;
}

std::optional<size_t> GetErrorOffset(const absl::Status& status) {
  auto payload = status.GetPayload(kFilterOffsetPayload);
  if (!payload.has_value()) payload = status.GetPayload(kOrderByOffsetPayload);
  if (!payload.has_value()) return std::nullopt;
  size_t offset = 0;
  if (!absl::SimpleAtoi(std::string(*payload), &offset)) return std::nullopt;
  return offset;
}

std::string QuoteForError(absl::string_view text) {
  constexpr size_t kMaxShown = 64;
  std::string out = "\"";
  size_t shown = 0;
  for (unsigned char c : text) {
    // Cut long text, but never inside a UTF-8 sequence.
    if (shown >= kMaxShown && (c & 0xC0) != 0x80) {
      out += "...";
      break;
    }
    ++shown;
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      absl::StrAppendFormat(&out, "\\x%02x", static_cast<unsigned>(c));
    } else {
      out += static_cast<char>(c);
    }
  }
  out += "\"";
  return out;
}

}  // namespace accord::query
