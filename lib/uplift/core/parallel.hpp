#pragma once
/// The project's one parallel fan-out: run body(part) for parts 0..n-1 on up to a given number of threads.
/// Results never depend on the thread count as long as each part writes only its own outputs (or partial
/// sums that the caller combines in part order); every caller in eval/, optimize/ and simulate/ is written
/// that way, so --threads changes the speed and never the bytes.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace uplift {

/// Threads for a `--threads` value: `requested` when positive, else one per core (at least 1).
inline std::size_t thread_limit(int requested) {
    if (requested > 0) return static_cast<std::size_t>(requested);
    return std::max(1u, std::thread::hardware_concurrency());
}

/// First index of `part` when `count` items are cut into `parts` nearly equal, contiguous parts.
inline std::size_t part_begin(std::size_t count, std::size_t parts, std::size_t part) { return count * part / parts; }

/// Runs body(part, state) for every part in [0, parts) on min(parts, threads) threads (threads 0 counts
/// as 1), each with its own default-constructed State (scratch reused across the parts one thread runs).
/// Part 0 runs on the calling thread, first; the others are taken in increasing order by whichever thread
/// is free, each exactly once, so with threads >= parts every part has a thread of its own (parts may
/// wait for each other). Returns when every started part is done. When a part throws, parts not yet
/// started are skipped and the first exception is rethrown here.
template <class State, class Body>
void for_each_part_with(std::size_t parts, std::size_t threads, const Body& body) {
    if (parts == 0) return;
    const std::size_t workers = std::clamp<std::size_t>(threads, 1, parts);
    std::atomic<std::size_t> next{1};
    std::atomic<bool> failed{false};
    std::exception_ptr first_error;
    std::mutex error_mutex;
    const auto run = [&](std::size_t part, State& state) {
        try {
            body(part, state);
        } catch (...) {
            std::lock_guard lock(error_mutex);
            if (!first_error) first_error = std::current_exception();
            failed = true;
        }
    };
    const auto drain = [&](State& state) {
        while (!failed) {
            const std::size_t part = next++;
            if (part >= parts) return;
            run(part, state);
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(workers - 1);
    try {
        for (std::size_t w = 1; w < workers; ++w) {
            pool.emplace_back([&] {
                State state{};
                drain(state);
            });
        }
    } catch (...) {  // a thread could not start: stop, and report that instead of running short-handed
        std::lock_guard lock(error_mutex);
        first_error = std::current_exception();
        failed = true;
    }
    if (!failed) {
        State state{};
        run(0, state);
        drain(state);
    }
    for (auto& t : pool) t.join();
    if (first_error) std::rethrow_exception(first_error);
}

/// for_each_part_with without per-thread state: body(part).
template <class Body>
void for_each_part(std::size_t parts, std::size_t threads, const Body& body) {
    struct NoState {};
    for_each_part_with<NoState>(parts, threads, [&body](std::size_t part, NoState&) { body(part); });
}

}  // namespace uplift
