#pragma once
/// The numeric parameters of `evaluate`, declared once (see uplift/core/params.hpp): evaluate() checks them
/// through evaluate_param_table(), the CLI adds its options from these declarations, and unit tests prove that
/// EvaluationOptions' defaults (artifacts/evaluation.hpp, a lower layer) and docs/evaluate.md's options table
/// agree with them.
/// (--k is a list, checked value by value in validation.hpp.)

#include "uplift/artifacts/evaluation.hpp"
#include "uplift/core/params.hpp"

namespace uplift::eval {

using artifacts::EvaluationOptions;

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
