#include "service/catalog/snapshot.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <numeric>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "service/catalog/derive.h"
#include "service/catalog/parallel.h"
#include "service/catalog/validator.h"

namespace accord::catalog {
namespace {

using google::protobuf::Message;

// The Catalog field that holds `id`'s records, found by name (registry).
const google::protobuf::FieldDescriptor* CatalogField(CollectionId id) {
  return registry::Get(id).catalog_field;
}

}  // namespace

void SortByName(std::vector<NameRow>* rows) {
  if (rows->empty()) return;
  // Already in name order (a catalogue written sorted): nothing to do.
  if (std::is_sorted(rows->begin(), rows->end(), [](const NameRow& a, const NameRow& b) {
        const int c = a.name.compare(b.name);
        return c != 0 ? c < 0 : a.record < b.record;
      })) {
    return;
  }
  // The bytes every name shares (the collection's prefix, "agreements/"),
  // then the next 16 bytes, big-endian and zero-padded, as two keys: key
  // order agrees with name order, and most comparisons end on the keys
  // without reading the names (8 bytes alone often tie: names that start
  // with their parties, "agreements/us-my-...").
  const absl::string_view first = rows->front().name;
  // The common prefix, per chunk of rows on every core, then the shortest.
  const size_t key_chunks = ChunkCount(rows->size(), size_t{1} << 16);
  std::vector<size_t> commons(key_chunks, first.size());
  ParallelChunks(rows->size(), key_chunks, [&](size_t chunk, size_t begin, size_t end) {
    size_t common = first.size();
    for (size_t r = begin; r < end; ++r) {
      const absl::string_view name = (*rows)[r].name;
      size_t i = 0;
      const size_t limit = std::min(common, name.size());
      while (i < limit && name[i] == first[i]) ++i;
      common = i;
    }
    commons[chunk] = common;
  });
  const size_t common = *std::min_element(commons.begin(), commons.end());
  auto key_at = [](absl::string_view name, size_t from) {
    uint64_t key = 0;
    for (size_t i = 0; i < 8; ++i) {
      const size_t at = from + i;
      key = (key << 8) | (at < name.size() ? static_cast<unsigned char>(name[at]) : uint64_t{0});
    }
    return key;
  };
  ParallelChunks(rows->size(), key_chunks, [&](size_t, size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) {
      NameRow& row = (*rows)[r];
      row.key = key_at(row.name, common);
      row.key2 = key_at(row.name, common + 8);
    }
  });
  // Equal keys of two names at least common + 16 bytes long mean equal
  // bytes up to there: only the rest is compared (a shorter name may be
  // zero-padded in its keys, so it is compared whole).
  const size_t compared_from = common + 16;
  auto less = [compared_from](const NameRow& a, const NameRow& b) {
    if (a.key != b.key) return a.key < b.key;
    if (a.key2 != b.key2) return a.key2 < b.key2;
    const size_t skip =
        a.name.size() >= compared_from && b.name.size() >= compared_from ? compared_from : 0;
    const int c = a.name.substr(skip).compare(b.name.substr(skip));
    return c != 0 ? c < 0 : a.record < b.record;
  };
  // A large collection: its parts sorted on every core, then merged (the
  // order is a total order on (name, record), so the same as one sort).
  const size_t chunks = ChunkCount(rows->size(), size_t{1} << 16);
  std::vector<size_t> bounds(chunks + 1, rows->size());
  ParallelChunks(rows->size(), chunks, [&](size_t chunk, size_t begin, size_t end) {
    bounds[chunk] = begin;
    std::sort(rows->begin() + begin, rows->begin() + end, less);
  });
  for (size_t width = 1; width < chunks; width *= 2) {
    for (size_t c = 0; c + width < chunks; c += 2 * width) {
      std::inplace_merge(rows->begin() + bounds[c], rows->begin() + bounds[c + width],
                         rows->begin() + bounds[std::min(chunks, c + 2 * width)], less);
    }
  }
}

absl::string_view StringFieldInWire(absl::string_view bytes, int number) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  using google::protobuf::internal::WireFormatLite;
  while (uint32_t tag = in.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) == number &&
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      uint32_t length;
      if (!in.ReadVarint32(&length)) return {};
      const int at = in.CurrentPosition();
      if (length > bytes.size() - at) return {};
      return bytes.substr(at, length);
    }
    if (!WireFormatLite::SkipField(&in, tag)) return {};
  }
  return {};
}

Message* Collection::Parse(size_t i, google::protobuf::Arena* arena) const {
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor());
  Message* m = prototype->New(arena);
  const absl::string_view b = bytes(i);
  if (!m->ParseFromArray(b.data(), static_cast<int>(b.size()))) m->Clear();
  return m;
}

