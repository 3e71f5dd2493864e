#include "service/catalog/compiled_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace accord::catalog {
namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the compiled catalogue is little-endian; add byte swapping for this host");

constexpr size_t kHeaderSize = 64;
constexpr size_t kSectionEntrySize = 48;
constexpr size_t kSectionNameSize = 24;

template <typename T>
void Put(std::string* out, size_t at, T value) {
  std::memcpy(out->data() + at, &value, sizeof(T));
}

template <typename T>
T Get(absl::string_view in, size_t at) {
  T value;
  std::memcpy(&value, in.data() + at, sizeof(T));
  return value;
}

size_t Align8(size_t n) { return (n + 7) & ~size_t{7}; }

absl::Status Corrupt(const std::string& path, absl::string_view what) {
  return absl::DataLossError(absl::StrCat("compiled catalogue ", path,
                                          " is truncated or corrupt: ", what,
                                          "; compile it again with `accord_catalog compile`"));
}

// The mapping of a compiled file, unmapped when the last snapshot using it
// goes.
class Mapping {
 public:
  // Owns `fd` (the mapped file), closed with the mapping.
  Mapping(void* data, size_t size, int fd) : data_(data), size_(size), fd_(fd) {}
  ~Mapping() {
    if (data_ != nullptr) munmap(data_, size_);
    if (fd_ >= 0) close(fd_);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  absl::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_;
  size_t size_;
  int fd_;
};

}  // namespace

absl::Status WriteCompiledCatalog(const Snapshot& snapshot, const std::string& path,
                                  const std::vector<Attachment>& attachments) {
  for (size_t i = 0; i < attachments.size(); ++i) {
    const std::string& name = attachments[i].name;
    if (name.size() < 2 || name[0] != '@' || name.size() >= kSectionNameSize ||
        name.find('\0') != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("bad attachment name \"", name, "\""));
    }
    for (size_t j = 0; j < i; ++j) {
      if (attachments[j].name == name) {
        return absl::InvalidArgumentError(absl::StrCat("two attachments named ", name));
      }
    }
  }
  // Sections first, so that the header can carry the checksum.
  std::string body;  // everything after the header
  const size_t table_size = (kCollectionCount + attachments.size()) * kSectionEntrySize;
  body.resize(table_size);
  int section = 0;
  for (CollectionId id : kAllCollections) {
    const Collection& c = snapshot.collection(id);
    const size_t n = c.size();
    const size_t start = Align8(body.size());
    body.resize(start);
    size_t at = start;
    const size_t records_at = Align8(at + (n + 1) * 8 + n * 8);
    uint64_t total = 0;
    for (size_t i = 0; i < n; ++i) total += c.bytes(i).size();
    body.resize(records_at + total);
    uint64_t offset = 0;
    for (size_t i = 0; i <= n; ++i) {
      Put<uint64_t>(&body, at + i * 8, offset);
      if (i < n) offset += c.bytes(i).size();
    }
    at += (n + 1) * 8;
    offset = 0;
    for (size_t i = 0; i < n; ++i) {
      const absl::string_view record = c.bytes(i);
      const absl::string_view name = c.name(i);
      Put<uint32_t>(&body, at + i * 4, static_cast<uint32_t>(name.data() - record.data()));
      Put<uint32_t>(&body, at + (n + i) * 4, static_cast<uint32_t>(name.size()));
      std::memcpy(body.data() + records_at + offset, record.data(), record.size());
      offset += record.size();
    }
    const std::string& field = registry::Get(id).catalog_field->name();
    const size_t entry = section * kSectionEntrySize;
    std::memcpy(body.data() + entry, field.data(), std::min(field.size(), kSectionNameSize - 1));
    Put<uint64_t>(&body, entry + 24, n);
    Put<uint64_t>(&body, entry + 32, kHeaderSize + start);
    Put<uint64_t>(&body, entry + 40, body.size() - start);
    ++section;
  }
  for (const Attachment& a : attachments) {
    const size_t start = Align8(body.size());
    body.resize(start);
    body.append(a.bytes);
    const size_t entry = section * kSectionEntrySize;
    std::memcpy(body.data() + entry, a.name.data(), a.name.size());
    Put<uint64_t>(&body, entry + 24, 0);
    Put<uint64_t>(&body, entry + 32, kHeaderSize + start);
    Put<uint64_t>(&body, entry + 40, a.bytes.size());
    ++section;
  }
  std::string header(kHeaderSize, '\0');
  std::memcpy(header.data(), kCompiledMagic, sizeof(kCompiledMagic));
  Put<uint32_t>(&header, 8, kCompiledFormatVersion);
  Put<uint32_t>(&header, 12, static_cast<uint32_t>(section));
  Put<uint64_t>(&header, 16, kHeaderSize + body.size());
  Put<uint64_t>(&header, 24, XXH3_64bits(body.data(), body.size()));
  std::memcpy(header.data() + 32, snapshot.version().data(),
              std::min<size_t>(16, snapshot.version().size()));

  const std::string temp = absl::StrCat(path, ".tmp.", getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    out.flush();
    if (!out) {
      std::remove(temp.c_str());
      return absl::UnavailableError(absl::StrCat("cannot write ", temp));
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::remove(temp.c_str());
    return absl::UnavailableError(
        absl::StrCat("cannot rename ", temp, " to ", path, ": ", std::strerror(err)));
  }
  return absl::OkStatus();
}

