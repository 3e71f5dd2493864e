// The reference List executor: evaluates the filter on every candidate and
// sorts with query::CompareForOrder. Slow (linear in the candidates) but
// obviously right; the indexed executor is tested against it.
#ifndef ACCORD_SERVICE_ENGINE_NAIVE_EXECUTOR_H_
#define ACCORD_SERVICE_ENGINE_NAIVE_EXECUTOR_H_

#include "service/engine/executor.h"

namespace accord::engine {

// Same contract as ExecuteList, including `after` cursors; ignores
// `cancelled`.
ListPage ExecuteListNaive(const serving::Collection& collection, const ListQuery& query);

}  // namespace accord::engine

#endif  // ACCORD_SERVICE_ENGINE_NAIVE_EXECUTOR_H_
