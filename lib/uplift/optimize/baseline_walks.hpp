#pragma once
/// What the baseline walks share (baselines.cpp walks one budget, baselines_at.cpp every budget at once):
/// the repeats of the random list, their mean, and the response list's entries. Internal to optimize/.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "uplift/core/parallel.hpp"
#include "uplift/core/random.hpp"
#include "uplift/optimize/instance.hpp"
#include "uplift/optimize/plan_summary.hpp"

namespace uplift::optimize::detail {

/// Runs repeat r = 0..repeats−1 as work(r, scratch) on up to `threads` threads (0: all cores), scratch
/// being one order buffer per thread; each repeat writes only its own result, so the outcome does not
/// depend on the thread count.
template <class Work>
void run_repeats(int repeats, int threads, const Work& work) {
    for_each_part_with<std::vector<std::uint32_t>>(static_cast<std::size_t>(std::max(repeats, 0)),
                                                   thread_limit(threads), work);
}

/// Repeat r always draws from its own generator, seeded from the seed and r.
inline Rng repeat_rng(std::uint64_t seed, std::size_t r) { return Rng(seed + 0x9E3779B97F4A7C15ull * (r + 1)); }

/// The mean over repeats, taken in repeat order (contacts rounded to the nearest integer).
template <class Get>
Totals mean_of(std::size_t runs, int repeats, const Get& get) {
    long double contacts = 0, spend = 0, conversions = 0, revenue = 0, profit = 0;
    for (std::size_t r = 0; r < runs; ++r) {
        const Totals& t = get(r);
        contacts += t.contacts;
        spend += t.spend;
        conversions += t.conversions;
        revenue += t.revenue;
        profit += t.profit;
    }
    const long double n = std::max(repeats, 1);
    return Totals{static_cast<std::size_t>(std::llround(static_cast<double>(contacts / n))),
                  static_cast<double>(spend / n), static_cast<double>(conversions / n),
                  static_cast<double>(revenue / n), static_cast<double>(profit / n)};
}

struct Entry {
    double pt;
    std::size_t client;
    std::size_t k;
};

/// Response-list order: highest p_t first, ties in file order (a strict order).
inline bool before(const Entry& a, const Entry& b) noexcept {
    if (a.pt != b.pt) return a.pt > b.pt;
    return a.client < b.client;
}

/// Client i's offer with the highest p_t (the first of equal ones).
inline Entry best_entry(const Instance& in, std::size_t i) {
    const std::size_t k_count = in.num_offers();
    std::size_t best = 0;
    for (std::size_t k = 1; k < k_count; ++k) {
        if (in.pt[i * k_count + k] > in.pt[i * k_count + best]) best = k;
    }
    return Entry{in.pt[i * k_count + best], i, best};
}

}  // namespace uplift::optimize::detail
