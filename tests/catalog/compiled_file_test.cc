#include "service/catalog/compiled_file.h"

#include <xxhash.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "accord/v1/catalog.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/catalog/snapshot.h"
#include "tests/catalog/catalog_test_util.h"

namespace accord::catalog {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const Snapshot> LoadBundled() {
  auto snapshot = Snapshot::Load(std::string(ACCORD_SOURCE_DIR) + "/data/catalogue");
  EXPECT_TRUE(snapshot.ok()) << snapshot.status();
  return snapshot.ok() ? *snapshot : nullptr;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Recomputes the section table's checksum after an edit of the table.
void ResealTable(std::string* bytes) {
  uint32_t sections;
  std::memcpy(&sections, bytes->data() + 12, 4);
  const uint64_t sum = XXH3_64bits(bytes->data() + 64, size_t{sections} * 64);
  std::memcpy(bytes->data() + 24, &sum, 8);
}

class CompiledFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = LoadBundled();
    ASSERT_NE(source_, nullptr);
    path_ = (std::filesystem::path(::testing::TempDir()) /
             (std::string("accord_compiled_") +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".accord"))
                .string();
    ASSERT_TRUE(WriteCompiledCatalog(*source_, path_).ok());
  }
  void TearDown() override { std::filesystem::remove(path_); }

  std::shared_ptr<const Snapshot> source_;
  std::string path_;
};

TEST_F(CompiledFileTest, MapsTheSameRecordsNamesAndVersion) {
  absl::StatusOr<std::shared_ptr<const Snapshot>> mapped = Snapshot::Open(path_);
  ASSERT_TRUE(mapped.ok()) << mapped.status();
  EXPECT_EQ((*mapped)->version(), source_->version());
  EXPECT_EQ((*mapped)->files(),
            std::vector<std::string>{std::filesystem::path(path_).filename().string()});
  for (CollectionId id : kAllCollections) {
    const Collection& want = source_->collection(id);
    const Collection& got = (*mapped)->collection(id);
    ASSERT_EQ(got.size(), want.size()) << CollectionName(id);
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(got.bytes(i), want.bytes(i));
      EXPECT_EQ(got.name(i), want.name(i));
      EXPECT_EQ(got.IndexOf(want.name(i)), static_cast<int64_t>(i));
    }
  }
  google::protobuf::Arena arena;
  const Collection& agreements = (*mapped)->collection(CollectionId::kAgreements);
  const int64_t art = agreements.IndexOf("agreements/my-us-reciprocal-trade-2025");
  ASSERT_GE(art, 0);
  const auto* a = static_cast<const accord::v1::Agreement*>(agreements.Parse(art, &arena));
  EXPECT_EQ(a->short_title(), "ART");
  EXPECT_EQ(a->sign_date().year(), 2025);
}

TEST_F(CompiledFileTest, LoadOfAFileMapsIt) {
  absl::StatusOr<std::shared_ptr<const Snapshot>> loaded = Snapshot::Load(path_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->collection(CollectionId::kAgreements).size(),
            source_->collection(CollectionId::kAgreements).size());
}

TEST_F(CompiledFileTest, AnotherFormatVersionIsRefusedNamingBoth) {
  std::string bytes = ReadAll(path_);
  const uint32_t other = kCompiledFormatVersion + 6;
  std::memcpy(bytes.data() + 8, &other, sizeof(other));
  WriteAll(path_, bytes);
  absl::StatusOr<std::shared_ptr<const Snapshot>> mapped = Snapshot::Open(path_);
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(
      mapped.status().message(),
      HasSubstr(absl::StrCat("has format version ", other, "; this server reads format version ",
                             kCompiledFormatVersion)));
}

TEST_F(CompiledFileTest, ATruncatedFileIsDataLoss) {
  const std::string bytes = ReadAll(path_);
  for (size_t keep : {size_t{0}, size_t{10}, size_t{64}, bytes.size() / 2, bytes.size() - 1}) {
    WriteAll(path_, bytes.substr(0, keep));
    absl::StatusOr<std::shared_ptr<const Snapshot>> mapped = Snapshot::Open(path_);
    ASSERT_FALSE(mapped.ok()) << keep;
    EXPECT_EQ(mapped.status().code(), absl::StatusCode::kDataLoss) << keep;
    EXPECT_THAT(mapped.status().message(), HasSubstr("truncated or corrupt")) << keep;
  }
}

TEST_F(CompiledFileTest, AFlippedByteFailsTheChecksum) {
  std::string bytes = ReadAll(path_);
  bytes[bytes.size() - 100] ^= 0x20;
  WriteAll(path_, bytes);
  absl::StatusOr<std::shared_ptr<const Snapshot>> mapped = Snapshot::Open(path_);
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(mapped.status().message(), HasSubstr("checksum"));
}

