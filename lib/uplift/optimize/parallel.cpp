#include "uplift/optimize/parallel.hpp"

#include <algorithm>

#include "uplift/core/parallel.hpp"

namespace uplift::optimize {

void for_each_chunk(std::size_t n, int threads,
                    const std::function<void(std::size_t, std::size_t, std::size_t)>& fn) {
    for_each_part(chunk_count(n), thread_limit(threads),
                  [&](std::size_t c) { fn(c * chunk_size, std::min(n, (c + 1) * chunk_size), c); });
}

}  // namespace uplift::optimize
