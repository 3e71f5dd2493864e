#include "service/catalog/compiled_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/catalog/fixed_width.h"

namespace accord::catalog {
namespace {

constexpr size_t kHeaderSize = 64;
constexpr size_t kSectionEntrySize = 64;
constexpr size_t kSectionNameSize = 24;

size_t Align8(size_t n) { return (n + 7) & ~size_t{7}; }

absl::Status Corrupt(const std::string& path, absl::string_view what) {
  return absl::DataLossError(absl::StrCat("compiled catalogue ", path,
                                          " is truncated or corrupt: ", what,
                                          "; compile it again with `accord_catalog compile`"));
}

// The mapping of a compiled file and its descriptor (kept open so that
// attachments can be verified with pread later), both released when the
// last snapshot using them goes.
class Mapping {
 public:
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

// A section to verify: [at, at + size) of the file, against `want`.
struct Check {
  std::string name;
  uint64_t at;
  uint64_t size;
  uint64_t want;
  uint64_t count = 0;  // a collection's record count
};

size_t ChunkCount(uint64_t size) {
  return size == 0 ? 0 : (size + kCompiledChecksumChunk - 1) / kCompiledChecksumChunk;
}

// XXH3-64 of [at, at + size) of the file: through pread into a small buffer
// when fd >= 0 (the pages stay out of this process's resident set), else
// from `bytes`. False when the file cannot be read.
bool HashRange(int fd, absl::string_view bytes, uint64_t at, uint64_t size, uint64_t* hash) {
  if (fd < 0) {
    *hash = XXH3_64bits(bytes.data() + at, size);
    return true;
  }
  constexpr size_t kBuffer = 256 << 10;  // stays in the core's cache
  thread_local std::unique_ptr<char[]> buffer(new char[kBuffer]);
  thread_local std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state(
      XXH3_createState(), XXH3_freeState);
  XXH3_64bits_reset(state.get());
  while (size > 0) {
    const ssize_t got =
        pread(fd, buffer.get(), std::min<uint64_t>(size, kBuffer), static_cast<off_t>(at));
    if (got <= 0) {
      if (got < 0 && errno == EINTR) continue;
      return false;
    }
    XXH3_64bits_update(state.get(), buffer.get(), static_cast<size_t>(got));
    at += static_cast<uint64_t>(got);
    size -= static_cast<uint64_t>(got);
  }
  *hash = XXH3_64bits_digest(state.get());
  return true;
}

// Verifies `checks` (inside `bytes`), hashing their chunks on every core
// when there is enough to hash. The name of the first section whose
// checksum differs (or cannot be read), or "" when all match.
std::string VerifySections(int fd, absl::string_view bytes, const std::vector<Check>& checks) {
  std::vector<std::vector<uint64_t>> hashes(checks.size());
  std::vector<std::pair<size_t, size_t>> work;  // (check, chunk)
  uint64_t total = 0;
  for (size_t c = 0; c < checks.size(); ++c) {
    hashes[c].resize(ChunkCount(checks[c].size));
    for (size_t k = 0; k < hashes[c].size(); ++k) work.emplace_back(c, k);
    total += checks[c].size;
  }
  std::vector<char> failed(checks.size(), 0);
  std::atomic<size_t> next{0};
  auto run = [&] {
    for (size_t w; (w = next.fetch_add(1, std::memory_order_relaxed)) < work.size();) {
      const auto [c, k] = work[w];
      const uint64_t at = uint64_t{k} * kCompiledChecksumChunk;
      const uint64_t size = std::min<uint64_t>(kCompiledChecksumChunk, checks[c].size - at);
      if (!HashRange(fd, bytes, checks[c].at + at, size, &hashes[c][k])) failed[c] = 1;
    }
  };
  // Threads only pay for themselves over a few chunks.
  const size_t threads =
      total < 4 * kCompiledChecksumChunk
          ? 1
          : std::min<size_t>(work.size(), std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(run);
  run();
  for (std::thread& t : pool) t.join();
  for (size_t c = 0; c < checks.size(); ++c) {
    const uint64_t sum = XXH3_64bits(hashes[c].data(), hashes[c].size() * sizeof(uint64_t));
    if (failed[c] || sum != checks[c].want) return checks[c].name;
  }
  return "";
}

}  // namespace

uint64_t CompiledChecksum(absl::string_view bytes) {
  std::vector<uint64_t> hashes(ChunkCount(bytes.size()));
  for (size_t k = 0; k < hashes.size(); ++k) {
    hashes[k] =
        XXH3_64bits(bytes.data() + k * kCompiledChecksumChunk,
                    std::min(kCompiledChecksumChunk, bytes.size() - k * kCompiledChecksumChunk));
  }
  return XXH3_64bits(hashes.data(), hashes.size() * sizeof(uint64_t));
}

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
    uint64_t names_total = 0, records_total = 0;
    for (size_t i = 0; i < n; ++i) {
      names_total += c.name(i).size();
      records_total += c.bytes(i).size();
    }
    if (names_total > UINT32_MAX) {
      return absl::InvalidArgumentError("the names of one collection exceed 4 GiB");
    }
    const size_t names_at = Align8(start + (n + 1) * 8 + (n + 1) * 4);
    const size_t records_at = Align8(names_at + names_total);
    body.resize(records_at + records_total);
    uint64_t offset = 0;
    uint32_t name_offset = 0;
    for (size_t i = 0; i <= n; ++i) {
      PutFixed<uint64_t>(&body, start + i * 8, offset);
      PutFixed<uint32_t>(&body, start + (n + 1) * 8 + i * 4, name_offset);
      if (i == n) break;
      const absl::string_view record = c.bytes(i);
      const absl::string_view name = c.name(i);
      std::memcpy(body.data() + records_at + offset, record.data(), record.size());
      std::memcpy(body.data() + names_at + name_offset, name.data(), name.size());
      offset += record.size();
      name_offset += static_cast<uint32_t>(name.size());
    }
    const std::string& field = registry::Get(id).catalog_field->name();
    const size_t entry = section * kSectionEntrySize;
    std::memcpy(body.data() + entry, field.data(), std::min(field.size(), kSectionNameSize - 1));
    PutFixed<uint64_t>(&body, entry + 24, n);
    PutFixed<uint64_t>(&body, entry + 32, kHeaderSize + start);
    PutFixed<uint64_t>(&body, entry + 40, body.size() - start);
    PutFixed<uint64_t>(&body, entry + 48, CompiledChecksum(absl::string_view(body).substr(start)));
    ++section;
  }
  for (const Attachment& a : attachments) {
    const size_t start = Align8(body.size());
    body.resize(start);
    body.append(a.bytes);
    const size_t entry = section * kSectionEntrySize;
    std::memcpy(body.data() + entry, a.name.data(), a.name.size());
    PutFixed<uint64_t>(&body, entry + 24, 0);
    PutFixed<uint64_t>(&body, entry + 32, kHeaderSize + start);
    PutFixed<uint64_t>(&body, entry + 40, a.bytes.size());
    PutFixed<uint64_t>(&body, entry + 48, CompiledChecksum(a.bytes));
    ++section;
  }
  std::string header(kHeaderSize, '\0');
  std::memcpy(header.data(), kCompiledMagic, sizeof(kCompiledMagic));
  PutFixed<uint32_t>(&header, 8, kCompiledFormatVersion);
  PutFixed<uint32_t>(&header, 12, static_cast<uint32_t>(section));
  PutFixed<uint64_t>(&header, 16, kHeaderSize + body.size());
  PutFixed<uint64_t>(&header, 24, XXH3_64bits(body.data(), table_size));
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
  for (const AttachedSection& a : attachments_) {
    if (a.name == name) return a.bytes;
  }
  return std::nullopt;
}

std::optional<Snapshot::FileLocation> Snapshot::attachment_location(absl::string_view name) const {
  const std::optional<absl::string_view> bytes = attachment(name);
  if (!bytes.has_value() || compiled_fd_ < 0) return std::nullopt;
  return FileLocation{compiled_fd_, static_cast<uint64_t>(bytes->data() - compiled_bytes_.data())};
}

absl::Status Snapshot::VerifyAttachments(const std::vector<std::string>& names,
                                         AttachmentUse how) const {
  std::vector<Check> checks;
  for (const std::string& name : names) {
    for (const AttachedSection& a : attachments_) {
      if (a.name != name) continue;
      checks.push_back({a.name, static_cast<uint64_t>(a.bytes.data() - compiled_bytes_.data()),
                        a.bytes.size(), a.checksum});
    }
  }
  const std::string bad =
      VerifySections(how == AttachmentUse::kReadWhole ? -1 : compiled_fd_, compiled_bytes_, checks);
  if (!bad.empty()) {
    return Corrupt(directory_, absl::StrCat("the ", bad, " section's checksum does not match"));
  }
  return absl::OkStatus();
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
  // Not populated: a page becomes resident in this process when it is first
  // read, so records never served cost this process no memory.
  void* data = mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) {
    const int err = errno;
    close(fd);
    return absl::UnavailableError(
        absl::StrCat("cannot map compiled catalogue ", path, ": ", std::strerror(err)));
  }
  auto mapping = std::make_shared<const Mapping>(data, size, fd);
  const absl::string_view bytes = mapping->bytes();
  absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot =
      FromCompiledFile(std::move(mapping), bytes, path, fd);
  if (snapshot.ok()) {
    auto* s = const_cast<Snapshot*>(snapshot->get());
    s->load_duration_ = absl::Now() - start;
    s->compiled_fd_ = fd;
  }
  return snapshot;
}

