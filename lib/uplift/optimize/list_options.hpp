#pragma once
/// The CRM-list options of `optimize` (--columns, --id-col, --excel, --split-by, --rank-by, --min-p) checked
/// together before any work, so a combination that cannot be written or measured is a usage error up front.

#include <filesystem>
#include <optional>

#include "uplift/optimize/plan_output.hpp"
#include "uplift/optimize/plan_split.hpp"
#include "uplift/optimize/response_list.hpp"

namespace uplift::optimize {

struct ListOptions {
    PlanLayout layout;
    SplitBy split_by = SplitBy::None;
    RankBy rank_by = RankBy::Profit;
    std::optional<double> min_p;  ///< with RankBy::Response only
};

/// Throws UsageError for: --min-p outside [0, 1); --excel with a Parquet --out; --id-col given empty; --min-p without --rank-by
/// response, or --rank-by response without --min-p; a hold-out (--control-share > 0) with --rank-by response
/// (the hold-out is drawn from the uplift plan), with --excel (measure reads comma-separated lists), or
/// with --columns lacking id, offer or action (the columns measure matches on).
void check_list_options(const ListOptions& options, const std::filesystem::path& out, double control_share,
                        bool id_col_given);

}  // namespace uplift::optimize
