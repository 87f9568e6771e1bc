#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "uplift/core/parallel.hpp"

using uplift::for_each_part;
using uplift::for_each_part_with;

TEST_CASE("for_each_part runs every part exactly once, whatever the thread count", "[core][parallel]") {
    for (const std::size_t parts : {0u, 1u, 2u, 7u, 100u}) {
        for (const std::size_t threads : {0u, 1u, 2u, 3u, 16u, 200u}) {
            INFO("parts " << parts << ", threads " << threads);
            std::vector<std::atomic<int>> runs(parts);
            for_each_part(parts, threads, [&](std::size_t p) { ++runs[p]; });
            for (const auto& r : runs) CHECK(r.load() == 1);
        }
    }
}

TEST_CASE("for_each_part gives the same result on 1 and on many threads", "[core][parallel]") {
    // Each part writes only its own slot; the caller combines them in part order.
    const auto run = [](std::size_t threads) {
        constexpr std::size_t parts = 64;
        std::vector<double> partial(parts);
        for_each_part(parts, threads, [&](std::size_t p) {
            double s = 0;
            for (std::size_t i = uplift::part_begin(100000, parts, p); i < uplift::part_begin(100000, parts, p + 1);
                 ++i) {
                s += 1.0 / static_cast<double>(i + 1);
            }
            partial[p] = s;
        });
        return std::accumulate(partial.begin(), partial.end(), 0.0);
    };
    const double one = run(1);
    CHECK(run(4) == one);
    CHECK(run(13) == one);
}

TEST_CASE("for_each_part runs part 0 on the calling thread and no more threads than asked", "[core][parallel]") {
    const auto caller = std::this_thread::get_id();
    std::thread::id part0;
    std::mutex m;
    std::set<std::thread::id> used;
    std::atomic<int> active{0};
    std::atomic<int> most{0};
    for_each_part(50, 3, [&](std::size_t p) {
        const int now = ++active;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        {
            std::lock_guard lock(m);
            used.insert(std::this_thread::get_id());
            if (p == 0) part0 = std::this_thread::get_id();
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        --active;
    });
    CHECK(part0 == caller);
    CHECK(used.size() <= 3);
    CHECK(most.load() <= 3);
}

TEST_CASE("for_each_part rethrows a part's exception after every started part is done", "[core][parallel]") {
    for (const std::size_t threads : {1u, 4u}) {
        INFO("threads " << threads);
        std::atomic<int> running{0};
        std::atomic<int> finished{0};
        const auto body = [&](std::size_t p) {
            ++running;
            if (p == 5) {
                --running;
                throw std::runtime_error("part 5 failed");
            }
            std::this_thread::sleep_for(std::chrono::microseconds(100));
            ++finished;
            --running;
        };
        REQUIRE_THROWS_WITH(for_each_part(40, threads, body), "part 5 failed");
        CHECK(running.load() == 0);   // nothing is still running when the exception arrives
        CHECK(finished.load() < 40);  // parts not started by then were skipped
    }
    // With one thread the parts run in order, so exactly the five before the failing one ran.
    int ran = 0;
    REQUIRE_THROWS_AS(for_each_part(40, 1,
                                    [&](std::size_t p) {
                                        if (p == 5) throw std::logic_error("x");
                                        ++ran;
                                    }),
                      std::logic_error);
    CHECK(ran == 5);
}

TEST_CASE("for_each_part_with gives each thread its own state, reused across its parts", "[core][parallel]") {
    struct Scratch {
        std::vector<std::size_t> parts;
    };
    std::mutex m;
    std::vector<std::size_t> all;
    std::atomic<int> states_with_many{0};
    for_each_part_with<Scratch>(30, 3, [&](std::size_t p, Scratch& s) {
        s.parts.push_back(p);
        if (s.parts.size() == 2) ++states_with_many;
        std::lock_guard lock(m);
        all.push_back(p);
    });
    std::sort(all.begin(), all.end());
    std::vector<std::size_t> expected(30);
    std::iota(expected.begin(), expected.end(), std::size_t{0});
    CHECK(all == expected);
    CHECK(states_with_many.load() >= 1);  // 30 parts on 3 threads: some state saw more than one part
}

TEST_CASE("thread_limit: 0 means one per core, at least 1", "[core][parallel]") {
    CHECK(uplift::thread_limit(5) == 5);
    CHECK(uplift::thread_limit(0) >= 1);
    CHECK(uplift::thread_limit(-1) >= 1);
}
