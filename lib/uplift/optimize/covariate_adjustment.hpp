#pragma once
/// The covariate-adjusted difference of a randomised hold-out (Lin 2013, "Agnostic notes on regression
/// adjustments to experimental data"): the contacted-minus-held-out difference of mean outcomes, corrected for
/// the chance difference between the two groups in a covariate known before the draw (the model's predicted
/// baseline outcome of every planned client, plan.csv's `baseline_outcome`).
///
/// It is the coefficient of "contacted" in the OLS of the outcome on contacted, x − x* and their product, with
/// x* the covariate's mean over every contacted planned client: each group's own line, evaluated at x*. So it
/// estimates the mean effect on the contacted clients, as the plain difference does, and the range uses the
/// HC2 (heteroskedasticity-robust) standard error of that coefficient. Under randomisation it is consistent
/// whatever the true relation of outcome and covariate (a bias of order 1/n, as any regression adjustment);
/// with the interaction it is never less precise than the plain difference in large samples, unlike a single
/// pooled slope (Freedman's critique, which Lin answers).

#include <span>

#include "uplift/artifacts/measurement.hpp"

namespace uplift::optimize {

/// One group's outcomes and covariates (same length).
struct CovariateGroup {
    std::span<const double> outcome;
    std::span<const double> covariate;
};

/// (a_contacted − a_held_out) × scale, with a_g = ȳ_g + β_g·(x* − x̄_g) the group's OLS line at `target_mean`,
/// its HC2 standard error scale·√(Σ_g Σ_i w_i² e_i² / (1 − h_ii)) and the normal range estimate ± z·se.
/// A group whose covariate does not vary (or has a client with leverage 1) gets slope 0: its plain mean.
/// Needs at least 3 values in each group and equal lengths (UsageError otherwise: the caller checks first).
artifacts::RealisedFigure lin_adjusted_difference(const CovariateGroup& contacted, const CovariateGroup& held_out,
                                                  double target_mean, double scale, double z);

}  // namespace uplift::optimize