Message* Collection::ParseFields(size_t i, const std::vector<int>& numbers,
                                 google::protobuf::Arena* arena, std::string* scratch) const {
  using google::protobuf::internal::WireFormatLite;
  const absl::string_view b = bytes(i);
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(b.data()),
                                            static_cast<int>(b.size()));
  scratch->clear();
  for (;;) {
    const int start = in.CurrentPosition();
    const uint32_t tag = in.ReadTag();
    if (tag == 0 || !WireFormatLite::SkipField(&in, tag)) break;
    const int number = static_cast<int>(WireFormatLite::GetTagFieldNumber(tag));
    if (std::binary_search(numbers.begin(), numbers.end(), number)) {
      scratch->append(b.data() + start, in.CurrentPosition() - start);
    }
  }
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor());
  Message* m = prototype->New(arena);
  if (!m->ParseFromArray(scratch->data(), static_cast<int>(scratch->size()))) m->Clear();
  return m;
}

const google::protobuf::Descriptor* Collection::descriptor() const {
  return registry::Get(id_).message;
}

absl::string_view Collection::StringField(size_t i,
                                          const google::protobuf::FieldDescriptor* field) const {
  return StringFieldInWire(bytes(i), field->number());
}

int64_t Collection::IndexOf(absl::string_view name) const {
  auto it = std::lower_bound(names_.begin(), names_.end(), name);
  return it == names_.end() || *it != name ? -1 : static_cast<int64_t>(it - names_.begin());
}

size_t Collection::MemoryBytes() const {
  return arena_size_ + owned_offsets_.capacity() * sizeof(uint64_t) +
         names_.capacity() * sizeof(absl::string_view);
}

std::pair<size_t, size_t> Collection::RangeWithPrefix(absl::string_view prefix) const {
  auto begin = std::lower_bound(names_.begin(), names_.end(), prefix);
  auto end = begin;
  while (end != names_.end() && end->substr(0, prefix.size()) == prefix) ++end;
  return {static_cast<size_t>(begin - names_.begin()), static_cast<size_t>(end - names_.begin())};
}

absl::StatusOr<std::shared_ptr<const Snapshot>> Snapshot::Load(const std::string& directory,
                                                               const LoadLimits& limits) {
  absl::Time start = absl::Now();
  std::error_code ec;
  if (std::filesystem::is_regular_file(directory, ec)) return Open(directory);
  absl::StatusOr<RawCatalog> raw = ReadCatalogDirectory(directory, limits);
  if (!raw.ok()) return raw.status();
  absl::StatusOr<std::shared_ptr<const Snapshot>> built = Build(*std::move(raw), directory);
  if (!built.ok()) return built.status();
  auto* snapshot = const_cast<Snapshot*>(built->get());
  snapshot->load_duration_ = absl::Now() - start;
  return built;
}

absl::StatusOr<std::shared_ptr<const Snapshot>> Snapshot::Build(RawCatalog raw,
                                                                std::string directory) {
  return Build(std::move(raw), std::move(directory), nullptr, nullptr);
}

