#include "service/index/wire_fields.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "service/query/date_literal.h"

namespace accord::index {
namespace {

using google::protobuf::FieldDescriptor;

constexpr absl::string_view kDateType = "accord.v1.Date";

// Wire types.
constexpr int kVarint = 0;
constexpr int kFixed64 = 1;
constexpr int kLength = 2;
constexpr int kFixed32 = 5;

// A cursor over wire bytes; every read fails (returns false) rather than
// read past the end.
struct Cursor {
  const char* p;
  const char* end;

  bool Varint(uint64_t* out) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p == end) return false;
      const uint8_t b = static_cast<uint8_t>(*p++);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) {
        *out = v;
        return true;
      }
    }
    return false;
  }
  bool Fixed(int bytes, uint64_t* out) {
    if (end - p < bytes) return false;
    uint64_t v = 0;
    std::memcpy(&v, p, bytes);  // little-endian, as the wire format
    p += bytes;
    *out = v;
    return true;
  }
  bool Length(absl::string_view* out) {
    uint64_t n;
    if (!Varint(&n) || n > static_cast<uint64_t>(end - p)) return false;
    *out = absl::string_view(p, n);
    p += n;
    return true;
  }
  bool Skip(int wire_type) {
    uint64_t ignored;
    absl::string_view bytes;
    switch (wire_type) {
      case kVarint:
        return Varint(&ignored);
      case kFixed64:
        return Fixed(8, &ignored);
      case kLength:
        return Length(&bytes);
      case kFixed32:
        return Fixed(4, &ignored);
      default:
        return false;  // groups: not in proto3
    }
  }
};

// The wire type a scalar of `type` is written with (not packed).
int WireTypeOf(FieldDescriptor::Type type) {
  switch (type) {
    case FieldDescriptor::TYPE_FIXED64:
    case FieldDescriptor::TYPE_SFIXED64:
    case FieldDescriptor::TYPE_DOUBLE:
      return kFixed64;
    case FieldDescriptor::TYPE_FIXED32:
    case FieldDescriptor::TYPE_SFIXED32:
    case FieldDescriptor::TYPE_FLOAT:
      return kFixed32;
    case FieldDescriptor::TYPE_STRING:
    case FieldDescriptor::TYPE_BYTES:
    case FieldDescriptor::TYPE_MESSAGE:
      return kLength;
    default:
      return kVarint;
  }
}

// The number a scalar of `type` holds, from its raw wire value, as the
// reflection getter of its C++ type returns it, widened to int64.
int64_t NumberOf(FieldDescriptor::Type type, uint64_t raw) {
  switch (type) {
    case FieldDescriptor::TYPE_BOOL:
      return raw != 0 ? 1 : 0;
    case FieldDescriptor::TYPE_INT32:
    case FieldDescriptor::TYPE_ENUM:
    case FieldDescriptor::TYPE_SFIXED32:
      return static_cast<int32_t>(static_cast<uint32_t>(raw));
    case FieldDescriptor::TYPE_UINT32:
    case FieldDescriptor::TYPE_FIXED32:
      return static_cast<uint32_t>(raw);
    case FieldDescriptor::TYPE_SINT32: {
      const uint32_t n = static_cast<uint32_t>(raw);
      return static_cast<int32_t>((n >> 1) ^ (~(n & 1) + 1));
    }
    case FieldDescriptor::TYPE_SINT64:
      return static_cast<int64_t>((raw >> 1) ^ (~(raw & 1) + 1));
    default:  // int64, uint64, fixed64, sfixed64
      return static_cast<int64_t>(raw);
  }
}

// The default a singular field without presence yields when unset.
query::Value DefaultOf(const FieldDescriptor* f, query::Type type) {
  query::Value v;
  v.type = type;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      v.str = f->default_value_string();
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      v.num = f->default_value_enum()->number();
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      v.num = f->default_value_bool() ? 1 : 0;
      break;
    case FieldDescriptor::CPPTYPE_INT32:
      v.num = f->default_value_int32();
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      v.num = f->default_value_int64();
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      v.num = f->default_value_uint32();
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      v.num = static_cast<int64_t>(f->default_value_uint64());
      break;
    default:  // a Date: the empty range
      break;
  }
  return v;
}

}  // namespace

