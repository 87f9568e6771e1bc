#pragma once
/// The numeric parameters of `evaluate`, declared once (see uplift/core/params.hpp): EvaluationOptions
/// takes its defaults from here, evaluate() checks them through evaluate_param_table(), the CLI adds its
/// options from these declarations, and a unit test compares them with docs/evaluate.md's options table.
/// (--k is a list, checked value by value in validation.hpp.)

#include "uplift/core/params.hpp"

namespace uplift::eval {

struct EvaluationOptions;

namespace evaluate_params {

inline constexpr Param<int> bins{
    .name = "bins", .flag = "--bins", .default_value = 10, .min = 1, .max = 1000, .off = {},
    .help = "Bins of the uplift-by-percentile table"};
inline constexpr Param<int> bootstrap{
    .name = "bootstrap", .flag = "--bootstrap", .default_value = 0, .min = 0, .max = 100000, .off = {},
    .help = "Bootstrap replicates for confidence intervals (0: none)"};

}  // namespace evaluate_params

/// evaluate's declared parameters bound to EvaluationOptions: checks (UsageError naming the flag) and docs rows.
const ParamTable<EvaluationOptions>& evaluate_param_table();

}  // namespace uplift::eval
