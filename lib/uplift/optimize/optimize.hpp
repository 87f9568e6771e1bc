#pragma once
/// `upliftctl optimize` as one library call: the plan, its budget curve and the baselines (at the plan's
/// budget and at every point of the curve, from one walk per baseline list).

#include <cstdint>
#include <vector>

#include "uplift/core/progress.hpp"
#include "uplift/optimize/baselines.hpp"
#include "uplift/optimize/budget_curve.hpp"
#include "uplift/optimize/constraints.hpp"
#include "uplift/optimize/instance.hpp"
#include "uplift/optimize/optimize_params.hpp"
#include "uplift/optimize/plan_summary.hpp"
#include "uplift/optimize/solver.hpp"

namespace uplift::optimize {

struct OptimizeOptions {
    Constraints constraints;
    SolverOptions solver;
    std::uint64_t seed = 42;          ///< random baseline
    int random_repeats = optimize_params::random_repeats.default_value;
    std::size_t curve_points = default_curve_points;
    double control_share = optimize_params::control_share.default_value;  ///< 0: no hold-out
    /// Called after each of optimize()'s optimize_steps phases (the solve, the budget curve, the baselines), for
    /// the CLI's --progress bar: at tens of millions of clients each takes seconds.
    Progress progress;
};

inline constexpr std::uint64_t optimize_steps = 3;

struct OptimizeResult {
    Solution solution;
    PlanSummary plan;
    std::vector<CurvePoint> curve;
    Baselines baselines;  ///< at the plan's budget
    /// The three baselines at each curve point's budget (curve_baselines[i] belongs to curve[i]).
    std::vector<BaselineTotals> curve_baselines;
    /// The first offer to every client, no budget: the "discount to everyone" the plan saves against.
    Totals everyone_all;
    /// 1 for the planned clients held out uncontacted (hold_out.hpp); empty without a control share.
    std::vector<std::uint8_t> held_out;
};

/// Throws UsageError for bad constraints (budget ≤ 0, random repeats < 1), DataError when the budget is below the
/// cheapest contact's expected cost (cheapest_contact.hpp).
OptimizeResult optimize(const Instance& instance, const OptimizeOptions& options);

}  // namespace uplift::optimize
