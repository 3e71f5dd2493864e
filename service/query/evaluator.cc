#include "service/query/evaluator.h"

#include <vector>

namespace accord::query {
namespace {

template <typename T>
bool Ordered(Comparator op, const T& a, const T& b) {
  switch (op) {
    case Comparator::kEq:
    case Comparator::kHas:
    case Comparator::kNe:  // the positive form of != is equality
      return a == b;
    case Comparator::kLt:
      return a < b;
    case Comparator::kLe:
      return a <= b;
    case Comparator::kGt:
      return a > b;
    case Comparator::kGe:
      return a >= b;
  }
  return false;
}

bool Present(const Field& field, const Value& v) {
  if (field.explicit_presence) return true;
  switch (v.type) {
    case Type::kString:
      return !v.str.empty();
    case Type::kDate:
      return !v.date.empty();
    default:
      return v.num != 0;
  }
}

}  // namespace

bool DateSatisfies(Comparator op, const DateRange& v, const DateRange& literal) {
  if (v.empty()) return false;
  switch (op) {
    case Comparator::kEq:
    case Comparator::kHas:
    case Comparator::kNe:
      return literal.first <= v.first && v.last <= literal.last;
    case Comparator::kLt:
      return v.last < literal.first;
    case Comparator::kLe:
      return v.last <= literal.last;
    case Comparator::kGt:
      return v.first > literal.last;
    case Comparator::kGe:
      return v.first >= literal.first;
  }
  return false;
}

bool ValueMatches(const Restriction& r, const Value& v) {
  const Literal& l = r.literal;
  switch (l.kind) {
    case Literal::Kind::kHasAny:
      return r.field != nullptr && Present(*r.field, v);
    case Literal::Kind::kPattern:
      return l.pattern.Matches(v.str);
    case Literal::Kind::kValue:
      break;
  }
  switch (l.type) {
    case Type::kString:
      return Ordered<absl::string_view>(r.op, v.str, l.str);
    case Type::kDate:
      return DateSatisfies(r.op, v.date, l.date);
    case Type::kEnum:
    case Type::kBool:
    case Type::kInt:
      return Ordered<int64_t>(r.op, v.num, l.num);
  }
  return false;
}

bool MatchesRestriction(const Restriction& r, const google::protobuf::Message& record) {
  if (r.field == nullptr || !r.field->extract) return false;
  // One buffer per thread, used as a stack so that an extractor that itself
  // evaluates a filter (a computed field) can't clobber our values.
  thread_local std::vector<Value> scratch;
  const size_t base = scratch.size();
  r.field->extract(record, &scratch);
  bool any = false;
  for (size_t i = base; i < scratch.size(); ++i) {
    if (ValueMatches(r, scratch[i])) {
      any = true;
      break;
    }
  }
  scratch.resize(base);
  return r.op == Comparator::kNe ? !any : any;
}

bool Matches(const CheckedExpr& expr, const google::protobuf::Message& record) {
  switch (expr.kind) {
    case CheckedExpr::Kind::kAnd:
      for (const CheckedExpr& child : expr.children) {
        if (!Matches(child, record)) return false;
      }
      return true;
    case CheckedExpr::Kind::kOr:
      for (const CheckedExpr& child : expr.children) {
        if (Matches(child, record)) return true;
      }
      return false;
    case CheckedExpr::Kind::kNot:
      return expr.children.size() == 1 && !Matches(expr.children.front(), record);
    case CheckedExpr::Kind::kRestriction:
      return MatchesRestriction(expr.restriction, record);
  }
  return false;
}

}  // namespace accord::query
