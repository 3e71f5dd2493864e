// Answers a List query over one collection of a snapshot.
#ifndef ACCORD_SERVICE_ENGINE_EXECUTOR_H_
#define ACCORD_SERVICE_ENGINE_EXECUTOR_H_

#include <cstdint>
#include <vector>

#include "service/catalog/snapshot.h"
#include "service/query/checker.h"
#include "service/query/order_by.h"

namespace accord::engine {

// One List query, already parsed and checked.
struct ListQuery {
  // Candidate positions [begin, end) in name order: the whole collection,
  // or the range under one parent.
  size_t begin = 0;
  size_t end = 0;
  // The filter; nullptr matches every candidate.
  const query::CheckedExpr* filter = nullptr;
  // Sort keys; empty means name order. Ties are broken by name.
  const std::vector<query::OrderKey>* order = nullptr;
  // How many results to skip, and the most to return.
  size_t offset = 0;
  size_t limit = 50;
};

// A page of results, as positions in the collection, and how many matched.
struct ListPage {
  std::vector<uint32_t> positions;
  size_t total_size = 0;
};

// Evaluates the filter on every candidate, orders the matches and returns
// the page [offset, offset + limit). Cost is linear in the candidates.
ListPage ExecuteList(const catalog::Collection& collection, const ListQuery& query);

}  // namespace accord::engine

#endif  // ACCORD_SERVICE_ENGINE_EXECUTOR_H_