std::optional<absl::string_view> Snapshot::attachment(absl::string_view name) const {
  for (const auto& [n, bytes] : attachments_) {
    if (n == name) return bytes;
  }
  return std::nullopt;
}

std::optional<Snapshot::FileLocation> Snapshot::attachment_location(absl::string_view name) const {
  const std::optional<absl::string_view> bytes = attachment(name);
  if (!bytes.has_value() || compiled_fd_ < 0) return std::nullopt;
  return FileLocation{compiled_fd_, static_cast<uint64_t>(bytes->data() - compiled_bytes_)};
}

absl::StatusOr<std::shared_ptr<const Snapshot>> Snapshot::Open(const std::string& path) {
  const absl::Time start = absl::Now();
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    const std::string message =
        absl::StrCat("cannot open compiled catalogue ", path, ": ", std::strerror(err));
    if (err == ENOENT) return absl::NotFoundError(message);
    if (err == EACCES) return absl::PermissionDeniedError(message);
    return absl::UnavailableError(message);
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat("compiled catalogue ", path, " is not a regular file"));
  }
  const size_t size = static_cast<size_t>(st.st_size);
  if (size < kHeaderSize) {
    close(fd);
    return Corrupt(path, absl::StrCat("the file has ", size, " bytes, fewer than a header"));
  }
  // Shared and read-only: every process mapping the file shares its pages.
  void* data = mmap(nullptr, size, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
  if (data == MAP_FAILED) {
    const int err = errno;
    close(fd);
    return absl::UnavailableError(
        absl::StrCat("cannot map compiled catalogue ", path, ": ", std::strerror(err)));
  }
  // The descriptor stays open with the mapping: attachment_location.
  auto mapping = std::make_shared<const Mapping>(data, size, fd);
  const absl::string_view bytes = mapping->bytes();
  absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot =
      FromCompiled(std::move(mapping), bytes, path);
  if (snapshot.ok()) {
    auto* s = const_cast<Snapshot*>(snapshot->get());
    s->load_duration_ = absl::Now() - start;
    s->compiled_fd_ = fd;
  }
  return snapshot;
}

