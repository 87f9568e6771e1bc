#pragma once
/// The CRM-list options of `optimize` (--columns, --id-col, --excel, --split-by, --rank-by, --min-p) checked
/// together before any work, so a combination that cannot be written or measured is a usage error up front.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "uplift/optimize/economics.hpp"
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
/// response, or --rank-by response without --min-p; a hold-out (--control-share > 0) with --columns lacking
/// id or action (what measure finds a planned client and its group by). A hold-out goes with --excel (plan.json
/// records the dialect for measure) and with --rank-by response (drawn from the priority list).
void check_list_options(const ListOptions& options, const std::filesystem::path& out, double control_share,
                        bool id_col_given);

/// The list column by which `measure` tells a held-out plan's offers apart: "offer" when the list keeps it, ""
/// for a single offer (every row is it), "offer_code" when the list keeps the codes and no two offers share
/// one. UsageError otherwise: measure could not read that list.
std::string measure_offer_column(const std::vector<PlanColumn>& columns, const std::vector<Offer>& offers);

}  // namespace uplift::optimize
