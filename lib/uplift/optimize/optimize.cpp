#include "uplift/optimize/optimize.hpp"

namespace uplift::optimize {

OptimizeResult optimize(const Instance& instance, const OptimizeOptions& options) {
    check_constraints(options.constraints);
    optimize_param_table().check(options);
    OptimizeResult r;
    r.solution = solve(instance, options.constraints, options.solver);
    r.plan = summarize(instance, r.solution.choice);
    r.curve = budget_curve(instance, options.constraints, options.curve_points, options.solver.threads);
    // Every curve budget and the plan's own, last, in one walk per baseline list.
    std::vector<double> budgets;
    budgets.reserve(r.curve.size() + 1);
    for (const CurvePoint& p : r.curve) budgets.push_back(p.budget);
    budgets.push_back(options.constraints.budget);
    auto at = compute_baselines_at(instance, options.constraints, budgets, options.seed, options.random_repeats,
                                   options.solver.threads);
    const BaselineTotals& plan_budget = at.back();
    r.baselines.everyone = {plan_budget.everyone, everyone_description(instance)};
    r.baselines.random = {plan_budget.random, random_description(options.random_repeats, options.seed)};
    r.baselines.response_model = {plan_budget.response_model, response_model_description(instance)};
    at.pop_back();
    r.curve_baselines = std::move(at);
    r.everyone_all = everyone_unlimited(instance);
    return r;
}

}  // namespace uplift::optimize
