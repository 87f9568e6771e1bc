#pragma once
/// The uplift learners, all but the forest on XGBoost base models:
///   s  – one outcome model with the arm as input features (arm indicators);
///   t  – one outcome model per arm; uplift = difference of their predictions;
///   x  – T-learner outcomes, then per level two effect models on imputed effects, blended by propensity;
///   dr – doubly robust pseudo-outcomes from K-fold cross-fitted outcome and propensity models, regressed on x;
///   ct – class transformation (binary outcome, randomised data): one classifier of "the offer helped";
///   forest – our own uplift random forest (model/forest/), no XGBoost: per-arm leaf means, averaged over trees.
/// Every learner gives per row: expected outcome without an offer (p__control), with each offer, and uplift.

#include <span>
#include <string>
#include <vector>

#include "uplift/model/base_fit.hpp"
#include "uplift/model/forest/forest.hpp"
#include "uplift/model/gbm.hpp"
#include "uplift/model/propensity.hpp"

namespace uplift::model {

enum class LearnerKind { S, T, X, DR, CT, Forest };

std::string to_string(LearnerKind kind);
/// "s", "t", "x", "dr", "ct" or "forest"; UsageError otherwise.
LearnerKind learner_from_string(const std::string& text);

/// Per-row predictions of an uplift model for every arm.
struct ArmPredictions {
    std::vector<double> control;                ///< expected outcome without an offer
    std::vector<std::vector<double>> treated;   ///< per treated level: expected outcome with it
    std::vector<std::vector<double>> uplift;    ///< per treated level: the learner's uplift estimate
};

struct LearnerOptions {
    GbmParams gbm;                     ///< objective and seed are set per base model
    double validation_fraction = 0.1;  ///< of each base model's rows, held back for early stopping
    int dr_folds = 5;                  ///< cross-fitting folds of the DR-learner
    forest::ForestOptions forest;      ///< the forest learner's settings (its seed and threads included)
};

/// What a learner is fitted on: the selected training rows.
struct LearnerData {
    const DenseMatrix& x;
    std::span<const double> y;
    std::span<const int> arm;                   ///< 0 = control, k = k-th treated level (1..n_treated)
    int n_treated = 1;
    bool binary = true;                         ///< outcome 0/1 (else continuous)
    std::span<const double> propensity_column;  ///< per row when the propensity comes from a column
};

/// Fits an XGBoost learner (not the forest: fit_forest_learner); the base models are named by their part (see
/// expected_model_names).
std::vector<NamedGbm> fit_learner(LearnerKind kind, const LearnerData& data, const Propensity& propensity,
                                  const LearnerOptions& options);

/// Predictions for every row of `x`. For x, dr and ct, the per-offer expected outcome is p__control + uplift
/// (clipped to [0, 1] for a binary outcome), since these learners estimate the uplift itself.
ArmPredictions predict_learner(LearnerKind kind, const std::vector<NamedGbm>& models, int n_treated, bool binary,
                               const Propensity& propensity, const DenseMatrix& x,
                               std::span<const double> propensity_column);

/// Fits the forest learner: one forest over every arm (options.forest).
forest::Forest fit_forest_learner(const LearnerData& data, const LearnerOptions& options);

/// The forest's per-arm expected outcomes for every row of `x`; uplift = treated − control per level.
ArmPredictions predict_forest_learner(const forest::Forest& forest, const DenseMatrix& x, int threads);

/// The base models a bundle of this learner must hold, in saving order (the forest's one file is "forest").
std::vector<std::string> expected_model_names(LearnerKind kind, int n_treated);

/// Number of model input columns a learner's base model `name` takes for `n_features` features.
int base_model_inputs(LearnerKind kind, int n_features, int n_treated);

}  // namespace uplift::model
