#pragma once
/// The plans a director will be asked about, at the same budget and contact limit as the optimised plan.
/// Each goes down its list and stops at the first client whose offer no longer fits the budget, as a
/// CRM team mailing a list until the money runs out would.
///   everyone:        the first offer listed, to clients in file order;
///   random:          clients in random order, each a uniformly random offer, averaged over repeats (repeat r
///                    draws from a generator seeded with seed + (r+1)·0x9E3779B97F4A7C15);
///   response_model:  clients by purchase probability with an offer (p_t) descending, each the offer
///                    with the highest p_t (the classic response model: it ignores p0).
/// Baselines do not drop offers with negative profit: that is the point of comparing with them.

#include <cstdint>
#include <string>

#include "uplift/optimize/constraints.hpp"
#include "uplift/optimize/instance.hpp"
#include "uplift/optimize/plan_summary.hpp"

namespace uplift::optimize {

struct Baseline {
    Totals totals;  ///< random: the mean over repeats (contacts rounded to the nearest integer)
    std::string description;
};

struct Baselines {
    Baseline everyone;
    Baseline random;
    Baseline response_model;
};

/// `threads` (0: all cores) share the random repeats; the result is the same for any count.
Baselines compute_baselines(const Instance& instance, const Constraints& constraints, std::uint64_t seed,
                            int random_repeats, int threads = 0);

}  // namespace uplift::optimize
