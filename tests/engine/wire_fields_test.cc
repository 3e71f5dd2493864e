// index::WireFields reads, from a record's stored wire bytes, exactly the
// values the schema's reflection extractors read from the parsed record:
// every top-level field of every collection, on a generated catalogue and
// the shipped one, and on hand-made records (unset fields, explicit
// presence, repeated fields written twice, packed and unpacked numbers,
// a Date written in two parts, malformed bytes).
#include "service/index/wire_fields.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "accord/v1/catalog.pb.h"
#include "bench/catgen/catgen.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "gtest/gtest.h"
#include "service/catalog/loader.h"
#include "service/catalog/snapshot.h"
#include "service/query/schema.h"
#include "service/registry/registry.h"

namespace accord::index {
namespace {

// A value as text, for comparison and messages.
std::string Show(const query::Value& v) {
  return absl::StrCat(static_cast<int>(v.type), "|", v.str, "|", v.num, "|", v.date.first, "-",
                      v.date.last);
}
std::vector<std::string> Show(const std::vector<query::Value>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) out.push_back(Show(v));
  return out;
}

// The top-level fields of `schema`.
std::vector<const query::Field*> TopLevel(const query::Schema& schema) {
  std::vector<const query::Field*> out;
  for (const auto& f : schema.fields()) {
    if (f->path.find('.') == std::string::npos) out.push_back(f.get());
  }
  return out;
}

// The fields of `schema` that WireFields reads: those reached through
// singular messages only. Every top-level field is one.
std::vector<const query::Field*> WireReadable(const google::protobuf::Descriptor* d,
                                              const query::Schema& schema) {
  std::vector<const query::Field*> out;
  for (const auto& f : schema.fields()) {
    if (WireFields::Create(d, {f.get()}).has_value()) out.push_back(f.get());
  }
  return out;
}

// For each record of `storage`, WireFields over every top-level field gives
// what each field's extractor gives on the parsed record. Adds how many
// values were compared to `*compared`.
void ExpectSameAsReflection(const catalog::Snapshot& storage, size_t* compared) {
  for (const registry::Collection& info : registry::All()) {
    SCOPED_TRACE(std::string(info.catalog_field->name()));
    const catalog::Collection& c = storage.collection(info.id);
    auto schema = query::Schema::FromDescriptor(info.message);
    const std::vector<const query::Field*> fields = WireReadable(info.message, *schema);
    EXPECT_GE(fields.size(), TopLevel(*schema).size());
    std::optional<WireFields> wire = WireFields::Create(info.message, fields);
    EXPECT_TRUE(wire.has_value());
    if (!wire) continue;
    std::vector<std::vector<query::Value>> got;
    std::vector<query::Value> want;
    for (size_t i = 0; i < c.size(); ++i) {
      google::protobuf::Arena arena;
      const google::protobuf::Message* record = c.Parse(i, &arena);
      wire->Read(c.bytes(i), &got);
      ASSERT_EQ(got.size(), fields.size());
      for (size_t k = 0; k < fields.size(); ++k) {
        want.clear();
        fields[k]->extract(*record, &want);
        ASSERT_EQ(Show(got[k]), Show(want)) << c.name(i) << " " << fields[k]->path;
        *compared += want.size();
      }
    }
  }
}

TEST(WireFieldsTest, GeneratedCatalogueReadsAsByReflection) {
  catalog::RawCatalog raw;
  raw.arena = std::make_unique<google::protobuf::Arena>();
  raw.catalog = google::protobuf::Arena::CreateMessage<accord::v1::Catalog>(raw.arena.get());
  catgen::Spec spec{5, 800};
  catgen::GenerateTaxonomy(spec, raw.catalog);
  catgen::GenerateAgreements(spec, 0, 800, raw.catalog);
  raw.version = "generated";
  auto storage = catalog::Snapshot::Build(std::move(raw), "generated");
  ASSERT_TRUE(storage.ok()) << storage.status();
  size_t compared = 0;
  ExpectSameAsReflection(**storage, &compared);
  EXPECT_GT(compared, 10000u);
}

TEST(WireFieldsTest, ShippedCatalogueReadsAsByReflection) {
  auto storage = catalog::Snapshot::Load(ACCORD_SOURCE_DIR "/data/catalogue");
  ASSERT_TRUE(storage.ok()) << storage.status();
  size_t compared = 0;
  ExpectSameAsReflection(**storage, &compared);
  EXPECT_GT(compared, 100u);
}

// The values of field `path` of `record` (serialized as `bytes`) by wire
// and by reflection.
void ExpectField(const accord::v1::Agreement& record, const std::string& bytes,
                 const std::string& path) {
  SCOPED_TRACE(path);
  auto schema = query::Schema::FromDescriptor(accord::v1::Agreement::descriptor());
  const query::Field* field = schema->Find(path);
  ASSERT_NE(field, nullptr);
  auto wire = WireFields::Create(accord::v1::Agreement::descriptor(), {field});
  ASSERT_TRUE(wire.has_value());
  std::vector<std::vector<query::Value>> got;
  wire->Read(bytes, &got);
  std::vector<query::Value> want;
  field->extract(record, &want);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(Show(got[0]), Show(want));
}

TEST(WireFieldsTest, UnsetFieldsYieldTheirDefaultsOrNothing) {
  accord::v1::Agreement empty;
  const std::string bytes = empty.SerializeAsString();
  auto schema = query::Schema::FromDescriptor(accord::v1::Agreement::descriptor());
  const auto fields = WireReadable(accord::v1::Agreement::descriptor(), *schema);
  for (const query::Field* f : fields) ExpectField(empty, bytes, f->path);
  // Fields under a singular message (`as_of.date`) are read too.
  EXPECT_GT(fields.size(), TopLevel(*schema).size());
}

TEST(WireFieldsTest, ASingularSubMessageWrittenTwiceMerges) {
  accord::v1::Agreement a, b;
  a.mutable_as_of()->set_date("2020-01-02");
  a.mutable_as_of()->set_uncertain(true);
  b.mutable_as_of()->set_uncertainty("the day");
  const std::string bytes = a.SerializeAsString() + b.SerializeAsString();
  accord::v1::Agreement merged;
  ASSERT_TRUE(merged.ParseFromString(bytes));
  for (const char* path : {"as_of.date", "as_of.uncertain", "as_of.uncertainty"}) {
    ExpectField(merged, bytes, path);
  }
}

TEST(WireFieldsTest, FieldsWrittenTwiceReadAsTheParserMergesThem) {
  // Two serializations concatenated: singular fields take the second's
  // value, a Date merges its parts, repeated fields hold both lists.
  accord::v1::Agreement a, b;
  a.set_title("first");
  a.set_kind(static_cast<accord::v1::Agreement::Kind>(1));
  a.add_parties("countries/us");
  a.mutable_sign_date()->set_year(2001);
  a.mutable_sign_date()->set_month(5);
  b.set_title("second");
  b.add_parties("countries/my");
  b.mutable_sign_date()->set_day(7);
  const std::string bytes = a.SerializeAsString() + b.SerializeAsString();
  accord::v1::Agreement merged;
  ASSERT_TRUE(merged.ParseFromString(bytes));
  for (const char* path : {"title", "kind", "parties", "sign_date"}) {
    ExpectField(merged, bytes, path);
  }
}

TEST(WireFieldsTest, PackedAndUnpackedRepeatedEnumsBothRead) {
  const auto* field = accord::v1::Agreement::descriptor()->FindFieldByName("possible_states");
  ASSERT_NE(field, nullptr);
  ASSERT_TRUE(field->is_repeated());
  // Unpacked: one tag per element, which a parser accepts for a packed
  // field too.
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    for (int v : {1, 2, 1}) {
      out.WriteTag(static_cast<uint32_t>(field->number() << 3));  // varint
      out.WriteVarint32(v);
    }
  }
  accord::v1::Agreement parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  ASSERT_EQ(parsed.possible_states_size(), 3);
  ExpectField(parsed, bytes, "possible_states");
  const std::string packed = parsed.SerializeAsString();
  ExpectField(parsed, packed, "possible_states");
}