absl::StatusOr<std::shared_ptr<const Snapshot>> Snapshot::FromCompiled(
    std::shared_ptr<const void> owner, absl::string_view bytes, std::string path) {
  const absl::Time start = absl::Now();
  if (bytes.size() < kHeaderSize) {
    return Corrupt(path,
                   absl::StrCat("the file has ", bytes.size(), " bytes, fewer than a header"));
  }
  if (std::memcmp(bytes.data(), kCompiledMagic, sizeof(kCompiledMagic)) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        path,
        " is not a compiled Accord catalogue (no ACCORDCC header); compile a catalogue "
        "directory with `accord_catalog compile DIR OUT`, or pass the directory"));
  }
  const uint32_t version = Get<uint32_t>(bytes, 8);
  if (version != kCompiledFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("compiled catalogue ", path, " has format version ", version,
                     "; this server reads format version ", kCompiledFormatVersion,
                     ": compile it again with this release's `accord_catalog compile`"));
  }
  if (reinterpret_cast<uintptr_t>(bytes.data()) % 8 != 0) {
    return absl::InvalidArgumentError("compiled catalogue bytes must be 8-byte aligned");
  }
  const uint64_t file_size = Get<uint64_t>(bytes, 16);
  if (file_size != bytes.size()) {
    return Corrupt(
        path, absl::StrCat("the header says ", file_size, " bytes, the file has ", bytes.size()));
  }
  const uint64_t checksum = Get<uint64_t>(bytes, 24);
  if (XXH3_64bits(bytes.data() + kHeaderSize, bytes.size() - kHeaderSize) != checksum) {
    return Corrupt(path, "the checksum does not match");
  }
  const uint32_t sections = Get<uint32_t>(bytes, 12);
  if (sections > (bytes.size() - kHeaderSize) / kSectionEntrySize) {
    return Corrupt(path, "the section table runs past the end");
  }
  std::shared_ptr<Snapshot> snapshot(new Snapshot());
  snapshot->mapping_ = std::move(owner);
  snapshot->compiled_bytes_ = bytes.data();
  snapshot->directory_ = path;
  snapshot->raw_.version = std::string(bytes.substr(32, 16));
  snapshot->raw_.version.resize(strnlen(snapshot->raw_.version.c_str(), 16));
  snapshot->raw_.files = {std::filesystem::path(path).filename().string()};
  for (CollectionId id : kAllCollections) snapshot->collections_[static_cast<int>(id)].id_ = id;
  std::array<bool, kCollectionCount> seen{};
  for (uint32_t s = 0; s < sections; ++s) {
    const size_t entry = kHeaderSize + s * kSectionEntrySize;
    const absl::string_view raw_name = bytes.substr(entry, kSectionNameSize);
    const absl::string_view name = raw_name.substr(0, raw_name.find('\0'));
    if (!name.empty() && name[0] == '@') {
      const uint64_t at = Get<uint64_t>(bytes, entry + 32);
      const uint64_t size = Get<uint64_t>(bytes, entry + 40);
      if (at % 8 != 0 || at > bytes.size() || size > bytes.size() - at) {
        return Corrupt(path, absl::StrCat("the ", name, " section lies outside the file"));
      }
      for (const auto& [other, unused] : snapshot->attachments_) {
        if (other == name) return Corrupt(path, absl::StrCat("two sections hold ", name));
      }
      snapshot->attachments_.emplace_back(std::string(name), bytes.substr(at, size));
      continue;
    }
    std::optional<CollectionId> id;
    for (CollectionId c : kAllCollections) {
      if (registry::Get(c).catalog_field->name() == name) id = c;
    }
    if (!id.has_value()) {
      return Corrupt(path, absl::StrCat("section ", s, " holds an unknown collection"));
    }
    if (seen[static_cast<int>(*id)]) {
      return Corrupt(path, absl::StrCat("two sections hold ", name));
    }
    seen[static_cast<int>(*id)] = true;
    const uint64_t n = Get<uint64_t>(bytes, entry + 24);
    const uint64_t at = Get<uint64_t>(bytes, entry + 32);
    const uint64_t size = Get<uint64_t>(bytes, entry + 40);
    if (at % 8 != 0 || at > bytes.size() || size > bytes.size() - at) {
      return Corrupt(path, absl::StrCat("the ", name, " section lies outside the file"));
    }
    // (n + 1) offsets and 2n name words, without overflow.
    if (n > size / 16) {
      return Corrupt(path, absl::StrCat("the ", name, " section is too small for ", n, " records"));
    }
    const size_t records_at = Align8((n + 1) * 8 + n * 8);
    if (records_at > size) {
      return Corrupt(path, absl::StrCat("the ", name, " section is too small for ", n, " records"));
    }
    const absl::string_view section = bytes.substr(at, size);
    Collection& c = snapshot->collections_[static_cast<int>(*id)];
    c.count_ = n;
    c.offsets_ = reinterpret_cast<const uint64_t*>(section.data());
    c.data_ = section.data() + records_at;
    const uint64_t records_size = size - records_at;
    if (c.offsets_[0] != 0 || c.offsets_[n] != records_size) {
      return Corrupt(path, absl::StrCat("the ", name, " record offsets do not span the section"));
    }
    c.names_.reserve(n);
    const size_t names_at = (n + 1) * 8;
    for (size_t i = 0; i < n; ++i) {
      if (c.offsets_[i + 1] < c.offsets_[i] || c.offsets_[i + 1] > records_size) {
        return Corrupt(path, absl::StrCat("the ", name, " record offsets are out of order"));
      }
      const uint32_t name_start = Get<uint32_t>(section, names_at + i * 4);
      const uint32_t name_size = Get<uint32_t>(section, names_at + (n + i) * 4);
      const uint64_t record_size = c.offsets_[i + 1] - c.offsets_[i];
      if (name_start > record_size || name_size > record_size - name_start) {
        return Corrupt(path, absl::StrCat("the name of ", name, " record ", i, " lies outside it"));
      }
      c.names_.push_back(absl::string_view(c.data_ + c.offsets_[i] + name_start, name_size));
      if (i > 0 && !(c.names_[i - 1] < c.names_[i])) {
        return Corrupt(path, absl::StrCat("the ", name, " records are not in name order"));
      }
    }
  }
  snapshot->load_time_ = absl::Now();
  snapshot->load_duration_ = snapshot->load_time_ - start;
  return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

}  // namespace accord::catalog
