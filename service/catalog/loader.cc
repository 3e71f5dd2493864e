#include "service/catalog/loader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace accord::catalog {
namespace fs = std::filesystem;
namespace {

// FNV-1a, 64 bit: stable across builds and processes, unlike absl::Hash,
// so that replicas loading the same files report the same version.
class Fnv64 {
 public:
  void Update(absl::string_view bytes) {
    for (unsigned char c : bytes) {
      hash_ ^= c;
      hash_ *= 0x100000001b3ULL;
    }
  }
  std::string Hex() const { return absl::StrFormat("%016x", hash_); }

 private:
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

// What a file is, for errors about files that are not regular files.
const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

// Reads the regular file at `path` whole, following symlinks. Every failure
// is an error naming the file: a dangling symlink or a loop, a file that
// vanished, a directory, FIFO or device where a file should be (opened
// without blocking, and checked on the open descriptor, so that nothing can
// be swapped in between the check and the read), and a file larger than
// `*budget` bytes, which is refused before any byte is read. The file's size
// is taken from `*budget`.
absl::StatusOr<std::string> ReadFile(const fs::path& path, int64_t* budget,
                                     int64_t max_total_bytes) {
  const std::string name = path.string();
  int fd = open(name.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(name, ": cannot read: ", std::strerror(errno)));
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { close(fd); }
  } closer{fd};
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(name, ": cannot read: ", std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(name, ": cannot read: it is ", KindOf(st.st_mode), ", not a file"));
  }
  if (st.st_size > *budget) {
    return absl::ResourceExhaustedError(absl::StrCat(
        name, ": the catalogue would exceed ", max_total_bytes, " bytes with this file of ",
        st.st_size, " bytes (--max_catalog_bytes); nothing was read from it"));
  }
  std::string out(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return absl::DataLossError(absl::StrCat(name, ": read failed: ", std::strerror(errno)));
    }
    if (n == 0) break;  // shrank while reading: keep what is there; the hash covers it
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  *budget -= static_cast<int64_t>(done);
  return out;
}

class TextErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  explicit TextErrorCollector(std::string file) : file_(std::move(file)) {}
  void AddError(int line, int column, const std::string& message) override {
    if (first_.empty()) {
      first_ = absl::StrCat(file_, ":", line + 1, ":", column + 1, ": ", message);
    }
  }
  const std::string& first() const { return first_; }

 private:
  std::string file_;
  std::string first_;
};

// Moves every record of `from` to the end of `to`'s lists, without copying:
// both live on the same arena.
void MoveRecords(accord::v1::Catalog* from, accord::v1::Catalog* to) {
  const auto* refl = from->GetReflection();
  for (CollectionId id : kAllCollections) {
    const auto* field = registry::Get(id).catalog_field;
    auto* src = refl->MutableRepeatedPtrField<google::protobuf::Message>(from, field);
    auto* dst = refl->MutableRepeatedPtrField<google::protobuf::Message>(to, field);
    const int n = src->size();
    if (n == 0) continue;
    std::vector<google::protobuf::Message*> moved(n);
    src->UnsafeArenaExtractSubrange(0, n, moved.data());
    dst->Reserve(dst->size() + n);
    for (google::protobuf::Message* m : moved) dst->UnsafeArenaAddAllocated(m);
  }
}

int CountOf(const accord::v1::Catalog& c, CollectionId id) {
  return c.GetReflection()->FieldSize(c, registry::Get(id).catalog_field);
}

// The entries directly in `directory` whose names end with one of
// `extensions`, in name order, whatever their type: ReadFile refuses those
// that are not readable regular files, so that nothing is skipped silently.
// Other names (README, editor backups) are ignored.
absl::StatusOr<std::vector<fs::path>> ListFiles(const std::string& directory,
                                                std::initializer_list<const char*> extensions) {
  std::error_code ec;
  std::vector<fs::path> out;
  fs::directory_iterator it(directory, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string ext = it->path().extension().string();
    for (const char* wanted : extensions) {
      if (ext == wanted) out.push_back(it->path());
    }
  }
  if (ec) return absl::UnavailableError(absl::StrCat(directory, ": ", ec.message()));
  std::sort(out.begin(), out.end());
  return out;
}

