#include "service/engine/executor.h"

#include <algorithm>

#include "service/query/evaluator.h"

namespace accord::engine {

ListPage ExecuteList(const catalog::Collection& collection, const ListQuery& query) {
  ListPage page;
  std::vector<uint32_t> matches;
  for (size_t i = query.begin; i < query.end; ++i) {
    if (query.filter == nullptr || query::Matches(*query.filter, collection.record(i))) {
      matches.push_back(static_cast<uint32_t>(i));
    }
  }
  page.total_size = matches.size();
  if (query.offset >= matches.size()) return page;
  size_t stop = std::min(matches.size(), query.offset + query.limit);
  if (query.order != nullptr && !query.order->empty()) {
    // Positions are in name order, so comparing positions breaks ties by name.
    auto less = [&](uint32_t a, uint32_t b) {
      int c = query::CompareForOrder(*query.order, collection.record(a), collection.record(b));
      return c != 0 ? c < 0 : a < b;
    };
    std::partial_sort(matches.begin(), matches.begin() + stop, matches.end(), less);
  }
  page.positions.assign(matches.begin() + query.offset, matches.begin() + stop);
  return page;
}

}  // namespace accord::engine
