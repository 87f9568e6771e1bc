#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "uplift/core/random.hpp"

using uplift::Rng;

TEST_CASE("Rng::below matches an independent mt19937_64 + Lemire implementation", "[core][random]") {
    // Values from a Python re-implementation of mt19937_64 and Lemire's method, seed 42 (the bootstrap
    // intervals in evaluation.json and the report are drawn this way, so these pin their bytes too).
    Rng rng(42);
    std::vector<std::uint64_t> got;
    for (const std::uint64_t bound : {10ull, 3ull, 1000000007ull, 1ull, 6ull, 0x8000000000000001ull}) {
        got.push_back(rng.below(bound));
    }
    CHECK(got == std::vector<std::uint64_t>{7, 1, 752145206, 0, 5, 5299475676119306768ull});
}

TEST_CASE("Rng::below: n = 1 is always 0 and still uses one word", "[core][random]") {
    Rng a(7);
    Rng b(7);
    for (int i = 0; i < 100; ++i) {
        CHECK(a.below(1) == 0);
        (void)b.next();
    }
    CHECK(a.next() == b.next());
}

TEST_CASE("Rng::below: n = 2^63 takes the top bit off one word (no rejection possible)", "[core][random]") {
    constexpr std::uint64_t half = std::uint64_t{1} << 63;
    Rng a(11);
    std::mt19937_64 words(11);
    for (int i = 0; i < 1000; ++i) {
        const std::uint64_t x = words();
        CHECK(a.below(half) == (x >> 1));
    }
}

TEST_CASE("Rng::below: n = 2^64 - 1 stays below n and rejects the rare low products", "[core][random]") {
    const std::uint64_t n = ~std::uint64_t{0};
    Rng rng(5);
    for (int i = 0; i < 1000; ++i) CHECK(rng.below(n) < n);
}

TEST_CASE("Rng::below is unbiased: counts for small n within 5 sigma of uniform", "[core][random]") {
    for (const std::uint64_t n : {2ull, 3ull, 7ull, 10ull}) {
        INFO("n = " << n);
        Rng rng(2024 + n);
        constexpr int draws = 200000;
        std::vector<int> counts(n);
        for (int i = 0; i < draws; ++i) {
            const std::uint64_t v = rng.below(n);
            REQUIRE(v < n);
            ++counts[v];
        }
        const double p = 1.0 / static_cast<double>(n);
        const double expected = draws * p;
        const double sigma = std::sqrt(draws * p * (1 - p));
        for (const int c : counts) CHECK(std::abs(c - expected) < 5 * sigma);
    }
}

TEST_CASE("Rng::below: a bound just above 2^63 rejects, so the draw is not the plain high half", "[core][random]") {
    // For n = 2^63 + 1, 2^64 mod n = 2^63 - 1: about half of the words are redrawn. The values stay below n
    // and both halves of the range occur.
    const std::uint64_t n = (std::uint64_t{1} << 63) + 1;
    Rng rng(3);
    bool low = false;
    bool high = false;
    for (int i = 0; i < 1000; ++i) {
        const std::uint64_t v = rng.below(n);
        REQUIRE(v < n);
        (v < n / 2 ? low : high) = true;
    }
    CHECK(low);
    CHECK(high);
}

TEST_CASE("Rng::shuffle is a seeded permutation", "[core][random]") {
    std::vector<int> a(50);
    for (int i = 0; i < 50; ++i) a[static_cast<std::size_t>(i)] = i;
    std::vector<int> b = a;
    Rng(9).shuffle(a);
    Rng(9).shuffle(b);
    CHECK(a == b);
    std::vector<int> sorted = a;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < 50; ++i) CHECK(sorted[static_cast<std::size_t>(i)] == i);
}