// The size of `path` (following symlinks) for the size check before reading;
// 0 if it cannot be stat'ed (ReadFile then reports why).
int64_t SizeOf(const fs::path& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  return st.st_size;
}

// The parse's arena takes its memory in blocks of 2 MiB (protobuf's
// default grows to 8 KiB blocks: half a million allocations for a
// million agreements), mapped with MAP_POPULATE, so that the kernel fills
// each block's pages in one call instead of one page fault per 4 KiB as
// the parse first touches them. The blocks are unmapped when the arena is
// destroyed (see Snapshot::Build: on the background reclaimer).
constexpr size_t kParseBlockBytes = size_t{2} << 20;

void* AllocateParseBlock(size_t size) {
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
                 -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return p;
}

void FreeParseBlock(void* p, size_t size) { munmap(p, size); }

google::protobuf::ArenaOptions ParseArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = kParseBlockBytes;
  options.max_block_size = kParseBlockBytes;
  options.block_alloc = &AllocateParseBlock;
  options.block_dealloc = &FreeParseBlock;
  return options;
}

}  // namespace

void RecordOrigins::Add(CollectionId collection, int end, std::string file) {
  auto& ranges = ranges_[static_cast<int>(collection)];
  if (!ranges.empty() && ranges.back().first == end) return;  // the file added none
  ranges.emplace_back(end, std::move(file));
}

const std::string& RecordOrigins::FileOf(CollectionId collection, int index) const {
  static const std::string kUnknown;
  const auto& ranges = ranges_[static_cast<int>(collection)];
  auto it = std::upper_bound(ranges.begin(), ranges.end(), index,
                             [](int i, const auto& range) { return i < range.first; });
  return it == ranges.end() ? kUnknown : it->second;
}

absl::StatusOr<RawCatalog> ReadCatalogDirectory(const std::string& directory) {
  return ReadCatalogDirectory(directory, LoadLimits());
}

