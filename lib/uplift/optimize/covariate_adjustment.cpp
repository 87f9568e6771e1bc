#include "uplift/optimize/covariate_adjustment.hpp"

#include <algorithm>
#include <cmath>

#include "uplift/core/errors.hpp"

namespace uplift::optimize {

namespace {

/// One group's line y = a + β·(x − x*) at x*, and a's HC2 variance.
struct GroupFit {
    double at_target = 0;  ///< a: the group's line at the target mean
    double hc2_var = 0;    ///< Σ w_i² e_i² / (1 − h_ii)
};

GroupFit fit_group(const CovariateGroup& g, double target_mean) {
    const std::size_t n = g.outcome.size();
    const double nd = static_cast<double>(n);
    double sx = 0, sy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sx += g.covariate[i];
        sy += g.outcome[i];
    }
    const double mx = sx / nd, my = sy / nd;
    double sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double dx = g.covariate[i] - mx;
        sxx += dx * dx;
        sxy += dx * (g.outcome[i] - my);
    }
    // A covariate without spread (plan.csv rounds it to 6 decimals, so "the same" is exactly the same up to
    // the mean's rounding) has no slope; the group is then its plain mean, as in the difference of means.
    bool sloped = sxx > 1e-14 * nd * std::max(1.0, mx * mx);
    if (sloped) {
        // A client with leverage 1 is fitted exactly and its HC2 term is 0/0: keep the plain mean instead.
        for (std::size_t i = 0; i < n && sloped; ++i) {
            const double dx = g.covariate[i] - mx;
            sloped = 1.0 - (1.0 / nd + dx * dx / sxx) > 1e-9;
        }
    }
    const double slope = sloped ? sxy / sxx : 0.0;
    GroupFit f;
    f.at_target = my + slope * (target_mean - mx);
    for (std::size_t i = 0; i < n; ++i) {
        const double dx = g.covariate[i] - mx;
        const double residual = g.outcome[i] - my - slope * dx;
        const double weight = 1.0 / nd + (sloped ? (target_mean - mx) * dx / sxx : 0.0);
        const double leverage = 1.0 / nd + (sloped ? dx * dx / sxx : 0.0);
        f.hc2_var += weight * weight * residual * residual / (1.0 - leverage);
    }
    return f;
}

void check_group(const CovariateGroup& g) {
    if (g.outcome.size() < 3 || g.covariate.size() != g.outcome.size()) {
        throw UsageError("lin_adjusted_difference needs at least 3 outcomes in each group, each with its covariate");
    }
}

}  // namespace

artifacts::RealisedFigure lin_adjusted_difference(const CovariateGroup& contacted, const CovariateGroup& held_out,
                                                  double target_mean, double scale, double z) {
    check_group(contacted);
    check_group(held_out);
    const GroupFit c = fit_group(contacted, target_mean);
    const GroupFit h = fit_group(held_out, target_mean);
    artifacts::RealisedFigure f;
    f.estimate = (c.at_target - h.at_target) * scale;
    f.std_error = scale * std::sqrt(c.hc2_var + h.hc2_var);
    f.low = f.estimate - z * f.std_error;
    f.high = f.estimate + z * f.std_error;
    return f;
}

}  // namespace uplift::optimize
