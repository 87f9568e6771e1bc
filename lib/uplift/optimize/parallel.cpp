#include "uplift/optimize/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace uplift::optimize {

void for_each_chunk(std::size_t n, int threads,
                    const std::function<void(std::size_t, std::size_t, std::size_t)>& fn) {
    const std::size_t chunks = chunk_count(n);
    const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t workers = std::min<std::size_t>(chunks, threads > 0 ? static_cast<std::size_t>(threads) : hardware);
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
        for (std::size_t c = next++; c < chunks; c = next++) fn(c * chunk_size, std::min(n, (c + 1) * chunk_size), c);
    };
    if (workers <= 1) {
        work();
        return;
    }
    std::vector<std::thread> pool;
    pool.reserve(workers - 1);
    for (std::size_t t = 1; t < workers; ++t) pool.emplace_back(work);
    work();
    for (auto& thread : pool) thread.join();
}

}  // namespace uplift::optimize
