// Catalogue storage: an immutable, validated catalogue, its records in name
// order as wire bytes. No long-lived google::protobuf::Message is kept per
// record: each record is stored once, serialized, in one contiguous buffer
// per collection, beside its name (a view into those bytes); a reader that
// needs a typed record parses it on demand into an arena it owns (Parse).
// Includes nothing above service/catalog; the serving catalogue
// (service/serving) adds schemas and indexes.
#ifndef ACCORD_SERVICE_CATALOG_SNAPSHOT_H_
#define ACCORD_SERVICE_CATALOG_SNAPSHOT_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "accord/v1/catalog.pb.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "service/catalog/collections.h"
#include "service/catalog/loader.h"
#include "service/catalog/reclaimer.h"

namespace accord::catalog {

// The value of the first length-delimited field numbered `number` in the
// serialized message `bytes` (top level only), as a view into `bytes`; ""
// when absent or when the bytes are malformed.
absl::string_view StringFieldInWire(absl::string_view bytes, int number);

// The records of one collection, sorted by name. Storage only: schemas and
// indexes are built above it (service/serving).
//
// Contract: records are immutable wire bytes. `bytes(i)` and `name(i)` view
// memory owned by the collection (its buffer, or a mapped compiled file) and
// stay valid as long as the snapshot does. A typed record exists only as the
// result of Parse, in the caller's arena, for as long as the caller keeps
// that arena: parse per request or per chunk of a build, never keep one
// message per record.
class Collection {
 public:
  CollectionId id() const { return id_; }
  size_t size() const { return count_; }
  // Record `i` in name order as its serialized bytes (the wire form a Get
  // returns).
  absl::string_view bytes(size_t i) const {
    return absl::string_view(data_ + offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  // The name of record `i`: a view into bytes(i).
  absl::string_view name(size_t i) const { return names_[i]; }
  // Parses record `i` into a new message of the collection's type, allocated
  // on `arena` (which must outlive every use of the message and of the
  // string_views its fields hand out). The bytes were validated when the
  // catalogue was built, so the parse does not fail; a record that could
  // not be parsed (a corrupt mapped file) yields an empty message.
  google::protobuf::Message* Parse(size_t i, google::protobuf::Arena* arena) const;
  // Record `i` with only its top-level fields numbered `numbers` (sorted),
  // parsed into `arena`: the other fields' bytes are skipped, not parsed,
  // so a filter on a few fields does not pay for the whole record. The
  // message then reads as if the other fields were unset. `scratch` holds
  // the kept bytes while parsing (reused across calls).
  google::protobuf::Message* ParseFields(size_t i, const std::vector<int>& numbers,
                                         google::protobuf::Arena* arena,
                                         std::string* scratch) const;
  // The collection's resource message type (accord.v1.Agreement, ...).
  const google::protobuf::Descriptor* descriptor() const;
  // The value of the string field `field` (of the record's own message, not
  // nested) in record `i`, read from its wire bytes without parsing: a view
  // into bytes(i), "" when unset. For references such as a commitment's
  // `agreement`.
  absl::string_view StringField(size_t i, const google::protobuf::FieldDescriptor* field) const;
  // True when a record is called `name`.
  bool Contains(absl::string_view name) const { return IndexOf(name) >= 0; }
  // The position of `name` in name order, or -1. Binary search.
  int64_t IndexOf(absl::string_view name) const;
  // The half-open range of positions whose names start with `prefix`
  // (e.g. "agreements/x/" for the commitments of one agreement).
  std::pair<size_t, size_t> RangeWithPrefix(absl::string_view prefix) const;
  // Bytes held for this collection (records, offsets, names).
  size_t MemoryBytes() const;

 private:
  friend class Snapshot;
  CollectionId id_ = CollectionId::kCountries;
  size_t count_ = 0;
  // Every record's bytes, in name order (when owned): allocated without
  // being zeroed (the serialization writes every byte, on every core).
  std::unique_ptr<char[]> arena_;
  size_t arena_size_ = 0;
  const char* data_ = nullptr;            // arena_.get(), or the mapped file's bytes
  std::vector<uint64_t> owned_offsets_;   // when built from sources
  const uint64_t* offsets_ = nullptr;     // record i is data_[offsets_[i], offsets_[i+1])
  std::vector<absl::string_view> names_;  // views into data_
};

// Named bytes stored in a compiled catalogue beside the records by a layer
// above storage (which alone knows what they mean); see compiled_file.h.
struct Attachment {
  std::string name;  // "@index/agreements"
  std::string bytes;
};

// One record to arrange: its name and parsed message (`key`, `key2` are
// SortByName's), and its position before sorting (carried along, not
// compared).
struct NameRow {
  uint64_t key = 0;
  absl::string_view name;
  const google::protobuf::Message* record = nullptr;
  uint64_t key2 = 0;
  uint32_t index = 0;
};
// Sorts `rows` by name (byte-wise, as absl::string_view compares), equal
// names by record address: the order std::sort gives the (name, record)
// pairs, with fewer reads of the names.
void SortByName(std::vector<NameRow>* rows);

// A loaded catalogue. Immutable once built, so request handlers share it
// across threads without locks; a reload builds a new one and swaps the
// pointer.
class Snapshot {
 public:
  // Reads, validates and arranges the catalogue in `directory`. On failure
  // the error names the file, record and problem (see ValidateCatalog).
  // When `directory` is a regular file, it is a compiled catalogue: Open.
  static absl::StatusOr<std::shared_ptr<const Snapshot>> Load(const std::string& directory,
                                                              const LoadLimits& limits = {});

  // Maps the compiled catalogue at `path` (written by WriteCompiledCatalog,
  // compiled_file.h) read-only and shared, so that processes on one host
  // share its pages; the records are served from the mapping. Checks the
  // header, the format version, the section table's checksum, every
  // collection section's checksum (on every core, read with pread so that
  // the records' pages are not made resident by the check) and every
  // offset and the name order before use (attachments: VerifyAttachments):
  // FailedPrecondition for a file of another format version (naming both),
  // DataLoss for a truncated or corrupt file, NotFound / PermissionDenied
  // when it cannot be opened.
  static absl::StatusOr<std::shared_ptr<const Snapshot>> Open(const std::string& path);

  // The same over compiled bytes already in memory, kept alive by `owner`
  // (the mapping; or nullptr when the caller keeps `bytes` alive longer than
  // the snapshot). `bytes` must be 8-byte aligned. Never reads outside
  // `bytes`, whatever they hold.
  static absl::StatusOr<std::shared_ptr<const Snapshot>> FromCompiled(
      std::shared_ptr<const void> owner, absl::string_view bytes, std::string path);

 private:
  // FromCompiled, hashing through `fd` (open on the same bytes) when >= 0.
  static absl::StatusOr<std::shared_ptr<const Snapshot>> FromCompiledFile(
      std::shared_ptr<const void> owner, absl::string_view bytes, std::string path, int fd);

 public:
  // Validates and arranges an already-read catalogue.
  static absl::StatusOr<std::shared_ptr<const Snapshot>> Build(RawCatalog raw,
                                                               std::string directory);

  // Each collection's records as parsed (and derived), in position order:
  // record p of collection c is the message whose serialization is
  // collection(c).bytes(p).
  using ParsedCollections =
      std::array<std::vector<const google::protobuf::Message*>, kCollectionCount>;
  // The same as Build, but `use_parsed` is called once, after every
  // collection is arranged and before the parsed catalogue is freed, with
  // the snapshot (its address is final) and the parsed records, so that a
  // layer above can read them without parsing the stored bytes again. The
  // messages are valid only during the call. Not called when validation
  // fails. With a `reclaimer`, the parsed catalogue (its arena, whose
  // destruction runs one destructor per string) is handed to it after
  // `use_parsed` instead of being freed here, so that Build returns while
  // it is freed in the background (a failed validation still frees it
  // here); the snapshot never reads it again.
  static absl::StatusOr<std::shared_ptr<const Snapshot>> Build(
      RawCatalog raw, std::string directory,
      const std::function<void(const Snapshot&, const ParsedCollections&)>& use_parsed,
      Reclaimer* reclaimer = nullptr);

  const Collection& collection(CollectionId id) const { return collections_[static_cast<int>(id)]; }
  // Content hash of the files loaded: 16 hex digits.
  const std::string& version() const { return raw_.version; }
  const std::string& directory() const { return directory_; }
  const std::vector<std::string>& files() const { return raw_.files; }
  // The bytes of the compiled catalogue's attachment `name` (a view into
  // the mapping, valid while the snapshot lives), or nullopt when there is
  // none (always so for a catalogue loaded from sources). Checked against
  // their own checksum only when VerifyAttachment is called: Open checks
  // the records, not the attachments, so that a large attachment costs
  // start-up nothing until its reader opens it. The reader of the bytes
  // validates what they mean.
  std::optional<absl::string_view> attachment(absl::string_view name) const;
  // Where attachment `name` lies in the compiled file (for a reader that
  // reads it through the file rather than the mapping, e.g. Xapian): a
  // descriptor open on the very file that was mapped (so a file renamed
  // over the path since does not matter), owned by the snapshot and open
  // while it lives, and the attachment's offset in that file. nullopt when
  // there is no such attachment or the snapshot was not opened from a file
  // (Open).
  struct FileLocation {
    int fd = -1;
    uint64_t offset = 0;
  };
  std::optional<FileLocation> attachment_location(absl::string_view name) const;
  // Checks the attachments `names` (those that exist; absent names are
  // skipped) against the per-section checksums of the compiled file,
  // hashing on every core; DataLoss naming the first that does not match.
  // With kReadWhole (the caller reads every byte next: the index
  // attachments) the bytes are hashed through the mapping, which leaves
  // them resident for that read; with kReadSome (a reader that touches
  // parts of a large attachment, like a search database) they are read
  // with pread when the file is open, so that hashing does not make them
  // resident in this process. Not cached: call it once, before first use of
  // the bytes. Ok for a catalogue loaded from sources (no attachments).
  enum class AttachmentUse { kReadWhole, kReadSome };
  absl::Status VerifyAttachments(const std::vector<std::string>& names,
                                 AttachmentUse how = AttachmentUse::kReadSome) const;
  absl::Time load_time() const { return load_time_; }
  absl::Duration load_duration() const { return load_duration_; }
  // Where Build spent its time, stage by stage (all zero for a compiled
  // catalogue): for the start-up benchmark and load logs.
  struct BuildStages {
    absl::Duration validate;
    absl::Duration derive;
    absl::Duration arrange;     // sort by name, serialize the wire bytes
    absl::Duration use_parsed;  // Build's `use_parsed`
    absl::Duration free_parse;  // free the parsed catalogue (or hand it to the reclaimer)
  };
  const BuildStages& build_stages() const { return build_stages_; }

 private:
  Snapshot() = default;
  // Sorts each collection's records by name and serializes them (the
  // collections in parallel), calls `use_parsed` (if set), then frees the
  // parsed catalogue (through `reclaimer` when not null).
  void Arrange(const std::function<void(const Snapshot&, const ParsedCollections&)>& use_parsed,
               Reclaimer* reclaimer);
  // Arranges one collection; appends its parsed records, in position
  // order, to `parsed` when not null.
  void ArrangeCollection(CollectionId id, std::vector<const google::protobuf::Message*>* parsed);

  // The files, version and texts; the parsed catalogue itself is freed once
  // the records are arranged.
  RawCatalog raw_;
  std::string directory_;
  // A compiled catalogue's mapping, which the collections view.
  std::shared_ptr<const void> mapping_;
  std::array<Collection, kCollectionCount> collections_;
  struct AttachedSection {
    std::string name;
    absl::string_view bytes;  // into mapping_
    uint64_t checksum;        // CompiledChecksum of bytes, from the section table
  };
  std::vector<AttachedSection> attachments_;
  // The compiled file's descriptor, open while mapping_ lives (-1 when the
  // bytes came from memory), and the whole file's bytes.
  int compiled_fd_ = -1;
  absl::string_view compiled_bytes_;
  absl::Time load_time_;
  absl::Duration load_duration_;
  BuildStages build_stages_;
};

}  // namespace accord::catalog

#endif  // ACCORD_SERVICE_CATALOG_SNAPSHOT_H_
