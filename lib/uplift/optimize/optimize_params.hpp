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

}  // namespace optimize_params

/// optimize's declared parameters bound to OptimizeOptions: checks (UsageError naming the flag) and docs rows.
const ParamTable<OptimizeOptions>& optimize_param_table();

}  // namespace uplift::optimize