std::optional<WireFields> WireFields::Create(const google::protobuf::Descriptor* record,
                                             const std::vector<const query::Field*>& fields) {
  if (record == nullptr ||
      record->file()->syntax() != google::protobuf::FileDescriptor::SYNTAX_PROTO3) {
    return std::nullopt;
  }
  WireFields out;
  out.levels_.push_back(Level{record, {}, {}});
  // Sets `table[number]` to `value`, growing the table; false if taken.
  auto put = [](std::vector<int>* table, int number, int value) {
    if (number > (1 << 16)) return false;  // a sparse table would be too large
    if (table->size() <= static_cast<size_t>(number)) table->resize(number + 1, 0);
    if ((*table)[number] != 0) return false;
    (*table)[number] = value;
    return true;
  };
  for (const query::Field* field : fields) {
    // Down the singular sub-messages to the leaf's level.
    size_t level = 0;
    absl::string_view path = field->path;
    const FieldDescriptor* f = nullptr;
    for (;;) {
      const size_t dot = path.find('.');
      const google::protobuf::Descriptor* type = out.levels_[level].type;
      f = type->FindFieldByName(std::string(path.substr(0, dot)));
      if (f == nullptr || f->real_containing_oneof() != nullptr) return std::nullopt;
      if (dot == absl::string_view::npos) break;
      if (f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE ||
          f->message_type()->full_name() == kDateType ||
          f->message_type()->file()->syntax() != google::protobuf::FileDescriptor::SYNTAX_PROTO3) {
        return std::nullopt;
      }
      std::vector<int>& children = out.levels_[level].child_of;
      const int at = static_cast<size_t>(f->number()) < children.size() ? children[f->number()] : 0;
      if (at != 0) {
        level = static_cast<size_t>(at - 1);
      } else {
        if (static_cast<size_t>(f->number()) < out.levels_[level].leaf_of.size() &&
            out.levels_[level].leaf_of[f->number()] != 0) {
          return std::nullopt;
        }
        out.levels_.push_back(Level{f->message_type(), {}, {}});
        const int child = static_cast<int>(out.levels_.size());
        if (!put(&out.levels_[level].child_of, f->number(), child)) return std::nullopt;
        level = static_cast<size_t>(child - 1);
      }
      path = path.substr(dot + 1);
    }
    Slot slot;
    slot.field = f;
    slot.type = field->type;
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        if (f->type() != FieldDescriptor::TYPE_STRING || field->type != query::Type::kString) {
          return std::nullopt;
        }
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        if (field->type != query::Type::kEnum) return std::nullopt;
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        if (field->type != query::Type::kBool) return std::nullopt;
        break;
      case FieldDescriptor::CPPTYPE_INT32:
      case FieldDescriptor::CPPTYPE_INT64:
      case FieldDescriptor::CPPTYPE_UINT32:
      case FieldDescriptor::CPPTYPE_UINT64:
        if (field->type != query::Type::kInt) return std::nullopt;
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        if (f->message_type()->full_name() != kDateType || field->type != query::Type::kDate) {
          return std::nullopt;
        }
        slot.is_date = true;
        const char* names[3] = {"year", "month", "day"};
        for (int i = 0; i < 3; ++i) {
          const FieldDescriptor* part = f->message_type()->FindFieldByName(names[i]);
          if (part == nullptr || part->is_repeated() ||
              part->type() != FieldDescriptor::TYPE_INT32) {
            return std::nullopt;
          }
          out.date_numbers_[i] = part->number();
        }
        break;
      }
      default:
        return std::nullopt;
    }
    slot.presence = !f->is_repeated() && !slot.is_date && f->has_presence();
    out.slots_.push_back(slot);
    // One field read twice, or a leaf that is also descended into.
    const std::vector<int>& children = out.levels_[level].child_of;
    if (static_cast<size_t>(f->number()) < children.size() && children[f->number()] != 0) {
      return std::nullopt;
    }
    if (!put(&out.levels_[level].leaf_of, f->number(), static_cast<int>(out.slots_.size()))) {
      return std::nullopt;
    }
  }
  return out;
}

