#include "service/query/schema.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "accord/v1/common.pb.h"
#include "service/query/date_literal.h"

namespace accord::query {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr int kMaxMessageDepth = 4;
constexpr absl::string_view kDateType = "accord.v1.Date";

// Reads an accord.v1.Date (or any message with int32 fields 1..3 named
// year, month, day) by reflection.
DateRange ReadDate(const Message& date) {
  const Descriptor* d = date.GetDescriptor();
  // The generated accord.v1.Date (every record parsed by the service): read
  // directly, not by reflection. A dynamic message of the same type takes
  // the reflection path below.
  if (d == accord::v1::Date::descriptor() &&
      date.GetReflection() == accord::v1::Date::GetReflection()) {
    const auto& typed = static_cast<const accord::v1::Date&>(date);
    return DateRangeFromParts(typed.year(), typed.month(), typed.day());
  }
  const Reflection* r = date.GetReflection();
  // The three fields are looked up once per message type (per thread), not
  // by name for every date: an index build reads millions of dates.
  struct Parts {
    const Descriptor* type = nullptr;
    const FieldDescriptor* fields[3] = {nullptr, nullptr, nullptr};
  };
  thread_local Parts cache;
  if (cache.type != d) {
    const char* names[3] = {"year", "month", "day"};
    for (int i = 0; i < 3; ++i) {
      const FieldDescriptor* f = d->FindFieldByName(names[i]);
      cache.fields[i] =
          f == nullptr || f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_INT32
              ? nullptr
              : f;
    }
    cache.type = d;
  }
  auto part = [&](int i) -> int {
    return cache.fields[i] == nullptr ? 0 : r->GetInt32(date, cache.fields[i]);
  };
  return DateRangeFromParts(part(0), part(1), part(2));
}

// Appends the values of the leaf field `f` of `m`.
void ExtractLeaf(const Message& m, const FieldDescriptor* f, Type type, std::vector<Value>* out) {
  const Reflection* r = m.GetReflection();
  if (f->is_repeated()) {
    const int n = r->FieldSize(m, f);
    for (int i = 0; i < n; ++i) {
      Value v;
      v.type = type;
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_STRING: {
          std::string scratch;
          // For non-cord string fields this is a reference to the stored
          // string, so the view stays valid as long as the record.
          v.str = r->GetRepeatedStringReference(m, f, i, &scratch);
          break;
        }
        case FieldDescriptor::CPPTYPE_ENUM:
          v.num = r->GetRepeatedEnumValue(m, f, i);
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          v.num = r->GetRepeatedBool(m, f, i) ? 1 : 0;
          break;
        case FieldDescriptor::CPPTYPE_INT32:
          v.num = r->GetRepeatedInt32(m, f, i);
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          v.num = r->GetRepeatedInt64(m, f, i);
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          v.num = r->GetRepeatedUInt32(m, f, i);
          break;
        case FieldDescriptor::CPPTYPE_UINT64:
          v.num = static_cast<int64_t>(r->GetRepeatedUInt64(m, f, i));
          break;
        case FieldDescriptor::CPPTYPE_MESSAGE:
          v.date = ReadDate(r->GetRepeatedMessage(m, f, i));
          break;
        default:
          continue;
      }
      out->push_back(v);
    }
    return;
  }
  if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE && f->has_presence() &&
      !r->HasField(m, f)) {
    return;  // proto3 `optional` (or proto2) scalar, unset: no value.
  }
  Value v;
  v.type = type;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      v.str = r->GetStringReference(m, f, &scratch);
      break;
    }
    case FieldDescriptor::CPPTYPE_ENUM:
      v.num = r->GetEnumValue(m, f);
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      v.num = r->GetBool(m, f) ? 1 : 0;
      break;
    case FieldDescriptor::CPPTYPE_INT32:
      v.num = r->GetInt32(m, f);
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      v.num = r->GetInt64(m, f);
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      v.num = r->GetUInt32(m, f);
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      v.num = static_cast<int64_t>(r->GetUInt64(m, f));
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      v.date = r->HasField(m, f) ? ReadDate(r->GetMessage(m, f)) : DateRange{};
      break;
    default:
      return;
  }
  out->push_back(v);
}

// Walks `chain[i..]` from `m`, appending the leaf values.
void ExtractPath(const Message& m, const std::vector<const FieldDescriptor*>& chain, size_t i,
                 Type type, std::vector<Value>* out) {
  const FieldDescriptor* f = chain[i];
  if (i + 1 == chain.size()) {
    ExtractLeaf(m, f, type, out);
    return;
  }
  const Reflection* r = m.GetReflection();
  if (f->is_repeated()) {
    const int n = r->FieldSize(m, f);
    for (int j = 0; j < n; ++j)
      ExtractPath(r->GetRepeatedMessage(m, f, j), chain, i + 1, type, out);
  } else {
    // An unset sub-message reads as its default instance, so its scalars
    // yield their defaults like any unset scalar.
    ExtractPath(r->GetMessage(m, f), chain, i + 1, type, out);
  }
}