absl::StatusOr<RawCatalog> ReadCatalogDirectory(const std::string& directory,
                                                const LoadLimits& limits) {
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    return absl::NotFoundError(
        absl::StrCat("catalogue directory \"", directory, "\" does not exist"));
  }
  absl::StatusOr<std::vector<fs::path>> listed = ListFiles(directory, {".textproto", ".binpb"});
  if (!listed.ok()) return listed.status();
  std::vector<fs::path> files = *std::move(listed);
  if (files.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("catalogue directory \"", directory,
                                                      "\" holds no *.textproto or *.binpb file"));
  }
  // The size cap is checked on the listed sizes before anything is read,
  // and again per file as it is read (a file may grow in between).
  int64_t listed_bytes = 0;
  for (const fs::path& path : files) listed_bytes += SizeOf(path);
  if (listed_bytes > limits.max_total_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("catalogue directory \"", directory, "\" holds ", listed_bytes,
                     " bytes of catalogue files; the limit is ", limits.max_total_bytes,
                     " (--max_catalog_bytes); nothing was read"));
  }
  int64_t budget = limits.max_total_bytes;
  RawCatalog raw;
  raw.arena = std::make_unique<google::protobuf::Arena>(ParseArenaOptions());
  raw.catalog = google::protobuf::Arena::CreateMessage<accord::v1::Catalog>(raw.arena.get());
  Fnv64 hash;
  // Files are read and parsed in parallel (bounded threads), each into its
  // own Catalog on the shared arena (arena allocation is thread-safe), then
  // merged here in name order: the records, the version hash, the origins
  // and the error reported (the first failing file in name order) are those
  // of a sequential load.
  struct Part {
    bool done = false;
    absl::Status status;
    std::string bytes;
    accord::v1::Catalog* catalog = nullptr;
  };
  std::vector<Part> parts(files.size());
  std::mutex mu;
  std::condition_variable done;
  std::mutex budget_mu;  // reads take from one budget
  std::atomic<size_t> next{0};
  // The first failing file: files after it need not be parsed; every file
  // before it is, so the error reported is a sequential load's.
  std::atomic<size_t> first_failed{files.size()};
  auto work = [&] {
    for (size_t i = next++; i < files.size(); i = next++) {
      Part part;
      if (i < first_failed) {
        const fs::path& path = files[i];
        const std::string display = path.string();
        absl::StatusOr<std::string> bytes;
        {
          std::lock_guard<std::mutex> lock(budget_mu);
          bytes = ReadFile(path, &budget, limits.max_total_bytes);
        }
        if (!bytes.ok()) {
          part.status = bytes.status();
        } else {
          part.bytes = *std::move(bytes);
          part.catalog =
              google::protobuf::Arena::CreateMessage<accord::v1::Catalog>(raw.arena.get());
          if (path.extension() == ".binpb") {
            if (!part.catalog->ParseFromString(part.bytes)) {
              part.status = absl::InvalidArgumentError(
                  absl::StrCat(display, ": not a valid binary accord.v1.Catalog"));
            }
          } else {
            google::protobuf::TextFormat::Parser parser;
            TextErrorCollector errors(display);
            parser.RecordErrorsTo(&errors);
            if (!parser.ParseFromString(part.bytes, part.catalog)) {
              part.status = absl::InvalidArgumentError(
                  errors.first().empty() ? absl::StrCat(display, ": parse error") : errors.first());
            }
          }
        }
        if (!part.status.ok()) {
          size_t seen = first_failed;
          while (i < seen && !first_failed.compare_exchange_weak(seen, i)) {
          }
        }
      } else {
        part.status = absl::CancelledError("an earlier file failed");
      }
      part.done = true;
      std::lock_guard<std::mutex> lock(mu);
      parts[i] = std::move(part);
      done.notify_all();
    }
  };
  const size_t thread_count =
      std::min<size_t>({files.size(), std::max(1u, std::thread::hardware_concurrency()), 8});
  std::vector<std::thread> threads;
  for (size_t t = 0; t < thread_count; ++t) threads.emplace_back(work);
  // This thread merges each file as soon as it and every file before it
  // are parsed, and frees its bytes.
  absl::Status status;
  {
    for (size_t i = 0; i < files.size(); ++i) {
      Part part;
      {
        std::unique_lock<std::mutex> lock(mu);
        done.wait(lock, [&] { return parts[i].done; });
        part = std::move(parts[i]);
      }
      if (!status.ok()) continue;
      if (!part.status.ok()) {
        status = part.status;
        continue;
      }
      const fs::path& path = files[i];
      hash.Update(path.filename().string());
      hash.Update(absl::string_view("\0", 1));
      hash.Update(part.bytes);
      std::string().swap(part.bytes);
      MoveRecords(part.catalog, raw.catalog);
      for (CollectionId id : kAllCollections) {
        raw.origins.Add(id, CountOf(*raw.catalog, id), path.string());
      }
      raw.files.push_back(path.filename().string());
    }
  }
  for (std::thread& t : threads) t.join();
  if (!status.ok()) return status;

  // Only the texts of sources in the catalogue are read: any other file in
  // texts/ is ignored, neither read nor kept nor hashed.
  absl::flat_hash_set<std::string> source_ids;
  for (const auto& source : raw.catalog->sources()) {
    absl::string_view name = source.name();
    if (absl::ConsumePrefix(&name, "sources/")) source_ids.insert(std::string(name));
  }
  fs::path texts_dir = fs::path(directory) / "texts";
  if (fs::is_directory(texts_dir, ec)) {
    absl::StatusOr<std::vector<fs::path>> texts = ListFiles(texts_dir.string(), {".txt"});
    if (!texts.ok()) return texts.status();
    for (const fs::path& path : *texts) {
      if (!source_ids.contains(path.stem().string())) continue;
      absl::StatusOr<std::string> bytes = ReadFile(path, &budget, limits.max_total_bytes);
      if (!bytes.ok()) return bytes.status();
      hash.Update(absl::StrCat("texts/", path.filename().string()));
      hash.Update(absl::string_view("\0", 1));
      hash.Update(*bytes);
      raw.texts[path.stem().string()] = *std::move(bytes);
    }
  }
  raw.version = hash.Hex();
  return raw;
}

}  // namespace accord::catalog
