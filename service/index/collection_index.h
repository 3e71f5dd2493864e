// Every index over one collection: value indexes (posting lists) for the
// filterable fields worth indexing, and sorted columns for order_by.
// Built when a catalogue snapshot loads, in part: value indexes of
// top-level fields (kind, parties, sign_date, ... and commitments.kind etc.
// from the children) and sorted columns of non-string fields are built
// eagerly; value indexes of nested fields (events.date, evidence.source,
// ...) and sorted columns of string fields are built on first use
// (thread-safe, once), because at a million records each costs about a
// second that most deployments never need back. Logically immutable.
#ifndef ACCORD_SERVICE_INDEX_COLLECTION_INDEX_H_
#define ACCORD_SERVICE_INDEX_COLLECTION_INDEX_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include <functional>
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include "google/protobuf/message.h"
#include "service/catalog/snapshot.h"
#include "service/index/cooccurrence.h"
#include "service/index/field_index.h"
#include "service/index/rank_space.h"
#include "service/index/sort_column.h"
#include "service/query/schema.h"

namespace accord::index {

class CollectionIndex {
 public:
  // Fields of this collection whose values are the union of a child
  // collection's field over each record's children (agreements'
  // "commitments.kind" from commitments' "kind"). Indexed from the child's
  // index, without calling the (costly) computed extractor.
  struct ChildFields {
    const CollectionIndex* child = nullptr;
    // parent_of[c]: this collection's position of child c's parent.
    std::vector<uint32_t> parent_of;
    // (field of this schema, field of the child's schema).
    std::vector<std::pair<const query::Field*, const query::Field*>> fields;
  };

  // Indexes the stored `records` (in name order; they and `schema` must
  // outlive the index). The build streams through the records once: each is
  // parsed into a short-lived arena (a chunk of records at a time), its
  // eager fields' values extracted and copied into the indexes, and the
  // chunk dropped; lazy indexes and columns do the same on first use. No
  // parsed record outlives the call that parsed it. A string field is left
  // unindexed when a sample shows mostly distinct values (titles,
  // descriptions): filters on it are evaluated record by record on the
  // candidates that the other predicates leave.
  static std::unique_ptr<CollectionIndex> Build(const catalog::Collection* records,
                                                const query::Schema& schema,
                                                const ChildFields* children = nullptr);
  // The same index, built from `parsed`: record p already parsed (the
  // message whose serialization is `records->bytes(p)`, for every p <
  // records->size()), so that the build parses nothing. `parsed` is read
  // only during the call; lazy indexes built later parse the stored bytes
  // as after Build. Gives exactly what Build gives.
  static std::unique_ptr<CollectionIndex> BuildFromParsed(
      const catalog::Collection* records, const query::Schema& schema, const ChildFields* children,
      const std::vector<const google::protobuf::Message*>& parsed);

  // Appends the indexes built so far to `out`, for the compiled catalogue
  // (service/serving stores them beside the records): right after Build,
  // the eager value indexes and sorted columns and the children's parents.
  // Call it before the index serves queries (it reads the lazy slots
  // without their once-flags).
  void Serialize(std::string* out) const;
  // The index that Serialize wrote for the same records, schema and child
  // fields (`children->parent_of` may be empty: it is read back). What the
  // bytes hold is ready at once; the rest is built on first use, as after
  // Build, so queries answer exactly as on a built index. DataLoss when the
  // bytes do not decode (a field this schema lacks, a count that is not the
  // collection's, a corrupt value index or column); never reads outside
  // them.
  static absl::StatusOr<std::unique_ptr<CollectionIndex>> Load(const catalog::Collection* records,
                                                               const query::Schema& schema,
                                                               const ChildFields* children,
                                                               absl::string_view bytes);

  size_t size() const { return records_->size(); }
  // The value index of `field` (as a restriction names it), or nullptr
  // when it is not indexed. May build it (once) on first use.
  const FieldIndex* field(const query::Field* field) const;
  // The sorted column of the non-repeated `field`, built on first use.
  const SortColumn& sort(const query::Field* field) const;
  // The rank space of the non-repeated date `field` (composite postings
  // in that field's order, see rank_space.h), built on first use; nullptr
  // for other fields or when the field has no value index.
  const RankSpace* rank_space(const query::Field* field) const;
  // The pair postings of the repeated, indexed `field` (see
  // cooccurrence.h), built on first use; nullptr when it has none.
  const Cooccurrence* cooccurrence(const query::Field* field) const;
  // True for the schema's "name" field, whose order is position order.
  bool IsName(const query::Field* field) const { return field == name_field_; }
  // Approximate heap bytes of the value indexes, built sort columns,
  // rank-space and pair postings.
  size_t MemoryBytes() const;

 private:
  struct LazyColumn {
    std::once_flag once;
    std::unique_ptr<SortColumn> column;
    std::once_flag rank_once;
    std::unique_ptr<RankSpace> rank;
  };
  struct LazyField {
    std::once_flag once;
    std::unique_ptr<FieldIndex> index;    // null after the build: not indexed
    const query::Field* child = nullptr;  // for fields derived from children
    std::once_flag pairs_once;
    std::unique_ptr<Cooccurrence> pairs;
  };

  // The index with every slot lazy (nothing built yet).
  static std::unique_ptr<CollectionIndex> Empty(const catalog::Collection* records,
                                                const query::Schema& schema,
                                                const ChildFields* children);

  // Build and BuildFromParsed (`parsed` null: parse the stored bytes).
  static std::unique_ptr<CollectionIndex> BuildImpl(
      const catalog::Collection* records, const query::Schema& schema, const ChildFields* children,
      const std::vector<const google::protobuf::Message*>* parsed);

  // Calls `visit(p, record)` for every record in position order: the
  // record of parsed_ while a build from parsed records runs, else each
  // parsed into an arena that lives for a chunk of records. Only `fields`
  // (the fields' top-level field numbers, as TopLevelNumbers gives) are
  // parsed; all of the record when `fields` is empty.
  void ForEachRecord(
      const std::vector<int>& fields,
      const std::function<void(uint32_t, const google::protobuf::Message&)>& visit) const;
  // The sorted top-level field numbers `fields` read, or empty (meaning
  // the whole record) when one of them is not a plain path of the message.
  std::vector<int> TopLevelNumbers(const std::vector<const query::Field*>& fields) const;

  // Every `step`-th record (for LooksCategorical), from parsed_ or parsed
  // into `arena`.
  std::vector<const google::protobuf::Message*> Sample(google::protobuf::Arena* arena) const;

  const catalog::Collection* records_ = nullptr;
  // The records already parsed, in position order, during BuildFromParsed
  // only (null before it returns): the index is not shared yet then.
  const std::vector<const google::protobuf::Message*>* parsed_ = nullptr;
  const query::Field* name_field_ = nullptr;
  absl::flat_hash_map<const query::Field*, std::unique_ptr<LazyField>> fields_;
  const CollectionIndex* child_ = nullptr;
  std::vector<uint32_t> parent_of_;
  absl::flat_hash_map<const query::Field*, std::unique_ptr<LazyColumn>> columns_;
};

}  // namespace accord::index

#endif  // ACCORD_SERVICE_INDEX_COLLECTION_INDEX_H_
