#include "tools/accord_catalog/textproto_format.h"

#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"

namespace accord::tools {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::io::Tokenizer;

constexpr absl::string_view kDateType = "accord.v1.Date";

// What lies between two tokens: comments and blank lines, in order.
struct GapItem {
  enum class Kind { kComment, kBlank };
  Kind kind;
  std::string comment;     // "# ..." without trailing whitespace
  bool same_line = false;  // on the line of the token before the gap
};

struct Tok {
  Tokenizer::TokenType type;
  std::string text;
  int line;
  int column;
  std::vector<GapItem> before;  // the gap before this token
};

class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (message_.empty()) message_ = absl::StrCat(line + 1, ":", column + 1, ": ", message);
  }
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

// Byte offset of (line, column) as the tokenizer counts columns: one per
// byte, tabs to the next multiple of 8.
class Positions {
 public:
  explicit Positions(absl::string_view text) : text_(text) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') line_starts_.push_back(i + 1);
    }
  }
  size_t Offset(int line, int column) const {
    if (line >= static_cast<int>(line_starts_.size())) return text_.size();
    size_t i = line_starts_[line];
    int col = 0;
    while (col < column && i < text_.size() && text_[i] != '\n') {
      col = text_[i] == '\t' ? col + 8 - col % 8 : col + 1;
      ++i;
    }
    return i;
  }

 private:
  absl::string_view text_;
  std::vector<size_t> line_starts_;
};

std::vector<GapItem> ScanGap(absl::string_view gap, bool after_token) {
  std::vector<GapItem> items;
  int newlines = 0;  // since the last token or comment
  bool seen_newline = false;
  size_t i = 0;
  while (i < gap.size()) {
    char c = gap[i];
    if (c == '\n') {
      ++newlines;
      seen_newline = true;
      ++i;
    } else if (c == '#') {
      size_t end = gap.find('\n', i);
      if (end == absl::string_view::npos) end = gap.size();
      if (newlines >= 2) items.push_back({GapItem::Kind::kBlank, "", false});
      items.push_back({GapItem::Kind::kComment,
                       std::string(absl::StripTrailingAsciiWhitespace(gap.substr(i, end - i))),
                       after_token && !seen_newline});
      newlines = 0;
      i = end;
    } else {
      ++i;
    }
  }
  if (newlines >= 2) items.push_back({GapItem::Kind::kBlank, "", false});
  return items;
}

class Formatter {
 public:
  Formatter(std::vector<Tok> tokens, std::vector<GapItem> trailer)
      : toks_(std::move(tokens)), trailer_(std::move(trailer)) {}

  absl::StatusOr<std::string> Run(const Descriptor* type) {
    absl::Status s = Message(type, "");
    if (!s.ok()) return s;
    Gap(trailer_, /*at_block_end=*/true);
    std::string out = absl::StrJoin(lines_, "\n");
    // No blank lines at the start or end.
    while (!lines_.empty() && lines_.back().empty()) lines_.pop_back();
    out = absl::StrJoin(lines_, "\n");
    size_t start = out.find_first_not_of('\n');
    out = start == std::string::npos ? "" : out.substr(start);
    if (!out.empty()) out.push_back('\n');
    return out;
  }

 private:
  bool AtEnd() const { return pos_ >= toks_.size(); }
  const Tok& Cur() const { return toks_[pos_]; }
  bool Is(absl::string_view text) const {
    return !AtEnd() && Cur().type == Tokenizer::TYPE_SYMBOL && Cur().text == text;
  }
  absl::Status Error(absl::string_view problem) const {
    if (AtEnd()) return absl::InvalidArgumentError(absl::StrCat("end of input: ", problem));
    return absl::InvalidArgumentError(
        absl::StrCat(Cur().line + 1, ":", Cur().column + 1, ": ", problem));
  }

  void NewLine(std::string text) {
    if (pending_blank_ && !lines_.empty() && !block_start_) lines_.push_back("");
    pending_blank_ = false;
    block_start_ = false;
    lines_.push_back(absl::StrCat(indent_, text));
  }

  // Emits the comments and blank lines of a gap. `at_block_end`: a `}` or
  // the end of input follows, so a blank line is dropped.
  void Gap(const std::vector<GapItem>& items, bool at_block_end) {
    for (const GapItem& item : items) {
      if (item.kind == GapItem::Kind::kBlank) {
        pending_blank_ = true;
      } else if (item.same_line && !lines_.empty() && !block_start_comment_guard_) {
        absl::StrAppend(&lines_.back(), "  ", item.comment);
      } else {
        NewLine(item.comment);
      }
    }
    if (at_block_end) pending_blank_ = false;
  }

