#pragma once
/// `train`: select the arms, split off a stratified holdout, fit the learner, score the holdout and
/// measure it. Everything a run decides is recorded in the bundle.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "uplift/core/progress.hpp"
#include "uplift/io/table.hpp"
#include "uplift/model/auto_search.hpp"
#include "uplift/model/bundle.hpp"
#include "uplift/model/importance.hpp"
#include "uplift/model/randomisation.hpp"
#include "uplift/model/train_params.hpp"

namespace uplift::model {

/// Defaults and bounds are declared in train_params.hpp; train_uplift checks them there. The gbm
/// defaults are GbmParams' own, and a unit test proves they agree with the declarations.
struct TrainOptions {
    LearnerKind learner = LearnerKind::T;
    /// --learner auto: choose learner and settings by cross-validation (model/auto_search.hpp); `learner` is
    /// then ignored, and the chosen candidate's settings replace max_depth, rounds, learning rate and leaf size.
    bool auto_learner = false;
    std::string search;                  ///< the --search specification; empty: the default grid
    SelectBy select = SelectBy::Qini;
    double time_budget = train_params::time_budget.default_value;  ///< seconds; 0 = none
    int cv_repeats = train_params::cv_repeats.default_value;  ///< the search's K-fold CV, repeated on new folds
    PropensitySource propensity = PropensitySource::Share;
    std::string propensity_column;             ///< with PropensitySource::Column
    std::optional<data::OutcomeType> outcome_type;  ///< overrides the type recorded by ingest
    int dr_folds = train_params::dr_folds.default_value;  ///< cross-fitting folds of the DR-learner
    int permutation_repeats = train_params::permutation_repeats.default_value;  ///< permutation importance on the holdout (0: off)
    double holdout = train_params::holdout.default_value;  ///< share of rows held out, stratified by arm × outcome
    std::uint64_t seed = 42;
    std::vector<std::string> treatment_levels; ///< empty: every treated level in the data
    GbmParams gbm;
    /// The forest learner's settings; its depth is gbm.max_depth, its seed and threads are train's.
    forest::ForestOptions forest;
    double validation_fraction = train_params::validation_fraction.default_value;  ///< of training rows, for early stopping
    int cv = train_params::cv.default_value;  ///< K-fold cross-validation on the training rows (0: none)
    /// Folds of the out-of-fold scores of every selected row (0: none); see TrainResult::out_of_fold_scores.
    int oof_folds = train_params::oof_folds.default_value;
    /// Record a leaking-looking feature in model.json without warning (--allow-leaky).
    bool allow_leaky = false;
    /// Told after each model fit: the cross-validation folds, the final model and the out-of-fold folds.
    Progress progress;
};

// Holdout and cross-validation metrics are recorded in model.json (artifacts/model_manifest.hpp).
using artifacts::ArmMetrics;
using artifacts::CvMetrics;

/// The leakage guard: a feature taking more than this share of the gain is flagged.
inline constexpr double leakage_gain_share = 0.5;
/// ...and so is a model input that alone ranks the outcome this well (ROC AUC, or 1 - AUC, on the holdout).
inline constexpr double leakage_outcome_auc = 0.95;

/// One model input's ROC AUC for a binary outcome, as the leakage guard reads it (max of AUC and 1 - AUC).
struct OutcomeAuc {
    std::string feature;
    double auc = 0.5;
};

/// Each input column of `x` (named `names`) alone as a score for the binary outcome `y`; NaN ranks lowest.
/// Columns are taken on up to `threads` threads (0 = one per core); the result does not depend on it.
std::vector<OutcomeAuc> single_feature_auc(const DenseMatrix& x, const std::vector<std::string>& names,
                                           std::span<const double> y, int threads = 1);

/// Features that look like the outcome leaking into the inputs: one taking more than leakage_gain_share of the
/// gain (an outcome recorded after the offer, like spend beside visit, does), one whose AUC alone for the outcome
/// exceeds leakage_outcome_auc, or one named like the outcome.
std::vector<artifacts::LeakageWarning> leakage_check(std::span<const FeatureGain> gain,
                                                     std::span<const OutcomeAuc> outcome_auc,
                                                     const std::string& outcome, bool allowed);

struct TrainResult {
    ModelBundle bundle;
    io::Table holdout_scores;          ///< scores of the holdout rows (with treatment and outcome)
    /// Every selected row scored by a model that never saw it: the training rows by models fitted on the other
    /// folds (cross-fitting, stratified as the holdout is), the holdout rows by the final model. In the rows'
    /// order in the input. Empty with oof_folds 0. The honest base for figures about the campaign's own clients.
    io::Table out_of_fold_scores;
    std::vector<ArmMetrics> metrics;   ///< empty when holdout is 0
    std::vector<CvMetrics> cv;         ///< empty without --cv; with --learner auto the chosen candidate's folds
    std::optional<artifacts::AutoSearch> auto_search;  ///< --learner auto: every candidate and the choice
    std::vector<Candidate> search_candidates;           ///< the same candidates, typed (in auto_search's order)
    std::vector<RandomisationCheck> randomisation;
    std::vector<FeatureGain> gain;
    std::vector<PermutationImportance> permutation;  ///< empty without a holdout
    std::int64_t rows_train = 0;
    std::int64_t rows_holdout = 0;
    std::int64_t rows_excluded = 0;    ///< rows of treated levels not selected
};

/// `features` must carry roles (from ingest/features). `input` is fingerprinted into the bundle.
TrainResult train_uplift(const io::Table& features, const std::filesystem::path& input, const TrainOptions& options);
/// The same, read from the file `input` a chunk at a time with the features going straight into the float matrix
/// the fits read (model/training_data.hpp): what `train` runs, holding about half the memory of a whole table.
TrainResult train_uplift_file(const std::filesystem::path& input, const TrainOptions& options);

}  // namespace uplift::model
