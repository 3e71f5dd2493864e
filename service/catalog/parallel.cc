#include "service/catalog/parallel.h"

#include <algorithm>
#include <thread>
#include <vector>

namespace accord::catalog {

size_t ChunkCount(size_t n, size_t min_per_chunk, size_t max_threads) {
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  const size_t by_size = std::max<size_t>(1, n / std::max<size_t>(1, min_per_chunk));
  return std::max<size_t>(1, std::min({cores, max_threads, by_size}));
}

void ParallelChunks(size_t n, size_t chunks,
                    const std::function<void(size_t chunk, size_t begin, size_t end)>& fn) {
  chunks = std::max<size_t>(1, chunks);
  auto bounds = [&](size_t c) { return n / chunks * c + std::min(c, n % chunks); };
  std::vector<std::thread> helpers;
  helpers.reserve(chunks - 1);
  for (size_t c = 1; c < chunks; ++c) helpers.emplace_back(fn, c, bounds(c), bounds(c + 1));
  fn(0, bounds(0), bounds(1));
  for (std::thread& t : helpers) t.join();
}

}  // namespace accord::catalog
