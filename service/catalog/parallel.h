// Splitting a range of work between a few threads, for the load's stages
// (derive, validate) on a small machine.
#ifndef ACCORD_SERVICE_CATALOG_PARALLEL_H_
#define ACCORD_SERVICE_CATALOG_PARALLEL_H_

#include <cstddef>
#include <functional>

namespace accord::catalog {

// How many threads ParallelChunks uses for `n` items: one per core (at most
// `max_threads`), and one when the range is too small (under `min_per_chunk`
// items per thread) to be worth a thread.
size_t ChunkCount(size_t n, size_t min_per_chunk = 4096, size_t max_threads = 8);

// Calls `fn(chunk, begin, end)` for `chunks` contiguous, ordered, disjoint
// ranges that together cover [0, n) (chunk 0 is [0, ...), the last ends at
// n; some may be empty when n < chunks), each on its own thread (chunk 0 on
// the caller's), and returns when all have returned. `fn` must be safe to
// call concurrently for different chunks.
void ParallelChunks(size_t n, size_t chunks,
                    const std::function<void(size_t chunk, size_t begin, size_t end)>& fn);

}  // namespace accord::catalog

#endif  // ACCORD_SERVICE_CATALOG_PARALLEL_H_
