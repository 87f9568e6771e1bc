#pragma once
/// The numeric parameters of `optimize` that have a default, declared once (see uplift/core/params.hpp):
/// OptimizeOptions takes its defaults from here, optimize() checks them through optimize_param_table(), the
/// CLI adds its options from these declarations, and a unit test compares them with docs/optimize.md's
/// options table. (--budget is required and has no default; check_constraints refuses a budget <= 0.)

#include "uplift/core/params.hpp"

namespace uplift::optimize {

struct OptimizeOptions;

namespace optimize_params {

inline constexpr Param<int> random_repeats{
    .name = "random_repeats", .flag = "--random-repeats", .default_value = 20, .min = 1, .max = 100000,
    .off = {}, .help = "Draws averaged by the random baseline"};

/// Bounds are inclusive, so "below 1" is written as its largest round value: a plan that holds out more
/// than 99% of its clients is not a campaign.
inline constexpr Param<double> control_share{
    .name = "control_share", .flag = "--control-share", .default_value = 0, .min = 0, .max = 0.99,
    .off = {}, .help = "Share of the planned clients of each offer held out uncontacted (seeded by --seed), so "
                       "`upliftctl measure` can measure the plan"};

}  // namespace optimize_params

/// optimize's declared parameters bound to OptimizeOptions: checks (UsageError naming the flag) and docs rows.
const ParamTable<OptimizeOptions>& optimize_param_table();

}  // namespace uplift::optimize