TEST_F(CompiledFileTest, AFileThatIsNotCompiledSaysSo) {
  WriteAll(path_, std::string(200, 'x'));
  absl::StatusOr<std::shared_ptr<const Snapshot>> mapped = Snapshot::Open(path_);
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(mapped.status().message(), HasSubstr("is not a compiled Accord catalogue"));
}

TEST_F(CompiledFileTest, AMissingFileIsNotFound) {
  absl::StatusOr<std::shared_ptr<const Snapshot>> mapped = Snapshot::Open(path_ + ".absent");
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(CompiledFileTest, RewritingReplacesTheFileWhole) {
  // Written beside the target and renamed: an open mapping of the old file
  // keeps reading the old bytes.
  absl::StatusOr<std::shared_ptr<const Snapshot>> before = Snapshot::Open(path_);
  ASSERT_TRUE(before.ok());
  const std::string first_name((*before)->collection(CollectionId::kAgreements).name(0));
  testing::TempCatalogDir dir;
  dir.Write("c.textproto", testing::kValidCatalog);
  dir.Write("texts/article.txt", testing::kValidText);
  auto small = Snapshot::Load(dir.path());
  ASSERT_TRUE(small.ok()) << small.status();
  ASSERT_TRUE(WriteCompiledCatalog(**small, path_).ok());
  EXPECT_EQ((*before)->collection(CollectionId::kAgreements).name(0), first_name);
  absl::StatusOr<std::shared_ptr<const Snapshot>> after = Snapshot::Open(path_);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ((*after)->collection(CollectionId::kAgreements).name(0), "agreements/pact");
  EXPECT_EQ((*after)->version(), (*small)->version());
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(path_).parent_path())) {
    EXPECT_EQ(entry.path().string().find(path_ + ".tmp"), std::string::npos) << entry.path();
  }
}

TEST_F(CompiledFileTest, AttachmentsAreStoredBesideTheRecordsAndReadBack) {
  std::vector<Attachment> attachments = {{"@ix/agreements", std::string("abc\0def", 7)},
                                         {"@empty", ""}};
  ASSERT_TRUE(WriteCompiledCatalog(*source_, path_, attachments).ok());
  absl::StatusOr<std::shared_ptr<const Snapshot>> mapped = Snapshot::Open(path_);
  ASSERT_TRUE(mapped.ok()) << mapped.status();
  ASSERT_TRUE((*mapped)->attachment("@ix/agreements").has_value());
  EXPECT_EQ(*(*mapped)->attachment("@ix/agreements"), std::string("abc\0def", 7));
  ASSERT_TRUE((*mapped)->attachment("@empty").has_value());
  EXPECT_EQ((*mapped)->attachment("@empty")->size(), 0u);
  EXPECT_FALSE((*mapped)->attachment("@ix/commitments").has_value());
  EXPECT_EQ((*mapped)->collection(CollectionId::kAgreements).size(),
            source_->collection(CollectionId::kAgreements).size());
  // Storage loaded from sources has none.
  EXPECT_FALSE(source_->attachment("@ix/agreements").has_value());
}

