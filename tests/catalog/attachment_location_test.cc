// Snapshot::attachment_location: where an attachment lies in the compiled
// file, read through a descriptor of the very file that was mapped.
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "gtest/gtest.h"
#include "service/catalog/compiled_file.h"
#include "service/catalog/snapshot.h"

namespace accord::catalog {
namespace {

std::string ReadAt(int fd, uint64_t offset, size_t size) {
  std::string out(size, '\0');
  const ssize_t n = pread(fd, out.data(), size, static_cast<off_t>(offset));
  out.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return out;
}

TEST(AttachmentLocationTest, PointsAtTheAttachmentInTheMappedFileEvenAfterARename) {
  auto source = Snapshot::Load(std::string(ACCORD_SOURCE_DIR) + "/data/catalogue");
  ASSERT_TRUE(source.ok()) << source.status();
  const std::string dir = ::testing::TempDir();
  const std::string path = dir + "/attachment_location.accord";
  const std::string other = dir + "/attachment_location_other.accord";
  ASSERT_TRUE(WriteCompiledCatalog(**source, path, {{"@a", "first"}, {"@b", "second bytes"}}).ok());
  auto mapped = Snapshot::Open(path);
  ASSERT_TRUE(mapped.ok()) << mapped.status();
  // Another file renamed over the path: the snapshot's descriptor still
  // reads the file it mapped.
  ASSERT_TRUE(WriteCompiledCatalog(**source, other, {{"@b", "replaced!!!!"}}).ok());
  ASSERT_EQ(std::rename(other.c_str(), path.c_str()), 0);
  for (const char* name : {"@a", "@b"}) {
    std::optional<Snapshot::FileLocation> at = (*mapped)->attachment_location(name);
    ASSERT_TRUE(at.has_value()) << name;
    EXPECT_GE(at->fd, 0);
    const absl::string_view bytes = *(*mapped)->attachment(name);
    EXPECT_EQ(ReadAt(at->fd, at->offset, bytes.size()), bytes) << name;
  }
  EXPECT_EQ(ReadAt((*mapped)->attachment_location("@b")->fd,
                   (*mapped)->attachment_location("@b")->offset, 12),
            "second bytes");
  EXPECT_FALSE((*mapped)->attachment_location("@c").has_value());
  // Loaded from sources, or compiled bytes in memory: no file.
  EXPECT_FALSE((*source)->attachment_location("@a").has_value());
  std::remove(path.c_str());
}

}  // namespace
}  // namespace accord::catalog
