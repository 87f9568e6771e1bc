#include "uplift/optimize/constraints.hpp"

#include <fmt/format.h>

#include <cmath>

#include "uplift/core/errors.hpp"

namespace uplift::optimize {

void check_constraints(const Constraints& c) {
    if (!std::isfinite(c.budget) || c.budget <= 0) {
        throw UsageError(fmt::format("--budget {} must be a positive amount of money", c.budget));
    }
    if (c.min_roi && !std::isfinite(*c.min_roi)) throw UsageError("--min-roi must be a number (e.g. 0.5 for 50%)");
}

}  // namespace uplift::optimize