  // Comments in a gap inside one field (e.g. between `name:` and the value)
  // go on their own lines before the field.
  void HoistComments(const std::vector<GapItem>& items, std::vector<std::string>* out) {
    for (const GapItem& item : items) {
      if (item.kind == GapItem::Kind::kComment) out->push_back(item.comment);
    }
  }

  // True if the message starting after the `{` at pos_ has only scalar
  // fields and no comments, so it can go on one line.
  bool SimpleBody(size_t open) const {
    int depth = 0;
    for (size_t i = open; i < toks_.size(); ++i) {
      if (i > open) {
        for (const GapItem& g : toks_[i].before) {
          if (g.kind == GapItem::Kind::kComment) return false;
        }
      }
      const Tok& t = toks_[i];
      if (t.type != Tokenizer::TYPE_SYMBOL) continue;
      if (t.text == "{" || t.text == "<") {
        if (++depth > 1) return false;
      } else if (t.text == "}" || t.text == ">") {
        if (--depth == 0) return true;
      } else if (t.text == "[") {
        return false;
      }
    }
    return false;
  }

  // One scalar value: a signed number or identifier, or adjacent strings.
  absl::StatusOr<std::string> Scalar(std::vector<std::string>* hoisted) {
    if (AtEnd()) return Error("a value is missing");
    std::string value;
    if (Is("-")) {
      value = "-";
      ++pos_;
      if (AtEnd()) return Error("a value is missing");
      HoistComments(Cur().before, hoisted);
    }
    if (Cur().type == Tokenizer::TYPE_STRING) {
      value += Cur().text;
      ++pos_;
      while (!AtEnd() && Cur().type == Tokenizer::TYPE_STRING) {
        HoistComments(Cur().before, hoisted);
        absl::StrAppend(&value, " ", Cur().text);
        ++pos_;
      }
      return value;
    }
    if (Cur().type == Tokenizer::TYPE_SYMBOL)
      return Error(absl::StrCat("unexpected \"", Cur().text, "\""));
    value += Cur().text;
    ++pos_;
    return value;
  }

  // The fields of a message up to its closing `close` ("" at top level).
  absl::Status Message(const Descriptor* type, absl::string_view close) {
    while (true) {
      if (AtEnd()) {
        if (!close.empty()) return Error(absl::StrCat("\"", close, "\" is missing"));
        return absl::OkStatus();
      }
      if (Is("}") || Is(">")) {
        if (close.empty() || Cur().text != close) return Error("unbalanced closing brace");
        Gap(Cur().before, /*at_block_end=*/true);
        return absl::OkStatus();
      }
      Gap(Cur().before, /*at_block_end=*/false);
      if (Is("[")) return Error("extensions and Any expansions are not supported");
      if (Cur().type != Tokenizer::TYPE_IDENTIFIER) return Error("a field name is expected");
      std::string name = Cur().text;
      const FieldDescriptor* field = type->FindFieldByName(name);
      if (field == nullptr) field = type->FindFieldByLowercaseName(absl::AsciiStrToLower(name));
      if (field == nullptr) {
        return Error(absl::StrCat(type->full_name(), " has no field \"", name, "\""));
      }
      ++pos_;
      std::vector<std::string> hoisted;
      if (Is(":")) {
        ++pos_;
        if (!AtEnd()) HoistComments(Cur().before, &hoisted);
      }
      for (const std::string& c : hoisted) NewLine(c);
      hoisted.clear();
      if (Is("[")) {
        ++pos_;
        bool first = true;
        while (!Is("]")) {
          if (AtEnd()) return Error("\"]\" is missing");
          if (!first) {
            if (!Is(",")) return Error("\",\" or \"]\" expected");
            ++pos_;
          }
          first = false;
          if (!AtEnd()) HoistComments(Cur().before, &hoisted);
          for (const std::string& c : hoisted) NewLine(c);
          hoisted.clear();
          if (absl::Status s = Value(field, name); !s.ok()) return s;
        }
        ++pos_;
      } else {
        if (absl::Status s = Value(field, name); !s.ok()) return s;
      }
      if (Is(";") || Is(",")) ++pos_;
    }
  }

