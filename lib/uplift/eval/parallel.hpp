#pragma once
/// Internal: how eval/ splits work over a few threads (core/parallel.hpp runs the parts). Results never
/// depend on the thread count: every parallel step writes disjoint outputs in a fixed order.

#include <algorithm>
#include <cstddef>
#include <future>

#include "uplift/core/parallel.hpp"

namespace uplift::eval::detail {

/// Threads to use for `requested` (0 = one per core), never more than parts of `min_rows` rows.
inline std::size_t thread_count(int requested, std::size_t rows, std::size_t min_rows = std::size_t{1} << 16) {
    return std::clamp<std::size_t>(rows / min_rows, 1, thread_limit(requested));
}

/// Starts `task` on another thread when `parallel`, else defers it to get().
template <class Task>
auto start(bool parallel, Task&& task) {
    return std::async(parallel ? std::launch::async : std::launch::deferred, std::forward<Task>(task));
}

}  // namespace uplift::eval::detail
