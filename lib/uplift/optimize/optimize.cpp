#include "uplift/optimize/optimize.hpp"

#include <fmt/format.h>

#include "uplift/core/errors.hpp"

namespace uplift::optimize {

OptimizeResult optimize(const Instance& instance, const OptimizeOptions& options) {
    check_constraints(options.constraints);
    if (options.random_repeats < 1) {
        throw UsageError(fmt::format("--random-repeats {} must be at least 1", options.random_repeats));
    }
    OptimizeResult r;
    r.solution = solve(instance, options.constraints, options.solver);
    r.plan = summarize(instance, r.solution.choice);
    r.curve = budget_curve(instance, options.constraints, options.curve_points, options.solver.threads);
    r.baselines =
        compute_baselines(instance, options.constraints, options.seed, options.random_repeats, options.solver.threads);
    return r;
}

}  // namespace uplift::optimize
