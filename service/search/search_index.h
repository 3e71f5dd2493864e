// Full-text search over catalogue records, with Xapian: BM25 ranking,
// English stemming, phrase queries ("..."), boolean operators, and
// highlighted snippets. Built from a snapshot's records (so it is swapped
// with the snapshot), combinable with an AIP-160 filter through the set of
// positions the filter matches.
#ifndef ACCORD_SERVICE_SEARCH_SEARCH_INDEX_H_
#define ACCORD_SERVICE_SEARCH_SEARCH_INDEX_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/message.h"
#include "roaring/roaring.hh"
#include "service/catalog/snapshot.h"

namespace Xapian {
class Database;
}

namespace accord::search {

// The searchable text of a record: the values of its string fields named
// title, short_title, display_name, summary, description, statement,
// occasion, quote (evidence quotes) and products, at any depth, in field
// order, one per line. Titles (title, short_title, display_name) come
// first and are returned separately so they can weigh more.
struct RecordText {
  std::string titles;
  std::string body;
};
RecordText SearchableText(const google::protobuf::Message& record);

// One collection's records to index, in position (name) order: the stored
// collection, whose records are parsed on demand (while indexing, and for
// the snippets of the hits of a search).
struct CollectionRecords {
  std::string collection;  // e.g. "agreements"
  const catalog::Collection* records = nullptr;
};

// One hit: where the record is, its BM25 weight, and a snippet.
struct Hit {
  int collection = 0;     // index into the collections given to Build
  uint32_t position = 0;  // the record's position in its collection
  double score = 0;       // BM25 weight; higher is better
  // A short passage of the record's text around the matches, HTML-escaped
  // (&, <, > as entities), each match wrapped in <mark>...</mark>, "..."
  // where text was left out.
  std::string snippet;
};

struct SearchRequest {
  // The query, in Xapian's query language: words (stemmed: "minerals"
  // finds "mineral"), "quoted phrases", AND, OR, NOT, +required, -excluded,
  // prefix* wildcards.
  std::string query;
  // Only these collections (indexes into Build's list); empty = all.
  std::vector<int> collections;
  // Per collection (indexed like Build's list): when set, only records whose
  // positions are in the bitmap (a filter's matches). nullptr = no filter.
  std::vector<const Roaring*> allowed;
  size_t offset = 0;
  size_t limit = 50;
  // Snippet length, in bytes of text to aim for.
  size_t snippet_length = 160;
};

struct SearchResult {
  std::vector<Hit> hits;  // best first; ties in collection order, then position
  uint64_t total = 0;     // every match, exactly
};

// How to build an index.
struct BuildOptions {
  // Where the private Xapian database goes (a new directory under it,
  // removed with the index); empty = the system temp dir ($TMPDIR, else
  // /tmp).
  std::string work_dir;
  // Threads that index at once, each into its own shard of a contiguous
  // range of records; the shards are then merged (Xapian compaction) into
  // one database. 0 = one per CPU core. Small catalogues use one thread.
  int threads = 0;
};

// An immutable index; Search is thread-safe.
class SearchIndex {
 public:
  // Indexes the records of `collections` into a Xapian database in a new
  // private directory under options.work_dir, removed when the index is
  // destroyed. The directory stays locked (flock) while the index lives;
  // Build first removes the directories under work_dir that a process
  // killed before it could remove them left behind. The records must outlive the index. Unavailable
  // if the directory cannot be made, Internal for a Xapian error (e.g. disk full).
  static absl::StatusOr<std::unique_ptr<SearchIndex>> Build(
      std::vector<CollectionRecords> collections, const BuildOptions& options = {});
  ~SearchIndex();

  // The index (made by Build) as bytes to embed in another file, e.g. a
  // compiled catalogue's "@search" section: a header naming `identity`
  // (the catalogue content version the index was built from) and the record
  // count of each collection, then the Xapian database compacted into a
  // single glass file. OpenEmbedded reads it back. FailedPrecondition for an
  // index that was itself opened embedded; Internal for a Xapian error.
  absl::StatusOr<std::string> Export(absl::string_view identity) const;

  // Opens an index that Export wrote, in place: `bytes` (the exported
  // bytes, e.g. a view into a mapping) lie at `offset` in the file open on
  // `fd`. Nothing is built or copied: Xapian reads the database through its
  // own descriptors of that file (the page cache, shared with the mapping).
  // `fd` is duplicated; the caller keeps its own. DataLoss when the bytes
  // are not an exported index, were exported for another `identity` or
  // other record counts than `collections` have, or the database is
  // damaged. Search then answers exactly as the index that was exported.
  static absl::StatusOr<std::unique_ptr<SearchIndex>> OpenEmbedded(
      std::vector<CollectionRecords> collections, absl::string_view identity, int fd,
      uint64_t offset, absl::string_view bytes);

  // True when opened by OpenEmbedded (no private directory).
  bool embedded() const { return file_fd_ >= 0; }

  // InvalidArgument (the parser's message) for a query Xapian cannot
  // parse or an empty one.
  absl::StatusOr<SearchResult> Search(const SearchRequest& request) const;

  size_t document_count() const { return documents_; }

 private:
  SearchIndex() = default;
  // A read-only handle per concurrent search (Xapian handles are not
  // thread-safe); returned to the pool after use.
  std::unique_ptr<Xapian::Database> Acquire() const;
  void Release(std::unique_ptr<Xapian::Database> db) const;

  std::vector<CollectionRecords> collections_;
  std::string path_;               // the Xapian (glass) database (Build)
  int file_fd_ = -1;               // OpenEmbedded: the file holding the database
  uint64_t database_offset_ = 0;   // OpenEmbedded: where the database starts in it
  std::vector<uint32_t> offsets_;  // docid - 1 of each collection's first record
  std::string directory_;
  int lock_fd_ = -1;  // holds the directory's flock while the index lives
  size_t documents_ = 0;
  mutable absl::Mutex mu_;
  // OpenEmbedded: handles share file_fd_'s file offset, which Xapian reads
  // when it opens one; opening is serialised (reads use pread).
  mutable absl::Mutex open_mu_;
  mutable std::vector<std::unique_ptr<Xapian::Database>> pool_ ABSL_GUARDED_BY(mu_);
};

}  // namespace accord::search

#endif  // ACCORD_SERVICE_SEARCH_SEARCH_INDEX_H_
