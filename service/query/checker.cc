#include "service/query/checker.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/query/date_literal.h"
#include "service/query/errors.h"
#include "service/query/lexer.h"
#include "service/query/parser.h"

namespace accord::query {

Value Literal::AsValue() const {
  Value v;
  v.type = type;
  v.str = str;
  v.num = num;
  v.date = date;
  return v;
}

namespace {

const char* TypeWord(Type type) {
  switch (type) {
    case Type::kString:
      return "a string";
    case Type::kEnum:
      return "an enum";
    case Type::kBool:
      return "a bool";
    case Type::kInt:
      return "an integer";
    case Type::kDate:
      return "a date";
  }
  return "a value";
}

std::string KnownFieldList(const Schema& schema, absl::string_view prefix) {
  constexpr size_t kMaxListed = 60;
  std::vector<absl::string_view> names;
  for (const auto& field : schema.fields()) {
    if (absl::StartsWith(field->path, prefix)) names.push_back(field->path);
  }
  std::string list =
      absl::StrJoin(names.begin(), names.begin() + std::min(names.size(), kMaxListed), ", ");
  if (names.size() > kMaxListed) absl::StrAppend(&list, ", ...");
  return list;
}

absl::Status UnknownField(const Schema& schema, const std::string& path, size_t offset) {
  std::string message = absl::StrCat("unknown field ", QuoteForError(path));
  if (schema.descriptor() != nullptr) {
    absl::StrAppend(&message, " in ", schema.descriptor()->full_name());
  }
  // "events" names a message whose fields are filterable.
  const std::string prefix = absl::StrCat(path, ".");
  std::string below = KnownFieldList(schema, prefix);
  if (!below.empty()) {
    absl::StrAppend(&message, "; it is a message: name one of its fields: ", below);
    return FilterError(FilterReason::kUnknownField, offset, message);
  }
  const absl::string_view best = schema.ClosestName(path);
  if (!best.empty()) {
    absl::StrAppend(&message, "; did you mean ", QuoteForError(best), "?");
  } else {
    absl::StrAppend(&message, "; known fields: ", KnownFieldList(schema, ""));
  }
  return FilterError(FilterReason::kUnknownField, offset, message);
}

absl::Status Mismatch(size_t offset, absl::string_view message) {
  return FilterError(FilterReason::kTypeMismatch, offset, message);
}

bool IsOrdered(Comparator op) {
  return op == Comparator::kLt || op == Comparator::kLe || op == Comparator::kGt ||
         op == Comparator::kGe;
}

std::string EnumNames(const google::protobuf::EnumDescriptor* e) {
  std::vector<std::string> names;
  for (int i = 0; i < e->value_count(); ++i) names.push_back(e->value(i)->name());
  return absl::StrJoin(names, ", ");
}

const Field* ExampleField(const Schema& schema) {
  if (const Field* title = schema.Find("title"); title != nullptr) return title;
  for (const auto& f : schema.fields()) {
    if (f->type == Type::kString && !f->repeated) return f.get();
  }
  return schema.fields().empty() ? nullptr : schema.fields().front().get();
}

std::string ExampleValue(const Field& field) {
  switch (field.type) {
    case Type::kString:
      return "\"...\"";
    case Type::kEnum:
      return field.enum_type != nullptr && field.enum_type->value_count() > 1
                 ? field.enum_type->value(1)->name()
                 : "VALUE";
    case Type::kBool:
      return "true";
    case Type::kInt:
      return "1";
    case Type::kDate:
      return "2025-10-26";
  }
  return "...";
}

absl::Status BareValue(const ParsedExpr& node, const Schema& schema) {
  const std::string path = absl::StrJoin(node.path, ".");
  if (const Field* field = schema.Find(path); field != nullptr) {
    return FilterError(FilterReason::kSyntax, node.offset,
                       absl::StrCat("bare literal ", QuoteForError(path),
                                    " has no comparator (free-text search is not supported); "
                                    "write a comparison, e.g. ",
                                    path, field->type == Type::kBool ? " = " : ":",
                                    field->type == Type::kBool ? "true" : "*"));
  }
  const Field* example = ExampleField(schema);
  std::string hint = "name a field and a comparator";
  if (example != nullptr) {
    hint =
        absl::StrCat("name a field, e.g. ", example->path, " = ",
                     example->type == Type::kString ? QuoteForError(path) : ExampleValue(*example));
  }
  return FilterError(FilterReason::kSyntax, node.offset,
                     absl::StrCat("bare literal ", QuoteForError(path),
                                  ": free-text search is not supported; ", hint));
}

absl::StatusOr<Restriction> CheckRestriction(const ParsedExpr& node, const Schema& schema) {
  if (!node.has_op) return BareValue(node, schema);
  const std::string path = absl::StrJoin(node.path, ".");
  const Field* field = schema.Find(path);
  if (field == nullptr) return UnknownField(schema, path, node.offset);

  Restriction r;
  r.field = field;
  r.op = node.op;
  r.offset = node.offset;
  r.literal.type = field->type;
  const std::string op = ComparatorSpelling(node.op);

  if (node.op == Comparator::kHas && node.arg == "*") {
    r.literal.kind = Literal::Kind::kHasAny;
    return r;
  }
  const bool wildcard = HasUnescapedStar(node.arg);
  if (wildcard && field->type != Type::kString) {
    return Mismatch(node.arg_offset,
                    absl::StrCat("wildcards ('*') apply only to string fields, and ",
                                 QuoteForError(path), " is ", TypeWord(field->type),
                                 " field; to test for any value write ", path, ":*"));
  }
  if (wildcard && IsOrdered(node.op)) {
    return Mismatch(node.arg_offset,
                    absl::StrCat("wildcards ('*') can only be used with =, != and :, not ", op,
                                 "; escape a literal star as \\*"));
  }
  if (IsOrdered(node.op) && field->type == Type::kBool) {
    return Mismatch(node.op_offset, absl::StrCat("'", op, "' does not apply to the bool field ",
                                                 QuoteForError(path), "; use = or !="));
  }
  const std::string text = UnescapeLiteral(node.arg);
  switch (field->type) {
    case Type::kString:
      if (wildcard) {
        r.literal.kind = Literal::Kind::kPattern;
        r.literal.pattern = Pattern::FromEscaped(node.arg);
      } else {
        r.literal.str = text;
      }
      return r;
    case Type::kEnum: {
      const google::protobuf::EnumValueDescriptor* value =
          field->enum_type == nullptr ? nullptr : field->enum_type->FindValueByName(text);
      if (value == nullptr) {
        std::string message =
            absl::StrCat(QuoteForError(text), " is not a value of ", QuoteForError(path));
        if (field->enum_type != nullptr) {
          absl::StrAppend(&message, " (", field->enum_type->full_name(),
                          "); valid values: ", EnumNames(field->enum_type));
        }
        absl::StrAppend(&message, " (names are case-sensitive)");
        return Mismatch(node.arg_offset, message);
      }
      r.literal.num = value->number();
      return r;
    }
    case Type::kBool:
      if (text == "true") {
        r.literal.num = 1;
      } else if (text == "false") {
        r.literal.num = 0;
      } else {
        return Mismatch(node.arg_offset, absl::StrCat(QuoteForError(path),
                                                      " is a bool field: write true or false, not ",
                                                      QuoteForError(text)));
      }
      return r;
    case Type::kInt:
      if (!absl::SimpleAtoi(text, &r.literal.num)) {
        return Mismatch(node.arg_offset,
                        absl::StrCat(QuoteForError(path), " is an integer field, and ",
                                     QuoteForError(text), " is not an integer"));
      }
      return r;
    case Type::kDate: {
      absl::StatusOr<DateRange> date = ParseDateLiteral(text);
      if (!date.ok()) {
        return Mismatch(
            node.arg_offset,
            absl::StrCat(QuoteForError(path), " is a date field: ", date.status().message()));
      }
      r.literal.date = *date;
      return r;
    }
  }
  return Mismatch(node.arg_offset, "unsupported field type");
}

// Depth is bounded by the parser's nesting limit.
absl::StatusOr<CheckedExpr> CheckNode(const ParsedExpr& node, const Schema& schema) {
  CheckedExpr out;
  switch (node.kind) {
    case ParsedExpr::Kind::kAnd:
      out.kind = CheckedExpr::Kind::kAnd;
      break;
    case ParsedExpr::Kind::kOr:
      out.kind = CheckedExpr::Kind::kOr;
      break;
    case ParsedExpr::Kind::kNot:
      out.kind = CheckedExpr::Kind::kNot;
      break;
    case ParsedExpr::Kind::kRestriction: {
      out.kind = CheckedExpr::Kind::kRestriction;
      absl::StatusOr<Restriction> r = CheckRestriction(node, schema);
      if (!r.ok()) return r.status();
      out.restriction = *std::move(r);
      return out;
    }
  }
  out.children.reserve(node.children.size());
  for (const ParsedExpr& child : node.children) {
    absl::StatusOr<CheckedExpr> checked = CheckNode(child, schema);
    if (!checked.ok()) return checked.status();
    out.children.push_back(*std::move(checked));
  }
  return out;
}

void AppendDebug(const CheckedExpr& expr, std::string* out) {
  if (expr.kind != CheckedExpr::Kind::kRestriction) {
    out->append(expr.kind == CheckedExpr::Kind::kAnd  ? "(AND"
                : expr.kind == CheckedExpr::Kind::kOr ? "(OR"
                                                      : "(NOT");
    for (const CheckedExpr& child : expr.children) {
      out->push_back(' ');
      AppendDebug(child, out);
    }
    out->push_back(')');
    return;
  }
  const Restriction& r = expr.restriction;
  out->append(r.field != nullptr ? r.field->path : "?");
  out->append(ComparatorSpelling(r.op));
  const Literal& l = r.literal;
  switch (l.kind) {
    case Literal::Kind::kHasAny:
      out->append("*");
      return;
    case Literal::Kind::kPattern:
      absl::StrAppend(out, "\"", absl::StrJoin(l.pattern.pieces(), "*"), "\"");
      return;
    case Literal::Kind::kValue:
      break;
  }
  switch (l.type) {
    case Type::kString:
      absl::StrAppend(out, "\"", l.str, "\"");
      return;
    case Type::kDate:
      absl::StrAppend(out, "[", l.date.first, ",", l.date.last, "]");
      return;
    default:
      absl::StrAppend(out, l.num);
      return;
  }
}

}  // namespace

absl::StatusOr<CheckedExpr> Check(const ParsedExpr& parsed, const Schema& schema) {
  return CheckNode(parsed, schema);
}

absl::StatusOr<CheckedExpr> CompileFilter(absl::string_view filter, const Schema& schema) {
  absl::StatusOr<ParsedExpr> parsed = ParseFilter(filter);
  if (!parsed.ok()) return parsed.status();
  return Check(*parsed, schema);
}

std::string DebugString(const CheckedExpr& expr) {
  std::string out;
  AppendDebug(expr, &out);
  return out;
}

}  // namespace accord::query