bool TypeOf(const FieldDescriptor* f, Type* type) {
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      if (f->type() == FieldDescriptor::TYPE_BYTES) return false;
      *type = Type::kString;
      return true;
    case FieldDescriptor::CPPTYPE_ENUM:
      *type = Type::kEnum;
      return true;
    case FieldDescriptor::CPPTYPE_BOOL:
      *type = Type::kBool;
      return true;
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
      *type = Type::kInt;
      return true;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (f->message_type()->full_name() == kDateType) {
        *type = Type::kDate;
        return true;
      }
      return false;
    default:
      return false;
  }
}

absl::string_view TypeName(Type type) {
  switch (type) {
    case Type::kString:
      return "string";
    case Type::kEnum:
      return "enum";
    case Type::kBool:
      return "bool";
    case Type::kInt:
      return "integer";
    case Type::kDate:
      return "date";
  }
  return "";
}

void AddFields(Schema* schema, const Descriptor* d, std::vector<const FieldDescriptor*>* chain,
               bool under_repeated, int depth) {
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    chain->push_back(f);
    const bool repeated = under_repeated || f->is_repeated();
    Type type;
    if (TypeOf(f, &type)) {
      Field field;
      std::vector<std::string> names;
      for (const FieldDescriptor* c : *chain) names.push_back(c->name());
      field.path = absl::StrJoin(names, ".");
      field.type = type;
      field.repeated = repeated;
      if (type == Type::kEnum) field.enum_type = f->enum_type();
      field.explicit_presence = f->is_repeated() || (type != Type::kDate && f->has_presence());
      field.description =
          absl::StrCat(repeated ? "repeated " : "", TypeName(type),
                       type == Type::kEnum ? absl::StrCat(" ", f->enum_type()->full_name()) : "");
      field.extract = [path = *chain, type](const Message& record, std::vector<Value>* out) {
        ExtractPath(record, path, 0, type, out);
      };
      schema->AddField(std::move(field));
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth < kMaxMessageDepth &&
               f->message_type()->file()->package() != "google.protobuf") {
      AddFields(schema, f->message_type(), chain, repeated, depth + 1);
    }
    chain->pop_back();
  }
}

}  // namespace

std::unique_ptr<Schema> Schema::FromDescriptor(const Descriptor* descriptor) {
  auto schema = std::make_unique<Schema>();
  schema->descriptor_ = descriptor;
  if (descriptor == nullptr) return schema;
  std::vector<const FieldDescriptor*> chain;
  AddFields(schema.get(), descriptor, &chain, /*under_repeated=*/false, /*depth=*/1);
  return schema;
}

void Schema::AddField(Field field) {
  auto it = by_path_.find(field.path);
  if (it != by_path_.end() && it->second->path != field.path) {
    by_path_.erase(it);  // `field.path` was an alias; the new field replaces it.
    it = by_path_.end();
  }
  if (it != by_path_.end()) {
    // Replace in place, so aliases and earlier Find results stay valid.
    for (auto& existing : fields_) {
      if (existing.get() == it->second) {
        *existing = std::move(field);
        return;
      }
    }
  }
  fields_.push_back(std::make_unique<Field>(std::move(field)));
  by_path_[fields_.back()->path] = fields_.back().get();
}

bool Schema::AddAlias(std::string alias, absl::string_view target) {
  const Field* field = Find(target);
  if (field == nullptr) return false;
  by_path_[std::move(alias)] = field;
  return true;
}

absl::string_view Schema::ClosestName(absl::string_view path) const {
  constexpr size_t kMaxCompared = 128;
  if (path.size() > kMaxCompared) return {};
  absl::string_view best;
  size_t best_distance = std::string::npos;
  std::vector<size_t> row;
  for (const auto& [name, field] : by_path_) {
    // Levenshtein distance, one row at a time.
    row.resize(name.size() + 1);
    for (size_t j = 0; j <= name.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= path.size(); ++i) {
      size_t diagonal = row[0];
      row[0] = i;
      for (size_t j = 1; j <= name.size(); ++j) {
        const size_t up = row[j];
        row[j] =
            std::min({row[j] + 1, row[j - 1] + 1, diagonal + (path[i - 1] == name[j - 1] ? 0 : 1)});
        diagonal = up;
      }
    }
    const size_t d = row[name.size()];
    if (d < best_distance || (d == best_distance && name < best)) {
      best_distance = d;
      best = name;
    }
  }
  return best_distance <= std::max<size_t>(2, path.size() / 3) ? best : absl::string_view();
}

const Field* Schema::Find(absl::string_view path) const {
  auto it = by_path_.find(path);
  return it == by_path_.end() ? nullptr : it->second;
}

}  // namespace accord::query
