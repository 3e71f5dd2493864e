#include "service/search/search_index.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <thread>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "google/protobuf/descriptor.h"
#include "service/catalog/fixed_width.h"
#include "xapian.h"

namespace accord::search {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsTitle(const std::string& name) {
  return name == "title" || name == "short_title" || name == "display_name";
}
bool IsBody(const std::string& name) {
  return name == "summary" || name == "description" || name == "statement" || name == "occasion" ||
         name == "quote" || name == "products";
}

void Collect(const Message& m, int depth, RecordText* out) {
  if (depth > 4) return;
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int j = 0; j < r->FieldSize(m, f); ++j) {
          Collect(r->GetRepeatedMessage(m, f, j), depth + 1, out);
        }
      } else if (r->HasField(m, f)) {
        Collect(r->GetMessage(m, f), depth + 1, out);
      }
      continue;
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) continue;
    const bool title = depth == 0 && IsTitle(f->name());
    if (!title && !IsBody(f->name())) continue;
    std::string* target = title ? &out->titles : &out->body;
    auto add = [&](const std::string& v) {
      if (v.empty()) return;
      if (!target->empty()) target->push_back('\n');
      target->append(v);
    };
    if (f->is_repeated()) {
      for (int j = 0; j < r->FieldSize(m, f); ++j) add(r->GetRepeatedString(m, f, j));
    } else {
      add(r->GetString(m, f));
    }
  }
}

// The collection and position of document `docid`: collections are added
// one after the other, so docid - 1 = offsets[collection] + position.
std::pair<int, uint32_t> Locate(const std::vector<uint32_t>& offsets, Xapian::docid docid) {
  uint32_t i = docid - 1;
  int c =
      static_cast<int>(std::upper_bound(offsets.begin(), offsets.end(), i) - offsets.begin()) - 1;
  return {c, i - offsets[c]};
}

// Admits only documents whose position is allowed by a filter.
class Allowed : public Xapian::MatchDecider {
 public:
  Allowed(const std::vector<uint32_t>& offsets, const std::vector<const Roaring*>& allowed)
      : offsets_(offsets), allowed_(allowed) {}
  bool operator()(const Xapian::Document& doc) const override {
    auto [collection, position] = Locate(offsets_, doc.get_docid());
    const Roaring* set =
        static_cast<size_t>(collection) < allowed_.size() ? allowed_[collection] : nullptr;
    return set == nullptr || set->contains(position);
  }

 private:
  const std::vector<uint32_t>& offsets_;
  const std::vector<const Roaring*>& allowed_;
};

std::string CollectionTerm(int c) { return absl::StrCat("XC", c); }

}  // namespace

RecordText SearchableText(const Message& record) {
  RecordText out;
  Collect(record, 0, &out);
  return out;
}

namespace {

// Indexes `records` into a new glass database at `path`, one document per
// record in order: docid i + 1 is records[i].
void IndexRange(const std::vector<CollectionRecords>& collections,
                absl::Span<const std::pair<uint32_t, int>> records, const std::string& path) {
  Xapian::TermGenerator generator;
  generator.set_stemmer(Xapian::Stem("english"));
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  // A private, throw-away database: no fsync, and updated in place.
  Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS |
                                        Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS |
                                        Xapian::DB_NO_TERMLIST);
  db.begin_transaction(false);
  // Records are parsed from their stored bytes, a chunk per arena.
  google::protobuf::Arena arena;
  size_t parsed = 0;
  for (const auto& [position, collection] : records) {
    if (++parsed % 1024 == 0) arena.Reset();
    RecordText text = SearchableText(*collections[collection].records->Parse(position, &arena));
    Xapian::Document doc;
    generator.set_document(doc);
    // Titles weigh three times as much; a gap keeps phrases from running
    // across fields.
    generator.index_text(text.titles, 3);
    generator.increase_termpos(100);
    generator.index_text(text.body);
    doc.add_boolean_term(CollectionTerm(collection));
    // Every record gets a document, matched or not, so that docids follow
    // positions.
    db.add_document(doc);
  }
  db.commit_transaction();
  db.close();
}

// Index directories are "accord-search-XXXXXX" under the work dir. Each
// holds a file "lock" that the building process flock()s for as long as the
// index lives; the kernel drops the lock when that process ends, however it
// ends (SIGKILL, a crash). The lock file is locked under another name and
// only then renamed to "lock", so a "lock" that can be locked belongs to a
// process that is gone.
constexpr char kDirPrefix[] = "accord-search-";

// Removes the index directories under `base` whose process is gone.
void RemoveAbandoned(const std::filesystem::path& base) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(base, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().rfind(kDirPrefix, 0) != 0) continue;
    const int fd = open((it->path() / "lock").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;  // no lock file: not an index directory of this version
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
      std::error_code ignored;
      std::filesystem::remove_all(it->path(), ignored);
    }
    close(fd);
  }
}

