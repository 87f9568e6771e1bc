#pragma once
/// Recovered gender: retail clients whose gender is missing or U (nearly half of them in X5) get one
/// predicted from how they shop. A gradient-boosted classifier (gbm.hpp) reads the purchase-behaviour
/// features already built (every family but the profile: frequency, checks, points, habits, product mix),
/// never the campaign's treatment or target, and learns F against M from the clients whose gender is known.
///
/// Cross-fitted: the known clients are dealt into K seeded folds stratified by gender; each known client's
/// prediction comes from the model fit on the other folds, and those out-of-fold predictions give the
/// cross-validated F1 honestly (no client is scored by a model that saw it). The unknown clients get the
/// prediction of one more fit on every known client: it sees the most data, and its quality is what the
/// folds measured. It lives in `model` because `features` sits below the XGBoost wrapper
/// (docs/architecture.md); `features` calls it through RetailFeatureOptions::refine.

#include <cstdint>
#include <string>
#include <vector>

#include "uplift/artifacts/table_metadata.hpp"
#include "uplift/features/retail_features.hpp"

namespace uplift::model {

/// --impute-gender-min-f1's default. Two genders guessed by chance give a macro F1 near 0.5 (less with
/// unequal classes: always guessing the larger one gives under 0.5); the bench fixture, whose genders do
/// not shape baskets, measures 0.45, and simulate's gendered baskets 0.97. A gate at 0.7 refuses what noise
/// reaches on a few hundred known clients and keeps a signal as weak as roughly three right guesses of four.
inline constexpr double default_min_f1 = 0.7;

struct GenderImputationOptions {
    int folds = 5;
    std::uint64_t seed = 42;
    int threads = 0;  ///< XGBoost's; hist trees with a fixed seed give the same model at any count
    /// The quality gate: a cross-validated F1 below this predicts nothing (features --impute-gender-min-f1).
    double min_f1 = default_min_f1;
};

/// Fewer known clients of either gender than this: the genders are left as recorded (a warning says so).
inline constexpr std::int64_t min_known_per_gender = 20;

/// Predicts the missing genders in the staged table: gender_m / gender_f become the prediction (P(F) >= 0.5
/// is F), gender_u 0, and a column gender_imputed (1 predicted, else 0) follows gender_u. Updates the
/// manifest and stores the record (artifacts::GenderImputation) in the metadata. Needs the profile
/// family's gender_m, gender_f and gender_u columns. When the cross-validated F1 is below options.min_f1
/// (or too few genders are known) nothing is predicted: the column is added all 0, a warning on stderr says
/// why and the record has applied false with the reason. UsageError for folds < 2 or min_f1 outside [0, 1].
artifacts::GenderImputation impute_gender(features::StagedTable& staged, const GenderImputationOptions& options);

/// Macro F1 over the two classes (mean of the F1 of 1 and of 0) of `predicted` against `actual` (0/1 each).
double macro_f1(const std::vector<int>& actual, const std::vector<int>& predicted);

/// The step for RetailFeatureOptions::refine; the record of the run lands in `record`.
features::RefineStaged gender_imputation_step(const GenderImputationOptions& options,
                                              artifacts::GenderImputation& record);

}  // namespace uplift::model
