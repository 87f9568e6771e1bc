#include "uplift/optimize/solver.hpp"

#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/optimize/solver_steps.hpp"

namespace uplift::optimize {

Solution solve(const Instance& instance, const Constraints& constraints, const SolverOptions& options) {
    check_constraints(constraints);
    if (instance.num_offers() == 0 || instance.num_offers() > 127) {
        throw InternalError("solve: the number of offers must be between 1 and 127");
    }
    const double budget = usable_budget(constraints.budget);
    Solution s;
    s.choice.assign(instance.clients, no_offer);
    const auto relaxation =
        detail::solve_relaxation(instance, constraints, budget, options.threads, s.choice);
    s.lambda = relaxation.lambda;
    s.upper_bound = relaxation.upper_bound;
    s.iterations = relaxation.iterations;
    detail::greedy_fill(instance, constraints, budget, s.choice, options.threads);
    const auto core = detail::improve_core(instance, constraints, budget, s.lambda, options.core_size,
                                           options.node_limit, s.choice, options.threads);
    s.core_clients = core.clients;
    s.core_nodes = core.nodes;
    s.core_complete = core.complete;
    detail::greedy_fill(instance, constraints, budget, s.choice, options.threads);
    if (constraints.allow_negative) detail::fill_negative(instance, constraints, budget, s.choice);
    log::debug("optimize: lambda {} after {} bisection steps, upper bound {}, core {} clients / {} nodes{}", s.lambda,
               s.iterations, s.upper_bound, s.core_clients, s.core_nodes, s.core_complete ? "" : " (node limit hit)");
    return s;
}

}  // namespace uplift::optimize