absl::StatusOr<std::shared_ptr<const Snapshot>> Snapshot::FromCompiled(
    std::shared_ptr<const void> owner, absl::string_view bytes, std::string path) {
  return FromCompiledFile(std::move(owner), bytes, std::move(path), -1);
}

absl::StatusOr<std::shared_ptr<const Snapshot>> Snapshot::FromCompiledFile(
    std::shared_ptr<const void> owner, absl::string_view bytes, std::string path, int fd) {
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
  const uint32_t version = GetFixed<uint32_t>(bytes, 8);
  if (version != kCompiledFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("compiled catalogue ", path, " has format version ", version,
                     "; this server reads format version ", kCompiledFormatVersion,
                     ": compile it again with this release's `accord_catalog compile`"));
  }
  if (reinterpret_cast<uintptr_t>(bytes.data()) % 8 != 0) {
    return absl::InvalidArgumentError("compiled catalogue bytes must be 8-byte aligned");
  }
  const uint64_t file_size = GetFixed<uint64_t>(bytes, 16);
  if (file_size != bytes.size()) {
    return Corrupt(
        path, absl::StrCat("the header says ", file_size, " bytes, the file has ", bytes.size()));
  }
  const uint32_t sections = GetFixed<uint32_t>(bytes, 12);
  if (sections > (bytes.size() - kHeaderSize) / kSectionEntrySize) {
    return Corrupt(path, "the section table runs past the end");
  }
  if (XXH3_64bits(bytes.data() + kHeaderSize, sections * kSectionEntrySize) !=
      GetFixed<uint64_t>(bytes, 24)) {
    return Corrupt(path, "the section table's checksum does not match");
  }
  std::shared_ptr<Snapshot> snapshot(new Snapshot());
  snapshot->mapping_ = std::move(owner);
  snapshot->compiled_fd_ = fd;
  snapshot->compiled_bytes_ = bytes;
  snapshot->directory_ = path;
  snapshot->raw_.version = std::string(bytes.substr(32, 16));
  snapshot->raw_.version.resize(strnlen(snapshot->raw_.version.c_str(), 16));
  snapshot->raw_.files = {std::filesystem::path(path).filename().string()};
  for (CollectionId id : kAllCollections) snapshot->collections_[static_cast<int>(id)].id_ = id;
  // Every section lies inside the file; the collections' checksums are
  // verified (together, on every core) before their contents are read.
  std::vector<Check> checks;
  for (uint32_t s = 0; s < sections; ++s) {
    const size_t entry = kHeaderSize + s * kSectionEntrySize;
    const absl::string_view raw_name = bytes.substr(entry, kSectionNameSize);
    const std::string name(raw_name.substr(0, raw_name.find('\0')));
    const uint64_t at = GetFixed<uint64_t>(bytes, entry + 32);
    const uint64_t size = GetFixed<uint64_t>(bytes, entry + 40);
    if (at % 8 != 0 || at > bytes.size() || size > bytes.size() - at) {
      return Corrupt(path, absl::StrCat("the ", name, " section lies outside the file"));
    }
    const uint64_t checksum = GetFixed<uint64_t>(bytes, entry + 48);
    if (!name.empty() && name[0] == '@') {
      for (const AttachedSection& other : snapshot->attachments_) {
        if (other.name == name) return Corrupt(path, absl::StrCat("two sections hold ", name));
      }
      snapshot->attachments_.push_back({name, bytes.substr(at, size), checksum});
    } else {
      checks.push_back({name, at, size, checksum, GetFixed<uint64_t>(bytes, entry + 24)});
    }
  }
  const std::string bad = VerifySections(fd, bytes, checks);
  if (!bad.empty()) {
    return Corrupt(path, absl::StrCat("the ", bad, " section's checksum does not match"));
  }
  std::array<bool, kCollectionCount> seen{};
  for (const Check& check : checks) {
    const std::string& name = check.name;
    std::optional<CollectionId> id;
    for (CollectionId c : kAllCollections) {
      if (registry::Get(c).catalog_field->name() == name) id = c;
    }
    if (!id.has_value()) {
      return Corrupt(path, absl::StrCat("a section holds an unknown collection \"", name, "\""));
    }
    if (seen[static_cast<int>(*id)]) {
      return Corrupt(path, absl::StrCat("two sections hold ", name));
    }
    seen[static_cast<int>(*id)] = true;
    const uint64_t at = check.at;
    const uint64_t size = check.size;
    const uint64_t n = check.count;
    // (n + 1) offsets and (n + 1) name offsets, without overflow.
    if (n >= size / 12) {
      return Corrupt(path, absl::StrCat("the ", name, " section is too small for ", n, " records"));
    }
    const absl::string_view section = bytes.substr(at, size);
    const size_t name_offsets_at = (n + 1) * 8;
    const size_t names_at = Align8(name_offsets_at + (n + 1) * 4);
    if (names_at > size) {
      return Corrupt(path, absl::StrCat("the ", name, " section is too small for ", n, " records"));
    }
    const uint32_t names_size = GetFixed<uint32_t>(section, name_offsets_at + n * 4);
    if (GetFixed<uint32_t>(section, name_offsets_at) != 0 || names_size > size - names_at) {
      return Corrupt(path, absl::StrCat("the ", name, " name offsets do not fit the section"));
    }
    const size_t records_at = Align8(names_at + names_size);
    if (records_at > size) {
      return Corrupt(path, absl::StrCat("the ", name, " name offsets do not fit the section"));
    }
    Collection& c = snapshot->collections_[static_cast<int>(*id)];
    c.count_ = n;
    c.offsets_ = reinterpret_cast<const uint64_t*>(section.data());
    c.data_ = section.data() + records_at;
    const uint64_t records_size = size - records_at;
    if (c.offsets_[0] != 0 || c.offsets_[n] != records_size) {
      return Corrupt(path, absl::StrCat("the ", name, " record offsets do not span the section"));
    }
    const char* names = section.data() + names_at;
    c.names_.reserve(n);
    uint32_t name_start = 0;
    for (size_t i = 0; i < n; ++i) {
      if (c.offsets_[i + 1] < c.offsets_[i]) {
        return Corrupt(path, absl::StrCat("the ", name, " record offsets are out of order"));
      }
      const uint32_t name_end = GetFixed<uint32_t>(section, name_offsets_at + (i + 1) * 4);
      if (name_end < name_start || name_end > names_size) {
        return Corrupt(path, absl::StrCat("the ", name, " name offsets are out of order"));
      }
      c.names_.push_back(absl::string_view(names + name_start, name_end - name_start));
      name_start = name_end;
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