void WireFields::ReadLevel(size_t level, absl::string_view bytes,
                           std::vector<std::vector<query::Value>>* out, uint8_t* seen,
                           int (*date)[3]) const {
  auto read_date = [this](absl::string_view sub, int* parts) {
    Cursor c{sub.data(), sub.data() + sub.size()};
    while (c.p < c.end) {
      uint64_t tag;
      if (!c.Varint(&tag)) return;
      const int number = static_cast<int>(tag >> 3);
      const int wire = static_cast<int>(tag & 7);
      int i = 0;
      while (i < 3 && date_numbers_[i] != number) ++i;
      if (i < 3 && wire == kVarint) {
        uint64_t raw;
        if (!c.Varint(&raw)) return;
        parts[i] = static_cast<int32_t>(static_cast<uint32_t>(raw));
      } else if (!c.Skip(wire)) {
        return;
      }
    }
  };
  Cursor c{bytes.data(), bytes.data() + bytes.size()};
  while (c.p < c.end) {
    uint64_t tag;
    if (!c.Varint(&tag)) break;
    const uint64_t number = tag >> 3;
    const int wire = static_cast<int>(tag & 7);
    const Level& here = levels_[level];
    const int at = number < here.leaf_of.size() ? here.leaf_of[number] : 0;
    if (at == 0) {
      const int child = number < here.child_of.size() ? here.child_of[number] : 0;
      absl::string_view sub;
      if (child != 0 && wire == kLength) {
        // A singular sub-message: its occurrences merge, as the parser's.
        if (!c.Length(&sub)) break;
        ReadLevel(static_cast<size_t>(child - 1), sub, out, seen, date);
      } else if (!c.Skip(wire)) {
        break;
      }
      continue;
    }
    const size_t k = static_cast<size_t>(at - 1);
    const Slot& slot = slots_[k];
    const FieldDescriptor::Type type = slot.field->type();
    std::vector<query::Value>& values = (*out)[k];
    query::Value v;
    v.type = slot.type;
    bool ok = true;
    if (slot.is_date) {
      absl::string_view sub;
      if (wire != kLength) {
        ok = c.Skip(wire);
      } else if (!(ok = c.Length(&sub))) {
      } else if (slot.field->is_repeated()) {
        int parts[3] = {0, 0, 0};
        read_date(sub, parts);
        v.date = query::DateRangeFromParts(parts[0], parts[1], parts[2]);
        values.push_back(v);
      } else {
        read_date(sub, date[k]);
        seen[k] = 1;
      }
    } else if (type == FieldDescriptor::TYPE_STRING) {
      if (wire != kLength) {
        ok = c.Skip(wire);
      } else if ((ok = c.Length(&v.str))) {
        if (slot.field->is_repeated()) {
          values.push_back(v);
        } else {
          values.assign(1, v);
          seen[k] = 1;
        }
      }
    } else if (wire == kLength && slot.field->is_repeated()) {
      // Packed numbers.
      absl::string_view packed;
      if ((ok = c.Length(&packed))) {
        Cursor p{packed.data(), packed.data() + packed.size()};
        const int element = WireTypeOf(type);
        while (p.p < p.end) {
          uint64_t raw;
          if (!(element == kVarint ? p.Varint(&raw) : p.Fixed(element == kFixed64 ? 8 : 4, &raw))) {
            break;
          }
          v.num = NumberOf(type, raw);
          values.push_back(v);
        }
      }
    } else if (wire == WireTypeOf(type)) {
      uint64_t raw;
      if ((ok = wire == kVarint ? c.Varint(&raw) : c.Fixed(wire == kFixed64 ? 8 : 4, &raw))) {
        v.num = NumberOf(type, raw);
        if (slot.field->is_repeated()) {
          values.push_back(v);
        } else {
          values.assign(1, v);
          seen[k] = 1;
        }
      }
    } else {
      ok = c.Skip(wire);
    }
    if (!ok) break;
  }
}

void WireFields::Read(absl::string_view bytes, std::vector<std::vector<query::Value>>* out) const {
  out->resize(slots_.size());
  for (auto& values : *out) values.clear();
  // Singular fields: whether seen, and a Date's parts so far (occurrences
  // of a message field merge).
  constexpr size_t kSmall = 64;
  uint8_t seen_small[kSmall];
  int date_small[kSmall][3];
  std::vector<uint8_t> seen_large;
  std::vector<std::array<int, 3>> date_large;
  uint8_t* seen = seen_small;
  int(*date)[3] = date_small;
  if (slots_.size() > kSmall) {
    seen_large.assign(slots_.size(), 0);
    date_large.assign(slots_.size(), {0, 0, 0});
    seen = seen_large.data();
    date = reinterpret_cast<int(*)[3]>(date_large.data());
  }
  for (size_t k = 0; k < slots_.size(); ++k) {
    seen[k] = 0;
    date[k][0] = date[k][1] = date[k][2] = 0;
  }
  ReadLevel(0, bytes, out, seen, date);
  for (size_t k = 0; k < slots_.size(); ++k) {
    const Slot& slot = slots_[k];
    if (slot.field->is_repeated()) continue;
    std::vector<query::Value>& values = (*out)[k];
    if (slot.is_date) {
      // Set or not, a singular Date yields one range (empty when unset).
      query::Value v;
      v.type = slot.type;
      if (seen[k]) v.date = query::DateRangeFromParts(date[k][0], date[k][1], date[k][2]);
      values.assign(1, v);
    } else if (!seen[k] && !slot.presence) {
      values.assign(1, DefaultOf(slot.field, slot.type));
    }
  }
}

}  // namespace accord::index
