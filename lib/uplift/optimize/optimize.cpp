#include "uplift/optimize/optimize.hpp"

#include "uplift/optimize/cheapest_contact.hpp"
#include "uplift/optimize/hold_out.hpp"

namespace uplift::optimize {

OptimizeResult optimize(const Instance& instance, const OptimizeOptions& options) {
    check_constraints(options.constraints);
    optimize_param_table().check(options);
    check_budget_reaches_a_contact(instance, options.constraints.budget);
    ProgressCounter steps(options.progress, optimize_steps);
    OptimizeResult r;
    r.solution = solve(instance, options.constraints, options.solver);
    r.plan = summarize(instance, r.solution.choice);
    steps.step();
    r.curve = budget_curve(instance, options.constraints, options.curve_points, options.solver.threads);
    steps.step();
    const std::size_t plan_point = insert_plan_point(r.curve, options.constraints.budget, r.plan.totals);
    // Every curve budget, the plan's among them, in one walk per baseline list.
    std::vector<double> budgets;
    budgets.reserve(r.curve.size());
    for (const CurvePoint& p : r.curve) budgets.push_back(p.budget);
    r.curve_baselines = compute_baselines_at(instance, options.constraints, budgets, options.seed,
                                             options.random_repeats, options.solver.threads);
    steps.step();
    const BaselineTotals& plan_budget = r.curve_baselines[plan_point];
    r.baselines.everyone = {plan_budget.everyone, everyone_description(instance)};
    r.baselines.random = {plan_budget.random, random_description(options.random_repeats, options.seed)};
    r.baselines.response_model = {plan_budget.response_model, response_model_description(instance)};
    r.everyone_all = everyone_unlimited(instance);
    r.held_out = draw_hold_out(instance, r.solution.choice, options.control_share, options.seed);
    return r;
}

}  // namespace uplift::optimize
