#include "uplift/optimize/plan_run.hpp"

#include "uplift/optimize/plan_output.hpp"
#include "uplift/optimize/plan_test_estimate.hpp"

namespace uplift::optimize {

PlanRun run_plan(const Instance& instance, OptimizeOptions options, std::optional<double> min_p,
                 const io::Table& scores, const std::string& scores_file, const data::Roles& roles,
                 const std::optional<artifacts::ScoresInfo>& info) {
    PlanRun run;
    if (min_p) {
        run.responders = response_list(instance, options.constraints, *min_p);
        options.constraints.max_contacts = run.responders->order.size();
    }
    run.result = optimize(instance, options);
    run.test_estimate = plan_test_estimate(instance, run.result.solution.choice, scores, scores_file, roles, info);
    if (run.responders && run.test_estimate) {
        run.list_test_estimate =
            plan_test_estimate(instance, run.responders->choice, scores, scores_file, roles, info);
    }
    run.order = run.responders ? run.responders->order : plan_order(instance, run.result.solution.choice);
    return run;
}

}  // namespace uplift::optimize