// Below this many records per thread, one thread indexes everything (the
// merge would cost more than it saves).
constexpr size_t kMinRecordsPerShard = 20000;

}  // namespace

absl::StatusOr<std::unique_ptr<SearchIndex>> SearchIndex::Build(
    std::vector<CollectionRecords> collections, const BuildOptions& options) {
  if (collections.empty()) return absl::InvalidArgumentError("no collection to index");
  std::unique_ptr<SearchIndex> index(new SearchIndex());
  std::error_code ec;
  std::filesystem::path base = options.work_dir.empty() ? std::filesystem::temp_directory_path(ec)
                                                        : std::filesystem::path(options.work_dir);
  RemoveAbandoned(base);
  std::string templ = (base / absl::StrCat(kDirPrefix, "XXXXXX")).string();
  if (mkdtemp(templ.data()) == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot create a directory under ", base.string()));
  }
  index->directory_ = templ;
  const std::string locking = absl::StrCat(templ, "/lock.new");
  index->lock_fd_ = open(locking.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (index->lock_fd_ < 0 || flock(index->lock_fd_, LOCK_EX | LOCK_NB) != 0 ||
      rename(locking.c_str(), absl::StrCat(templ, "/lock").c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot lock the search index directory ", templ));
  }
  // Every record in docid order: collection after collection.
  // (position, collection) of every record.
  std::vector<std::pair<uint32_t, int>> records;
  for (size_t c = 0; c < collections.size(); ++c) {
    index->offsets_.push_back(static_cast<uint32_t>(records.size()));
    for (size_t p = 0; p < collections[c].records->size(); ++p) {
      records.emplace_back(static_cast<uint32_t>(p), static_cast<int>(c));
    }
  }
  index->documents_ = records.size();
  size_t threads = options.threads > 0 ? static_cast<size_t>(options.threads)
                                       : std::max(1u, std::thread::hardware_concurrency());
  threads = std::max<size_t>(1, std::min(threads, records.size() / kMinRecordsPerShard));
  const std::string path = absl::StrCat(templ, "/db");
  try {
    if (threads == 1) {
      IndexRange(collections, records, path);
    } else {
      // Each thread indexes a contiguous range into its own shard; the
      // compaction renumbers the shards' docids one after the other, so
      // docids still follow positions.
      // Every name is made before any thread starts: the threads read
      // `shards` while this one would otherwise still be growing it.
      std::vector<std::string> shards;
      for (size_t t = 0; t < threads; ++t) shards.push_back(absl::StrCat(templ, "/shard-", t));
      std::vector<std::string> errors(threads);
      std::vector<std::thread> workers;
      for (size_t t = 0; t < threads; ++t) {
        const size_t begin = records.size() * t / threads;
        const size_t end = records.size() * (t + 1) / threads;
        workers.emplace_back([&, t, begin, end] {
          try {
            IndexRange(collections, absl::MakeConstSpan(records).subspan(begin, end - begin),
                       shards[t]);
          } catch (const Xapian::Error& e) {
            errors[t] = e.get_description();
          } catch (const std::exception& e) {
            errors[t] = e.what();
          }
        });
      }
      for (std::thread& w : workers) w.join();
      for (const std::string& error : errors) {
        if (!error.empty()) return absl::InternalError(absl::StrCat("search index: ", error));
      }
      Xapian::Database all;
      for (const std::string& shard : shards) all.add_database(Xapian::Database(shard));
      all.compact(path);
      all.close();
      for (const std::string& shard : shards) std::filesystem::remove_all(shard, ec);
    }
    index->path_ = path;
  } catch (const Xapian::Error& e) {
    return absl::InternalError(absl::StrCat("search index: ", e.get_description()));
  }
  index->collections_ = std::move(collections);
  return index;
}

namespace {

// The exported index (Export, OpenEmbedded), little-endian:
//   [0, 8)    magic "ACSEARCH"
//   [8, 12)   layout version (1)
//   [12, 16)  collection count k
//   [16, 32)  identity (the catalogue content version), NUL-padded
//   [32, 40)  document count
//   [40, 48)  size of the database in bytes
//   [48, 48 + 8k)  the record count of each collection, in order
//   then, 8-byte aligned, the single-file glass database.
constexpr char kExportMagic[8] = {'A', 'C', 'S', 'E', 'A', 'R', 'C', 'H'};
constexpr uint32_t kExportLayout = 1;
constexpr size_t kExportHeader = 48;
constexpr size_t kIdentitySize = 16;

size_t DatabaseStart(size_t collections) {
  return (kExportHeader + 8 * collections + 7) & ~size_t{7};
}

absl::Status Damaged(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("the embedded search index is damaged or stale: ", what,
                                          "; compile the catalogue again"));
}

}  // namespace

absl::StatusOr<std::string> SearchIndex::Export(absl::string_view identity) const {
  if (embedded() || path_.empty()) {
    return absl::FailedPreconditionError("only a built search index can be exported");
  }
  if (identity.size() > kIdentitySize) {
    return absl::InvalidArgumentError("the identity is longer than 16 bytes");
  }
  const std::string single = absl::StrCat(directory_, "/single");
  std::string out(DatabaseStart(collections_.size()), '\0');
  try {
    const int fd = open(single.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot create ", single));
    // Xapian closes fd.
    Xapian::Database(path_).compact(fd, Xapian::DBCOMPACT_SINGLE_FILE);
  } catch (const Xapian::Error& e) {
    return absl::InternalError(absl::StrCat("search index export: ", e.get_description()));
  }
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(single, ec);
  const int fd = ec ? -1 : open(single.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot read ", single));
  const size_t start = out.size();
  out.resize(start + size);
  size_t done = 0;
  while (done < size) {
    const ssize_t n = pread(fd, out.data() + start + done, size - done, static_cast<off_t>(done));
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  close(fd);
  std::filesystem::remove(single, ec);
  if (done != size) return absl::UnavailableError(absl::StrCat("cannot read ", single));
  std::memcpy(out.data(), kExportMagic, sizeof(kExportMagic));
  catalog::PutFixed<uint32_t>(&out, 8, kExportLayout);
  catalog::PutFixed<uint32_t>(&out, 12, static_cast<uint32_t>(collections_.size()));
  std::memcpy(out.data() + 16, identity.data(), identity.size());
  catalog::PutFixed<uint64_t>(&out, 32, documents_);
  catalog::PutFixed<uint64_t>(&out, 40, size);
  for (size_t c = 0; c < collections_.size(); ++c) {
    catalog::PutFixed<uint64_t>(&out, kExportHeader + 8 * c, collections_[c].records->size());
  }
  return out;
}

absl::StatusOr<std::unique_ptr<SearchIndex>> SearchIndex::OpenEmbedded(
    std::vector<CollectionRecords> collections, absl::string_view identity, int fd, uint64_t offset,
    absl::string_view bytes) {
  if (collections.empty()) return absl::InvalidArgumentError("no collection to index");
  if (bytes.size() < kExportHeader || std::memcmp(bytes.data(), kExportMagic, 8) != 0) {
    return Damaged("no search index header");
  }
  if (catalog::GetFixed<uint32_t>(bytes, 8) != kExportLayout) {
    return Damaged(absl::StrCat("layout ", catalog::GetFixed<uint32_t>(bytes, 8),
                                ", this server reads ", kExportLayout));
  }
  const uint32_t k = catalog::GetFixed<uint32_t>(bytes, 12);
  if (k != collections.size()) {
    return Damaged(absl::StrCat(k, " collections indexed, the catalogue has ", collections.size()));
  }
  absl::string_view stored = bytes.substr(16, kIdentitySize);
  stored = stored.substr(0, stored.find('\0'));
  if (stored != identity) {
    return Damaged(absl::StrCat("built for catalogue version ", stored, ", not ", identity));
  }
  const size_t start = DatabaseStart(k);
  if (bytes.size() < start) return Damaged("the header runs past the section");
  const uint64_t size = catalog::GetFixed<uint64_t>(bytes, 40);
  if (size != bytes.size() - start) return Damaged("the database size does not match the section");
  std::unique_ptr<SearchIndex> index(new SearchIndex());
  uint64_t documents = 0;
  for (size_t c = 0; c < k; ++c) {
    const uint64_t count = catalog::GetFixed<uint64_t>(bytes, kExportHeader + 8 * c);
    if (count != collections[c].records->size()) {
      return Damaged(absl::StrCat(collections[c].collection, ": ", count,
                                  " records indexed, the catalogue has ",
                                  collections[c].records->size()));
    }
    index->offsets_.push_back(static_cast<uint32_t>(documents));
    documents += count;
  }
  if (catalog::GetFixed<uint64_t>(bytes, 32) != documents)
    return Damaged("the document count does not match");
  index->documents_ = documents;
  index->file_fd_ = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (index->file_fd_ < 0) {
    return absl::UnavailableError("cannot duplicate the catalogue's file descriptor");
  }
  index->database_offset_ = offset + start;
  index->collections_ = std::move(collections);
  // Open one handle now: a damaged database fails the load, not a search.
  try {
    std::unique_ptr<Xapian::Database> db = index->Acquire();
    if (db->get_doccount() != documents || db->get_lastdocid() != documents) {
      return Damaged(
          absl::StrCat("the database holds ", db->get_doccount(), " documents, not ", documents));
    }
    index->Release(std::move(db));
  } catch (const Xapian::Error& e) {
    return Damaged(e.get_description());
  }
  return index;
}

SearchIndex::~SearchIndex() {
  {
    absl::MutexLock lock(&mu_);
    pool_.clear();
  }
  if (!directory_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(directory_, ec);
  }
  if (lock_fd_ >= 0) close(lock_fd_);
  if (file_fd_ >= 0) close(file_fd_);
}

std::unique_ptr<Xapian::Database> SearchIndex::Acquire() const {
  {
    absl::MutexLock lock(&mu_);
    if (!pool_.empty()) {
      std::unique_ptr<Xapian::Database> db = std::move(pool_.back());
      pool_.pop_back();
      return db;
    }
  }
  if (file_fd_ < 0) return std::make_unique<Xapian::Database>(path_);
  // Xapian reads the database from the descriptor's file offset when it
  // opens it, and takes ownership of the descriptor.
  absl::MutexLock lock(&open_mu_);
  const int fd = fcntl(file_fd_, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) throw Xapian::DatabaseOpeningError("cannot duplicate the catalogue's descriptor");
  if (lseek(fd, static_cast<off_t>(database_offset_), SEEK_SET) < 0) {
    close(fd);
    throw Xapian::DatabaseOpeningError("cannot seek to the search index");
  }
  return std::make_unique<Xapian::Database>(fd);
}

void SearchIndex::Release(std::unique_ptr<Xapian::Database> db) const {
  absl::MutexLock lock(&mu_);
  if (pool_.size() < 16) pool_.push_back(std::move(db));
}

absl::StatusOr<SearchResult> SearchIndex::Search(const SearchRequest& request) const {
  if (request.query.find_first_not_of(" \t\r\n") == std::string::npos) {
    return absl::InvalidArgumentError("the query is empty");
  }
  const size_t n = collections_.size();
  for (int c : request.collections) {
    if (c < 0 || static_cast<size_t>(c) >= n)
      return absl::InvalidArgumentError("no such collection");
  }
  std::unique_ptr<Xapian::Database> db;
  try {
    db = Acquire();
  } catch (const Xapian::Error& e) {
    return absl::InternalError(absl::StrCat("search: ", e.get_description()));
  }
  SearchResult result;
  try {
    Xapian::QueryParser parser;
    parser.set_stemmer(Xapian::Stem("english"));
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_database(*db);
    parser.set_default_op(Xapian::Query::OP_AND);
    Xapian::Query query;
    try {
      query = parser.parse_query(request.query, Xapian::QueryParser::FLAG_PHRASE |
                                                    Xapian::QueryParser::FLAG_BOOLEAN |
                                                    Xapian::QueryParser::FLAG_LOVEHATE |
                                                    Xapian::QueryParser::FLAG_WILDCARD);
    } catch (const Xapian::QueryParserError& e) {
      Release(std::move(db));
      return absl::InvalidArgumentError(absl::StrCat("search query: ", e.get_msg()));
    }
    if (!request.collections.empty()) {
      std::vector<Xapian::Query> terms;
      for (int c : request.collections) terms.emplace_back(CollectionTerm(c));
      query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                            Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
    }
    Xapian::Enquire enquire(*db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    // Ties (equal weight) by docid, i.e. by position then collection.
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    bool filtered = false;
    for (const Roaring* set : request.allowed) filtered |= set != nullptr;
    Allowed decider(offsets_, request.allowed);
    Xapian::MSet mset = enquire.get_mset(request.offset, request.limit, db->get_doccount(), nullptr,
                                         filtered ? &decider : nullptr);
    result.total = mset.get_matches_estimated();  // exact: check_at_least = every document
    Xapian::Stem stem("english");
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      Hit hit;
      std::tie(hit.collection, hit.position) = Locate(offsets_, *it);
      hit.score = it.get_weight();
      google::protobuf::Arena arena;
      RecordText text =
          SearchableText(*collections_[hit.collection].records->Parse(hit.position, &arena));
      std::string all =
          text.titles.empty() ? text.body : absl::StrCat(text.titles, "\n", text.body);
      hit.snippet =
          mset.snippet(all, request.snippet_length, stem,
                       Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE,
                       "<mark>", "</mark>", "...");
      result.hits.push_back(std::move(hit));
    }
  } catch (const Xapian::Error& e) {
    Release(std::move(db));
    return absl::InternalError(absl::StrCat("search: ", e.get_description()));
  }
  Release(std::move(db));
  return result;
}

}  // namespace accord::search
