// Answers a List query over one collection of a snapshot, from the
// collection's indexes (see planner.h and collection_index.h).
#ifndef ACCORD_SERVICE_ENGINE_EXECUTOR_H_
#define ACCORD_SERVICE_ENGINE_EXECUTOR_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "service/query/checker.h"
#include "service/query/order_by.h"
#include "service/serving/serving_catalog.h"

namespace accord::engine {

// One List query, already parsed and checked.
struct ListQuery {
  // Candidate positions [begin, end) in name order: the whole collection,
  // or the range under one parent.
  size_t begin = 0;
  size_t end = 0;
  // The filter; nullptr matches every candidate.
  const query::CheckedExpr* filter = nullptr;
  // Sort keys; empty (or nullptr) means name order. Ties are broken by name.
  const std::vector<query::OrderKey>* order = nullptr;
  // Where the page starts. With `after` >= 0 (a resume cursor: the position
  // of the last record of the previous page), the page is the first `limit`
  // matches that sort after that record, and `offset` is ignored: a deep
  // page then costs what the first page costs. Otherwise the page is
  // results [offset, offset + limit).
  int64_t after = -1;
  size_t offset = 0;
  size_t limit = 50;
  // Optional: how many candidates match the filter, when the caller knows
  // it exactly (from an earlier answer to the same query over the same
  // snapshot and range). ExecuteList then reports it as total_size instead
  // of counting the matches where counting is separate work. -1: unknown.
  int64_t known_total = -1;
  // Optional. Polled every few thousand records in long loops (filters no
  // index answers, walks through a sorted column); when it returns true
  // ExecuteList stops and returns CANCELLED. The caller maps that to what
  // its client sees (e.g. DEADLINE_EXCEEDED when the deadline passed). Must
  // be cheap and thread-safe; it runs on the request's thread.
  std::function<bool()> cancelled;
};

// A page of results, as positions in the collection, and how many matched.
struct ListPage {
  std::vector<uint32_t> positions;
  size_t total_size = 0;
};

// Matches the filter from the indexes, then reads the page in order: along
// the sort key's sorted column when matches are dense enough for that to
// stop early, else by partially sorting the matches on precomputed sort
// keys. Results are identical to ExecuteListNaive (naive_executor.h).
// Errors: CANCELLED when `query.cancelled` says so.
absl::StatusOr<ListPage> ExecuteList(const serving::Collection& collection, const ListQuery& query);

}  // namespace accord::engine

#endif  // ACCORD_SERVICE_ENGINE_EXECUTOR_H_
