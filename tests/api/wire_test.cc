// Replies framed from stored bytes equal what serializing the typed
// response would give, and a Get reply borrows the stored bytes.
#include "service/api/wire.h"

#include "accord/v1/accord_service.pb.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "service/api/resource_methods.h"
#include "service/serving/serving_catalog.h"

namespace accord::api {
namespace {

using catalog::CollectionId;

std::shared_ptr<const serving::ServingCatalog> Bundled() {
  static auto* snapshot = new std::shared_ptr<const serving::ServingCatalog>(
      *serving::ServingCatalog::Load(ACCORD_SOURCE_DIR "/data/catalogue"));
  return *snapshot;
}

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string out;
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

TEST(WireTest, StoredBytesAreTheRecordsSerialized) {
  auto snapshot = Bundled();
  for (CollectionId id : catalog::kAllCollections) {
    const auto& c = snapshot->collection(id);
    ASSERT_GT(c.size(), 0u);
    google::protobuf::Arena arena;
    for (size_t i = 0; i < c.size(); ++i) {
      EXPECT_EQ(c.bytes(i), c.Parse(i, &arena)->SerializeAsString()) << c.name(i);
    }
  }
}

TEST(WireTest, ListResponseFramedFromBytesParsesAsTheTypedOne) {
  auto snapshot = Bundled();
  const auto& agreements = snapshot->collection(CollectionId::kAgreements);
  Selection selection;
  selection.positions = {2, 0, 1};
  ResponseFields fields{1, 2, 3};
  std::string bytes = EncodeResponse(agreements, selection, fields, "tok", 6);

  accord::v1::ListAgreementsResponse expected;
  google::protobuf::Arena arena;
  for (uint32_t p : selection.positions) {
    expected.add_agreements()->CopyFrom(*agreements.Parse(p, &arena));
  }
  expected.set_next_page_token("tok");
  expected.set_total_size(6);
  EXPECT_EQ(bytes, expected.SerializeAsString());
  // Field numbers really are those of the response message.
  const auto* d = accord::v1::ListAgreementsResponse::descriptor();
  EXPECT_EQ(d->FindFieldByName("agreements")->number(), 1);
  EXPECT_EQ(d->FindFieldByName("next_page_token")->number(), 2);
  EXPECT_EQ(d->FindFieldByName("total_size")->number(), 3);
}

// A mask of top-level fields keeps their stored bytes, and stops reading
// a record after the last selected field: the result is still exactly the
// trimmed record serialized, whichever fields are selected.
TEST(WireTest, TopLevelMaskBytesAreTheTrimmedRecordSerialized) {
  auto snapshot = Bundled();
  const auto& agreements = snapshot->collection(CollectionId::kAgreements);
  for (std::vector<std::string> paths :
       std::vector<std::vector<std::string>>{{"name"},
                                             {"sign_date", "title", "name"},
                                             {"summary", "name"},
                                             {"possible_states"},
                                             {"parties", "evidence"}}) {
    google::protobuf::FieldMask fm;
    for (const auto& p : paths) fm.add_paths(p);
    auto mask = ReadMask::Parse(fm, accord::v1::Agreement::descriptor());
    ASSERT_TRUE(mask.ok());
    ASSERT_NE(mask->top_level_numbers(), nullptr);
    for (size_t i = 0; i < agreements.size(); ++i) {
      std::string scratch;
      absl::string_view bytes = RecordBytes(agreements, i, *mask, &scratch);
      google::protobuf::Arena arena;
      google::protobuf::Message* trimmed = agreements.Parse(i, &arena);
      mask->Apply(trimmed);
      EXPECT_EQ(bytes, trimmed->SerializeAsString())
          << agreements.name(i) << " " << fm.DebugString();
    }
  }
}

// A page with a top-level mask is framed straight from the kept bytes,
// whether an element is shorter than 128 bytes (a one-byte length) or not.
TEST(WireTest, ListResponseWithATopLevelMaskParsesAsTheTypedOne) {
  auto snapshot = Bundled();
  const auto& agreements = snapshot->collection(CollectionId::kAgreements);
  for (std::vector<std::string> paths : std::vector<std::vector<std::string>>{
           {"name"}, {"name", "title", "sign_date"}, {"summary", "evidence"}}) {
    google::protobuf::FieldMask fm;
    for (const auto& p : paths) fm.add_paths(p);
    auto mask = ReadMask::Parse(fm, accord::v1::Agreement::descriptor());
    ASSERT_TRUE(mask.ok());
    Selection selection;
    for (uint32_t p = 0; p < agreements.size(); ++p) selection.positions.push_back(p);
    selection.mask = *mask;
    std::string bytes = EncodeResponse(agreements, selection, ResponseFields{1, 2, 3}, "t", 9);
    accord::v1::ListAgreementsResponse expected;
    google::protobuf::Arena arena;
    bool long_element = false;
    for (uint32_t p : selection.positions) {
      auto* a = expected.add_agreements();
      a->CopyFrom(*agreements.Parse(p, &arena));
      mask->Apply(a);
      long_element |= a->ByteSizeLong() >= 128;
    }
    expected.set_next_page_token("t");
    expected.set_total_size(9);
    EXPECT_EQ(bytes, expected.SerializeAsString()) << fm.DebugString();
    if (paths[0] == "summary") EXPECT_TRUE(long_element);
  }
}

TEST(WireTest, ReadMaskReencodesOnlyTheSelectedFields) {
  auto snapshot = Bundled();
  const auto& agreements = snapshot->collection(CollectionId::kAgreements);
  google::protobuf::FieldMask paths;
  paths.add_paths("name");
  paths.add_paths("sign_date");
  auto mask = ReadMask::Parse(paths, accord::v1::Agreement::descriptor());
  ASSERT_TRUE(mask.ok());
  std::string scratch;
  absl::string_view bytes = RecordBytes(agreements, 0, *mask, &scratch);
  accord::v1::Agreement got;
  ASSERT_TRUE(got.ParseFromString(std::string(bytes)));
  google::protobuf::Arena arena;
  const auto& full = static_cast<const accord::v1::Agreement&>(*agreements.Parse(0, &arena));
  EXPECT_EQ(got.name(), full.name());
  EXPECT_EQ(got.sign_date().SerializeAsString(), full.sign_date().SerializeAsString());
  EXPECT_TRUE(got.title().empty());
  EXPECT_LT(bytes.size(), agreements.bytes(0).size());
}

// Masks of top-level paths keep the stored bytes of the selected fields;
// the result must equal serializing the trimmed message, for every record
// of every collection.
TEST(WireTest, TopLevelMasksKeepStoredFieldBytesExactly) {
  auto snapshot = Bundled();
  for (CollectionId id : catalog::kAllCollections) {
    const auto& c = snapshot->collection(id);
    google::protobuf::Arena arena;
    const google::protobuf::Descriptor* d = c.Parse(0, &arena)->GetDescriptor();
    std::vector<google::protobuf::FieldMask> masks(3);
    masks[0].add_paths("name");
    for (int i = 0; i < d->field_count(); i += 2) masks[1].add_paths(d->field(i)->name());
    for (int i = d->field_count() - 1; i >= 0; i -= 3) masks[2].add_paths(d->field(i)->name());
    for (const auto& paths : masks) {
      auto mask = ReadMask::Parse(paths, d);
      ASSERT_TRUE(mask.ok());
      ASSERT_NE(mask->top_level_numbers(), nullptr);
      for (size_t i = 0; i < c.size(); ++i) {
        const google::protobuf::Message& record = *c.Parse(i, &arena);
        std::unique_ptr<google::protobuf::Message> trimmed(record.New());
        mask->CopySelected(record, trimmed.get());
        std::string scratch;
        EXPECT_EQ(RecordBytes(c, i, *mask, &scratch), trimmed->SerializeAsString())
            << c.name(i) << " " << paths.ShortDebugString();
      }
    }
  }
  google::protobuf::FieldMask nested;
  nested.add_paths("sign_date.year");
  auto mask = ReadMask::Parse(nested, accord::v1::Agreement::descriptor());
  ASSERT_TRUE(mask.ok());
  EXPECT_EQ(mask->top_level_numbers(), nullptr);  // falls back to the message copy
}

TEST(WireTest, BorrowedBufferPointsAtTheStoredBytesAndKeepsTheSnapshot) {
  auto snapshot = Bundled();
  const auto& agreements = snapshot->collection(CollectionId::kAgreements);
  absl::string_view stored = agreements.bytes(0);
  long before = snapshot.use_count();
  {
    grpc::ByteBuffer buffer = BorrowedBuffer(snapshot, stored);
    EXPECT_EQ(snapshot.use_count(), before + 1);
    std::vector<grpc::Slice> slices;
    ASSERT_TRUE(buffer.Dump(&slices).ok());
    ASSERT_EQ(slices.size(), 1u);
    // No copy: the slice is the arena's memory.
    EXPECT_EQ(reinterpret_cast<const char*>(slices[0].begin()), stored.data());
    EXPECT_EQ(Flatten(buffer), std::string(stored));
  }
  EXPECT_EQ(snapshot.use_count(), before);
}

TEST(WireTest, OwnedBufferHoldsItsBytes) {
  grpc::ByteBuffer buffer = OwnedBuffer(std::string("abc\0def", 7));
  EXPECT_EQ(Flatten(buffer), std::string("abc\0def", 7));
  EXPECT_EQ(Flatten(OwnedBuffer("")), "");
}

}  // namespace
}  // namespace accord::api
