#pragma once
/// The parameters of `compare`, declared once (see uplift/core/params.hpp): compare_models() checks them
/// through compare_param_table(), the CLI adds its options from these declarations, and a unit test proves
/// that CompareOptions' defaults and docs/compare.md's options table agree with them.
/// (--k is a list, checked value by value in eval/validation.hpp.)

#include <array>
#include <string_view>

#include "uplift/artifacts/comparison.hpp"
#include "uplift/core/params.hpp"

namespace uplift::model {

struct CompareOptions;

namespace compare_params {

inline constexpr Param<double> margin{
    .name = "margin", .flag = "--margin", .default_value = 0.0, .min = 0.0, .max = {}, .off = {},
    .help = "How much worse the challenger may be on --metric (challenger - champion >= -margin) and still "
            "replace the champion"};
inline constexpr Param<int> bootstrap{
    .name = "bootstrap", .flag = "--bootstrap", .default_value = 1000, .min = 1, .max = 100000, .off = {},
    .help = "Paired bootstrap replicates of the difference"};
inline constexpr std::array<std::string_view, 2> metric_choices{artifacts::compare_metric_qini,
                                                                artifacts::compare_metric_uplift_at_30};
inline constexpr TextParam metric{.name = "metric", .flag = "--metric", .default_value = "qini_auc",
                                  .choices = metric_choices, .help = "The metric the decision is taken on"};

}  // namespace compare_params

/// compare's declared parameters bound to CompareOptions: checks (UsageError naming the flag) and docs rows.
const ParamTable<CompareOptions>& compare_param_table();

}  // namespace uplift::model