absl::StatusOr<std::shared_ptr<const Snapshot>> Snapshot::Build(
    RawCatalog raw, std::string directory,
    const std::function<void(const Snapshot&, const ParsedCollections&)>& use_parsed,
    Reclaimer* reclaimer) {
  absl::Time start = absl::Now();
  BuildStages stages;
  if (absl::Status s = ValidateCatalog(raw); !s.ok()) return s;
  absl::Time at = absl::Now();
  stages.validate = at - start;
  DeriveOutputFields(raw.texts, raw.catalog);
  stages.derive = absl::Now() - at;
  at = absl::Now();
  std::shared_ptr<Snapshot> snapshot(new Snapshot());
  snapshot->raw_ = std::move(raw);
  snapshot->directory_ = std::move(directory);
  snapshot->Arrange(use_parsed, reclaimer);
  stages.use_parsed = snapshot->build_stages_.use_parsed;
  stages.free_parse = snapshot->build_stages_.free_parse;
  stages.arrange = absl::Now() - at - stages.use_parsed - stages.free_parse;
  snapshot->build_stages_ = stages;
  snapshot->load_time_ = absl::Now();
  snapshot->load_duration_ = snapshot->load_time_ - start;
  return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

void Snapshot::ArrangeCollection(CollectionId id, std::vector<const Message*>* parsed) {
  const Message& catalog = *raw_.catalog;
  const auto* refl = catalog.GetReflection();
  Collection& c = collections_[static_cast<int>(id)];
  c.id_ = id;
  const auto* field = CatalogField(id);
  const auto* name_field = registry::Get(id).name_field;
  int n = refl->FieldSize(catalog, field);
  // Each record's name, in chunks on every core.
  std::vector<NameRow> rows(n);
  ParallelChunks(rows.size(), ChunkCount(rows.size()), [&](size_t, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const Message& m = refl->GetRepeatedMessage(catalog, field, static_cast<int>(i));
      std::string scratch;
      const std::string& name = m.GetReflection()->GetStringReference(m, name_field, &scratch);
      rows[i] = {0, name, &m, 0, static_cast<uint32_t>(i)};
    }
  });
  SortByName(&rows);
  // The wire bytes, serialized once: Get, BatchGet and List answer from
  // them without serializing again, and every other reader parses them.
  // Sizes, then bytes and names, in chunks of records on every core (a
  // large collection would otherwise keep one core busy while the others
  // are done): each record is sized and written by one thread only. The
  // records are visited in the order they were parsed, which is their
  // order in the parse's memory (name order would jump around it), and
  // each is written at its place in name order.
  c.count_ = rows.size();
  const size_t chunks = ChunkCount(rows.size());
  std::vector<uint32_t> position(rows.size());  // parse order -> name order
  for (size_t p = 0; p < rows.size(); ++p) position[rows[p].index] = static_cast<uint32_t>(p);
  c.owned_offsets_.assign(rows.size() + 1, 0);
  ParallelChunks(rows.size(), chunks, [&](size_t, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const size_t p = position[i];
      c.owned_offsets_[p + 1] = rows[p].record->ByteSizeLong();
    }
  });
  for (size_t i = 0; i < rows.size(); ++i) c.owned_offsets_[i + 1] += c.owned_offsets_[i];
  c.offsets_ = c.owned_offsets_.data();
  c.arena_size_ = c.owned_offsets_.back();
  c.arena_.reset(new char[c.arena_size_]);
  c.data_ = c.arena_.get();
  c.names_.resize(rows.size());
  ParallelChunks(rows.size(), chunks, [&](size_t, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const size_t p = position[i];
      rows[p].record->SerializeWithCachedSizesToArray(
          reinterpret_cast<uint8_t*>(c.arena_.get() + c.offsets_[p]));
      // A string field's value appears verbatim in the wire bytes: the
      // name is a view into them.
      c.names_[p] = StringFieldInWire(c.bytes(p), name_field->number());
    }
  });
  if (parsed != nullptr) {
    parsed->reserve(rows.size());
    for (const auto& row : rows) parsed->push_back(row.record);
  }
}

void Snapshot::Arrange(
    const std::function<void(const Snapshot&, const ParsedCollections&)>& use_parsed,
    Reclaimer* reclaimer) {
  ParsedCollections parsed;
  // Collections are independent: they are arranged in parallel (bounded
  // threads), the largest first. Each touches only its own Collection and
  // its own records (ByteSizeLong caches sizes in them).
  std::vector<CollectionId> order(kAllCollections.begin(), kAllCollections.end());
  const auto* refl = raw_.catalog->GetReflection();
  auto count = [&](CollectionId id) { return refl->FieldSize(*raw_.catalog, CatalogField(id)); };
  std::stable_sort(order.begin(), order.end(),
                   [&](CollectionId a, CollectionId b) { return count(a) > count(b); });
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < order.size(); i = next++) {
      const CollectionId id = order[i];
      ArrangeCollection(id, use_parsed ? &parsed[static_cast<int>(id)] : nullptr);
    }
  };
  const size_t threads =
      std::min<size_t>({order.size(), std::max(1u, std::thread::hardware_concurrency()), 8});
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (std::thread& t : helpers) t.join();
  if (use_parsed) {
    const absl::Time at = absl::Now();
    use_parsed(*this, parsed);
    build_stages_.use_parsed = absl::Now() - at;
  }
  // Nothing reads the parsed catalogue any more: free it, and hand the
  // freed pages back to the system so that serving holds only the bytes.
  const absl::Time free_start = absl::Now();
  raw_.catalog = nullptr;
  auto release = [arena = std::move(raw_.arena), texts = std::move(raw_.texts)]() mutable {
    arena.reset();
    texts.clear();
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
  };
  raw_.arena = nullptr;
  raw_.texts.clear();
  if (reclaimer != nullptr) {
    // Off the load's path: the snapshot is complete and never reads the
    // parse again; the memory is freed while the caller starts serving.
    reclaimer->Release(std::move(release));
  } else {
    release();
  }
  build_stages_.free_parse = absl::Now() - free_start;
}

}  // namespace accord::catalog
