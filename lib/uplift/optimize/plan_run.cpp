#include "uplift/optimize/plan_run.hpp"

#include "uplift/optimize/hold_out.hpp"
#include "uplift/optimize/plan_output.hpp"
#include "uplift/optimize/plan_test_estimate.hpp"

namespace uplift::optimize {

PlanRun run_plan(const Instance& instance, OptimizeOptions options, std::optional<double> min_p,
                 const io::Table& scores, const std::string& scores_file, const data::Roles& roles,
                 const std::optional<artifacts::ScoresInfo>& info) {
    PlanRun run;
    const double control_share = options.control_share;
    if (min_p) {
        run.responders = response_list(instance, options.constraints, *min_p);
        options.constraints.max_contacts = run.responders->order.size();
        options.control_share = 0;  // the hold-out belongs to the list the CRM sends, drawn below
    }
    run.result = optimize(instance, options);
    if (run.responders) {
        run.result.held_out = draw_hold_out(instance, run.responders->choice, control_share, options.seed);
    }
    run.test_estimate = plan_test_estimate(instance, run.result.solution.choice, scores, scores_file, roles, info);
    if (run.responders && run.test_estimate) {
        run.list_test_estimate =
            plan_test_estimate(instance, run.responders->choice, scores, scores_file, roles, info);
    }
    run.order = run.responders ? run.responders->order : plan_order(instance, run.result.solution.choice);
    return run;
}

}  // namespace uplift::optimize
