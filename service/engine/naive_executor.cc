#include "service/engine/naive_executor.h"

#include <algorithm>

#include "service/query/evaluator.h"

namespace accord::engine {

ListPage ExecuteListNaive(const serving::Collection& collection, const ListQuery& query) {
  ListPage page;
  // The reference executor parses every record of the range once, into one
  // arena for the call (it is a test oracle, not a serving path).
  google::protobuf::Arena arena;
  std::vector<const google::protobuf::Message*> records(collection.size(), nullptr);
  auto record = [&](size_t i) -> const google::protobuf::Message& {
    if (records[i] == nullptr) records[i] = collection.Parse(i, &arena);
    return *records[i];
  };
  std::vector<uint32_t> matches;
  for (size_t i = query.begin; i < query.end; ++i) {
    if (query.filter == nullptr || query::Matches(*query.filter, record(i))) {
      matches.push_back(static_cast<uint32_t>(i));
    }
  }
  page.total_size = matches.size();
  const bool ordered = query.order != nullptr && !query.order->empty();
  // Positions are in name order, so comparing positions breaks ties by name.
  auto less = [&](uint32_t a, uint32_t b) {
    int c = ordered ? query::CompareForOrder(*query.order, record(a), record(b)) : 0;
    return c != 0 ? c < 0 : a < b;
  };
  if (ordered) std::sort(matches.begin(), matches.end(), less);
  size_t start = query.offset;
  if (query.after >= 0) {
    start =
        std::upper_bound(matches.begin(), matches.end(), static_cast<uint32_t>(query.after), less) -
        matches.begin();
  }
  if (start >= matches.size()) return page;
  size_t stop = std::min(matches.size(), start + query.limit);
  page.positions.assign(matches.begin() + start, matches.begin() + stop);
  return page;
}

}  // namespace accord::engine
