#pragma once
/// One optimize run once the scores are read: under --rank-by response the priority list first (the uplift
/// plan it is compared with has at most as many clients), then the plan with its curve and baselines, the
/// test estimates the scores allow, and which rows the CRM list holds.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "uplift/artifacts/plan.hpp"
#include "uplift/artifacts/scores_info.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/io/table.hpp"
#include "uplift/optimize/optimize.hpp"
#include "uplift/optimize/response_list.hpp"

namespace uplift::optimize {

struct PlanRun {
    std::optional<ResponseList> responders;  ///< --rank-by response only
    /// The uplift plan (of the list's size under --rank-by response). Its held_out marks the hold-out of
    /// the CRM list: the plan's, or under --rank-by response the priority list's (the list that is sent).
    OptimizeResult result;
    std::optional<artifacts::PlanTestEstimate> test_estimate;       ///< the plan's, when the scores allow one
    std::optional<artifacts::PlanTestEstimate> list_test_estimate;  ///< the priority list's, likewise
    std::vector<std::size_t> order;  ///< the CRM list's rows: the priority list, or the plan by profit

    /// The offer of each client in the CRM list.
    const std::vector<std::int8_t>& choice() const noexcept {
        return responders ? responders->choice : result.solution.choice;
    }
};

/// `min_p` set: --rank-by response. The scores, their file name, roles and origin record serve the test
/// estimates (plan_test_estimate.hpp); the priority list is measured only when the plan can be, so a scores
/// file that cannot be measured warns once.
PlanRun run_plan(const Instance& instance, OptimizeOptions options, std::optional<double> min_p,
                 const io::Table& scores, const std::string& scores_file, const data::Roles& roles,
                 const std::optional<artifacts::ScoresInfo>& info);

}  // namespace uplift::optimize