TEST(WireFieldsTest, MalformedBytesYieldWhatWasReadBeforeTheFault) {
  accord::v1::Agreement a;
  a.set_title("kept");
  std::string bytes = a.SerializeAsString();
  bytes += "\x0a\xff";  // a length running past the end
  auto schema = query::Schema::FromDescriptor(accord::v1::Agreement::descriptor());
  auto wire = WireFields::Create(accord::v1::Agreement::descriptor(), {schema->Find("title")});
  ASSERT_TRUE(wire.has_value());
  std::vector<std::vector<query::Value>> got;
  wire->Read(bytes, &got);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(got[0].size(), 1u);
  EXPECT_EQ(got[0][0].str, "kept");
}

TEST(WireFieldsTest, FieldsUnderRepeatedMessagesOrUnknownAreNotReadFromTheWire) {
  auto schema = query::Schema::FromDescriptor(accord::v1::Agreement::descriptor());
  EXPECT_FALSE(
      WireFields::Create(accord::v1::Agreement::descriptor(), {schema->Find("events.date")})
          .has_value());
  query::Field made_up;
  made_up.path = "no_such_field";
  EXPECT_FALSE(WireFields::Create(accord::v1::Agreement::descriptor(), {&made_up}).has_value());
}

}  // namespace
}  // namespace accord::index
