#pragma once
/// Internal: splitting work over a few threads. Results never depend on the thread count: every
/// parallel step writes disjoint outputs in a fixed order.

#include <algorithm>
#include <cstddef>
#include <future>
#include <thread>
#include <vector>

namespace uplift::eval::detail {

/// Threads to use for `requested` (0 = one per core), never more than parts of `min_rows` rows.
inline std::size_t thread_count(int requested, std::size_t rows, std::size_t min_rows = std::size_t{1} << 16) {
    std::size_t threads = requested > 0 ? static_cast<std::size_t>(requested) : std::thread::hardware_concurrency();
    threads = std::max<std::size_t>(threads, 1);
    return std::clamp<std::size_t>(rows / min_rows, 1, threads);
}

/// Runs body(part) for every part in [0, parts): part 0 on the calling thread, the others on their
/// own threads. Returns when all are done and rethrows the first exception.
template <class Body>
void run_parts(std::size_t parts, const Body& body) {
    std::vector<std::future<void>> others;
    others.reserve(parts > 0 ? parts - 1 : 0);
    for (std::size_t p = 1; p < parts; ++p) others.push_back(std::async(std::launch::async, [&body, p] { body(p); }));
    body(0);
    for (auto& f : others) f.get();
}

/// First row of `part` when `rows` are cut into `parts` nearly equal parts.
inline std::size_t part_begin(std::size_t rows, std::size_t parts, std::size_t part) { return rows * part / parts; }

/// Starts `task` on another thread when `parallel`, else defers it to get().
template <class Task>
auto start(bool parallel, Task&& task) {
    return std::async(parallel ? std::launch::async : std::launch::deferred, std::forward<Task>(task));
}

}  // namespace uplift::eval::detail
