#pragma once
/// The limits a plan must respect, shared by the solver, the budget curve and the baselines.

#include <cstddef>
#include <optional>

namespace uplift::optimize {

struct Constraints {
    double budget = 0;                         ///< total expected spend allowed (> 0)
    std::optional<std::size_t> max_contacts;   ///< at most this many clients get an offer
    std::optional<double> min_roi;             ///< only offers whose own profit/spend ≥ this (so the plan's too)
    bool allow_negative = false;               ///< spend leftover budget on offers with profit ≤ 0
};

/// Throws UsageError for a budget ≤ 0 (or not finite) or a min ROI that is not a number.
void check_constraints(const Constraints& c);

/// The budget with an allowance (1e-12 relative) for floating-point rounding: 30 contacts at 0.1 sum to
/// 3.0000000000000004 in doubles and must fit a budget of 3. Spend figures are reported with 6 decimals,
/// far coarser than the allowance, so a reported spend never exceeds the budget.
inline double usable_budget(double budget) noexcept { return budget + budget * 1e-12; }

/// Whether an option with this profit and spend may be offered at all.
inline bool eligible(double profit, double spend, const Constraints& c) noexcept {
    return (c.allow_negative || profit > 0) && (!c.min_roi || profit >= *c.min_roi * spend);
}

}  // namespace uplift::optimize
