#pragma once
/// Seeded randomness whose results are identical on every platform and standard library: the engine
/// is std::mt19937_64 (fully specified), and bounded draws use Lemire's method instead of
/// std::uniform_int_distribution, whose output the standard leaves to each implementation.
/// Rng::below is the project's only bounded integer draw (bootstrap resamples, splits, shuffles and the
/// simulator all use it), so a seed means the same draws everywhere.

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace uplift {

__extension__ using Uint128 = unsigned __int128;  // GCC/Clang builtin; __extension__ keeps -Wpedantic quiet

class Rng {
public:
    explicit Rng(std::uint64_t seed) : engine_(seed) {}

    std::uint64_t next() { return engine_(); }

    /// Uniform in [0, n), n > 0, unbiased: the high half of x·n for a 64-bit word x, redrawn while the low
    /// half falls below 2^64 mod n (the products that would over-represent some values). Same words as
    /// Lemire (2019), "Fast random integer generation in an interval".
    std::uint64_t below(std::uint64_t n) {
        Uint128 m = static_cast<Uint128>(engine_()) * n;
        auto low = static_cast<std::uint64_t>(m);
        if (low < n) {
            const std::uint64_t threshold = (0 - n) % n;
            while (low < threshold) {
                m = static_cast<Uint128>(engine_()) * n;
                low = static_cast<std::uint64_t>(m);
            }
        }
        return static_cast<std::uint64_t>(m >> 64);
    }

    /// Uniform in [0, 1) with 53 random bits.
    double uniform01() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

    /// Fisher–Yates shuffle.
    template <class T>
    void shuffle(std::vector<T>& v) {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[static_cast<std::size_t>(below(i))]);
    }

private:
    std::mt19937_64 engine_;
};

}  // namespace uplift