  // One value of `field`, written as a line (or block) named `name`.
  absl::Status Value(const FieldDescriptor* field, const std::string& name) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      std::vector<std::string> hoisted;
      absl::StatusOr<std::string> v = Scalar(&hoisted);
      if (!v.ok()) return v.status();
      for (const std::string& c : hoisted) NewLine(c);
      NewLine(absl::StrCat(name, ": ", *v));
      return absl::OkStatus();
    }
    if (!Is("{") && !Is("<")) return Error("\"{\" expected");
    std::string close = Is("{") ? "}" : ">";
    if (field->message_type()->full_name() == kDateType && SimpleBody(pos_)) {
      ++pos_;
      std::vector<std::string> parts;
      while (!Is(close)) {
        if (AtEnd() || Cur().type != Tokenizer::TYPE_IDENTIFIER)
          return Error("a field name is expected");
        std::string sub_name = Cur().text;
        ++pos_;
        if (Is(":")) ++pos_;
        std::vector<std::string> ignored;
        absl::StatusOr<std::string> v = Scalar(&ignored);
        if (!v.ok()) return v.status();
        parts.push_back(absl::StrCat(sub_name, ": ", *v));
        if (Is(";") || Is(",")) ++pos_;
      }
      ++pos_;
      NewLine(parts.empty() ? absl::StrCat(name, " {}")
                            : absl::StrCat(name, " { ", absl::StrJoin(parts, " "), " }"));
      return absl::OkStatus();
    }
    ++pos_;
    NewLine(absl::StrCat(name, " {"));
    // A comment on the line of the `{` stays there.
    if (!AtEnd()) {
      std::vector<GapItem> rest;
      for (const GapItem& g : Cur().before) {
        if (g.kind == GapItem::Kind::kComment && g.same_line && rest.empty()) {
          absl::StrAppend(&lines_.back(), "  ", g.comment);
        } else {
          rest.push_back(g);
        }
      }
      toks_[pos_].before = std::move(rest);
    }
    block_start_ = true;
    std::string saved = indent_;
    indent_ += "  ";
    if (absl::Status s = Message(field->message_type(), close); !s.ok()) return s;
    indent_ = saved;
    ++pos_;  // the closing brace
    block_start_ = false;
    pending_blank_ = false;
    lines_.push_back(absl::StrCat(indent_, "}"));
    return absl::OkStatus();
  }

  std::vector<Tok> toks_;
  std::vector<GapItem> trailer_;
  size_t pos_ = 0;
  std::vector<std::string> lines_;
  std::string indent_;
  bool pending_blank_ = false;
  bool block_start_ = false;
  bool block_start_comment_guard_ = false;
};

absl::Status ParseInto(absl::string_view text, google::protobuf::Message* m) {
  google::protobuf::TextFormat::Parser parser;
  FirstError errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), m)) {
    return absl::InvalidArgumentError(errors.message().empty() ? "parse error" : errors.message());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> FormatTextproto(absl::string_view text, const Descriptor* type) {
  google::protobuf::DynamicMessageFactory factory;
  std::unique_ptr<google::protobuf::Message> before(factory.GetPrototype(type)->New());
  if (absl::Status s = ParseInto(text, before.get()); !s.ok()) return s;

  google::protobuf::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  FirstError errors;
  Tokenizer tokenizer(&input, &errors);
  tokenizer.set_comment_style(Tokenizer::SH_COMMENT_STYLE);
  tokenizer.set_require_space_after_number(false);
  tokenizer.set_allow_multiline_strings(false);
  Positions positions(text);
  std::vector<Tok> tokens;
  size_t prev_end = 0;
  bool after_token = false;
  while (tokenizer.Next()) {
    const Tokenizer::Token& t = tokenizer.current();
    size_t start = positions.Offset(t.line, t.column);
    Tok tok{t.type, t.text, t.line, t.column,
            ScanGap(text.substr(prev_end, start - prev_end), after_token)};
    tokens.push_back(std::move(tok));
    prev_end = positions.Offset(t.line, t.end_column);
    after_token = true;
  }
  if (!errors.message().empty()) return absl::InvalidArgumentError(errors.message());
  std::vector<GapItem> trailer = ScanGap(text.substr(prev_end), after_token);

  Formatter formatter(std::move(tokens), std::move(trailer));
  absl::StatusOr<std::string> out = formatter.Run(type);
  if (!out.ok()) return out;

  std::unique_ptr<google::protobuf::Message> after(factory.GetPrototype(type)->New());
  absl::Status reparsed = ParseInto(*out, after.get());
  if (!reparsed.ok() || !google::protobuf::util::MessageDifferencer::Equals(*before, *after)) {
    return absl::InternalError("formatting would change the content; the file is left as is");
  }
  return out;
}

}  // namespace accord::tools