TEST_F(CompiledFileTest, AttachmentNamesAreChecked) {
  for (const char* name : {"", "@", "ix/agreements", "@a-name-longer-than-23-bytes"}) {
    EXPECT_EQ(WriteCompiledCatalog(*source_, path_, {{name, "x"}}).code(),
              absl::StatusCode::kInvalidArgument)
        << name;
  }
  EXPECT_EQ(WriteCompiledCatalog(*source_, path_, {{"@a", "x"}, {"@a", "y"}}).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CompiledFileTest, AnAttachmentOutsideTheFileIsDataLoss) {
  ASSERT_TRUE(WriteCompiledCatalog(*source_, path_, {{"@ix/agreements", "payload"}}).ok());
  std::string bytes = ReadAll(path_);
  uint32_t sections;
  std::memcpy(&sections, bytes.data() + 12, 4);
  const size_t entry = 64 + (sections - 1) * 64;  // the attachment's, written last
  ASSERT_EQ(bytes.substr(entry, 14), "@ix/agreements");
  const uint64_t size = bytes.size();  // runs past the end
  std::memcpy(bytes.data() + entry + 40, &size, 8);
  ResealTable(&bytes);
  WriteAll(path_, bytes);
  absl::StatusOr<std::shared_ptr<const Snapshot>> mapped = Snapshot::Open(path_);
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(mapped.status().message(), HasSubstr("@ix/agreements section lies outside"));
}

TEST_F(CompiledFileTest, ADamagedSectionTableIsDataLoss) {
  std::string bytes = ReadAll(path_);
  bytes[64 + 30] ^= 0x01;  // the first section's offset
  WriteAll(path_, bytes);
  absl::StatusOr<std::shared_ptr<const Snapshot>> mapped = Snapshot::Open(path_);
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(mapped.status().message(), HasSubstr("the section table's checksum does not match"));
}

TEST_F(CompiledFileTest, ADamagedCollectionIsDataLossNamingIt) {
  std::string bytes = ReadAll(path_);
  uint64_t at;
  std::memcpy(&at, bytes.data() + 64 + 32, 8);  // the first section: countries
  ASSERT_EQ(bytes.substr(64, 9), "countries");
  bytes[at + 9] ^= 0x40;
  WriteAll(path_, bytes);
  absl::StatusOr<std::shared_ptr<const Snapshot>> mapped = Snapshot::Open(path_);
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(mapped.status().message(),
              HasSubstr("the countries section's checksum does not match"));
}

TEST_F(CompiledFileTest, ADamagedAttachmentIsFoundWhenItsReaderVerifiesIt) {
  // Over several checksum chunks, so that it is hashed on every core.
  const std::string payload(4 * kCompiledChecksumChunk + 17, 'p');
  ASSERT_TRUE(
      WriteCompiledCatalog(*source_, path_, {{"@search", payload}, {"@ix/agreements", "ok"}}).ok());
  std::string bytes = ReadAll(path_);
  const size_t at = bytes.find(payload);
  ASSERT_NE(at, std::string::npos);
  bytes[at + payload.size() - 1] = 'q';
  WriteAll(path_, bytes);
  // Open checks the records, not the attachments: start-up does not pay
  // for a large attachment.
  absl::StatusOr<std::shared_ptr<const Snapshot>> mapped = Snapshot::Open(path_);
  ASSERT_TRUE(mapped.ok()) << mapped.status();
  EXPECT_TRUE((*mapped)->VerifyAttachments({"@ix/agreements", "@absent"}).ok());
  for (auto how : {Snapshot::AttachmentUse::kReadSome, Snapshot::AttachmentUse::kReadWhole}) {
    const absl::Status verified = (*mapped)->VerifyAttachments({"@ix/agreements", "@search"}, how);
    EXPECT_EQ(verified.code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(verified.message(), HasSubstr("the @search section's checksum does not match"));
  }
  // The same bytes from memory (no file to pread).
  std::vector<uint64_t> aligned((bytes.size() + 7) / 8);
  std::memcpy(aligned.data(), bytes.data(), bytes.size());
  auto in_memory = Snapshot::FromCompiled(
      nullptr, absl::string_view(reinterpret_cast<const char*>(aligned.data()), bytes.size()), "m");
  ASSERT_TRUE(in_memory.ok()) << in_memory.status();
  EXPECT_EQ((*in_memory)->VerifyAttachments({"@search"}).code(), absl::StatusCode::kDataLoss);
}

TEST(CompiledChecksumTest, HashesChunksSoEveryByteCounts) {
  std::string bytes(2 * kCompiledChecksumChunk + 5, 'a');
  const uint64_t sum = CompiledChecksum(bytes);
  for (size_t at : {size_t{0}, kCompiledChecksumChunk - 1, kCompiledChecksumChunk,
                    2 * kCompiledChecksumChunk + 4}) {
    std::string changed = bytes;
    changed[at] = 'b';
    EXPECT_NE(CompiledChecksum(changed), sum) << at;
  }
  EXPECT_NE(CompiledChecksum(""), CompiledChecksum(std::string(1, '\0')));
  EXPECT_EQ(CompiledChecksum(bytes), sum);
}

TEST(StringFieldInWireTest, FindsTheTopLevelFieldAsAViewIntoTheBytes) {
  accord::v1::Commitment c;
  c.set_name("agreements/a/commitments/b");
  c.set_agreement("agreements/a");
  const std::string bytes = c.SerializeAsString();
  const auto* d = accord::v1::Commitment::descriptor();
  absl::string_view name = StringFieldInWire(bytes, d->FindFieldByName("name")->number());
  EXPECT_EQ(name, "agreements/a/commitments/b");
  EXPECT_GE(name.data(), bytes.data());
  EXPECT_LE(name.data() + name.size(), bytes.data() + bytes.size());
  EXPECT_EQ(StringFieldInWire(bytes, d->FindFieldByName("agreement")->number()), "agreements/a");
  EXPECT_EQ(StringFieldInWire(bytes, 999), "");
  EXPECT_EQ(StringFieldInWire(bytes.substr(0, 5), d->FindFieldByName("agreement")->number()), "");
}

}  // namespace
}  // namespace accord::catalog
