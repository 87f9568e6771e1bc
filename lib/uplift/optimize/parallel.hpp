#pragma once
/// Fixed-size chunks of client indices, processed on a few threads. The chunk boundaries never depend on
/// the thread count, so per-chunk partial sums combined in chunk order give the same bits on 1 or 64
/// threads: plans and their totals stay byte-identical whatever --threads says.

#include <cstddef>
#include <functional>

namespace uplift::optimize {

inline constexpr std::size_t chunk_size = std::size_t{1} << 16;

inline std::size_t chunk_count(std::size_t n) { return (n + chunk_size - 1) / chunk_size; }

/// Calls fn(begin, end, chunk) for every chunk of [0, n) on up to `threads` threads (0: all cores) through
/// core/parallel.hpp; an exception from fn is rethrown here.
void for_each_chunk(std::size_t n, int threads,
                    const std::function<void(std::size_t begin, std::size_t end, std::size_t chunk)>& fn);

}  // namespace uplift::optimize
