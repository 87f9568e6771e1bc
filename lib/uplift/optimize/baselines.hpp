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
#include <span>
#include <string>
#include <vector>

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
/// The reference definition: one walk per list at the budget of `constraints`.
Baselines compute_baselines(const Instance& instance, const Constraints& constraints, std::uint64_t seed,
                            int random_repeats, int threads = 0);

/// The three baselines' totals at one budget.
struct BaselineTotals {
    Totals everyone;
    Totals random;
    Totals response_model;
};

/// The baselines at every budget of `budgets` (any order; the budget of `constraints` is ignored, its other
/// limits apply), exactly as compute_baselines would give them one budget at a time, but with ONE walk per
/// list ordering: the walk goes on to the largest budget and records the totals of a budget at the first
/// client whose offer would exceed it. The random repeats draw the same sequence whatever the budget, so each
/// repeat is also walked once. Result i belongs to budgets[i].
std::vector<BaselineTotals> compute_baselines_at(const Instance& instance, const Constraints& constraints,
                                                 std::span<const double> budgets, std::uint64_t seed,
                                                 int random_repeats, int threads = 0);

/// The baselines' descriptions (as compute_baselines writes them).
std::string everyone_description(const Instance& instance);

/// The first offer to every client, with no budget or contact limit: what "a discount to everyone" costs
/// and brings, the figure a director compares the plan's spend with.
Totals everyone_unlimited(const Instance& instance);
std::string everyone_unlimited_description(const Instance& instance);
std::string random_description(int random_repeats, std::uint64_t seed);
std::string response_model_description(const Instance& instance);

}  // namespace uplift::optimize
