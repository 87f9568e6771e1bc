#pragma once
/// The parameters of `train`, declared once (see uplift/core/params.hpp). TrainOptions takes its
/// defaults from here, train_uplift checks them through train_param_table(), model.json records them
/// from it, the CLI adds its options from these declarations, and a unit test compares them with the
/// options table of docs/train.md.

#include <array>
#include <string_view>

#include "uplift/core/params.hpp"

namespace uplift::model {

struct TrainOptions;

namespace train_params {

inline constexpr std::array<std::string_view, 7> learner_choices{"s", "t", "x", "dr", "ct", "forest", "auto"};
inline constexpr std::array<std::string_view, 2> select_choices{"qini", "dr-loss"};
inline constexpr std::array<std::string_view, 6> criterion_choices{"kl", "ed", "chi", "cts", "ddp", "mse"};
inline constexpr std::array<std::string_view, 2> honest_choices{"off", "on"};
inline constexpr std::array<std::string_view, 2> propensity_choices{"share", "model"};
inline constexpr std::array<std::string_view, 2> outcome_type_choices{"binary", "continuous"};

inline constexpr TextParam learner{
    .name = "learner", .flag = "--learner", .default_value = "t", .choices = learner_choices,
    .help = "Uplift learner: s (one model, arm as a feature), t (one model per arm), x (X-learner), "
            "dr (doubly robust, cross-fitted), ct (class transformation; binary outcome, randomised data), "
            "forest (uplift random forest, no XGBoost), auto (chosen by cross-validation among a grid of them; --search)"};
// --learner auto only (model/auto_search.hpp; docs/train.md, "Model selection").
inline constexpr TextParam search{
    .name = "search", .flag = "--search", .default_value = "", .choices = {},
    .help = "--learner auto: the candidates, e.g. \"learner=s,t;max-depth=2,3\" (blocks joined by '|'; a leading "
            "'+' adds to the default grid, which docs/train.md lists)"};
inline constexpr TextParam select{
    .name = "select", .flag = "--select", .default_value = "qini", .choices = select_choices,
    .help = "--learner auto: judge candidates by cross-validated Qini AUC, or by the doubly robust loss "
            "(continuous outcomes)"};
inline constexpr Param<double> time_budget{
    .name = "time_budget", .flag = "--time-budget", .default_value = 0, .min = 0.0, .max = 1e6, .off = {},
    .help = "--learner auto: seconds for the search; candidates not started by then are not run (0: no limit)"};
inline constexpr Param<int> cv_repeats{
    .name = "cv_repeats", .flag = "--cv-repeats", .default_value = 1, .min = 1, .max = 20, .off = {},
    .help = "--learner auto: repeats of the search's K-fold cross-validation, each on its own fold assignment "
            "(the mean is over all of them, the SE stays one K-fold run's)"};
inline constexpr TextParam propensity{
    .name = "propensity", .flag = "--propensity", .default_value = "share", .choices = propensity_choices,
    .help = "Propensity for x and dr: share (observed treated share; randomised data) or model "
            "(L2-regularised logistic regression on the features)"};
inline constexpr TextParam propensity_column{
    .name = "propensity_column", .flag = "--propensity-col", .default_value = "", .choices = {},
    .help = "Take the propensity from this column (probabilities in (0,1); one treated level; not used as a feature)"};
inline constexpr TextParam outcome_type{
    .name = "outcome_type", .flag = "--outcome-type", .default_value = "", .choices = outcome_type_choices,
    .help = "Override the outcome type recorded by ingest: binary or continuous"};
inline constexpr Param<int> dr_folds{
    .name = "dr_folds", .flag = "--dr-folds", .default_value = 5, .min = 2, .max = 20, .off = {},
    .help = "Cross-fitting folds of the DR-learner"};
inline constexpr Param<int> permutation_repeats{
    .name = "permutation_repeats", .flag = "--permutation-repeats", .default_value = 1, .min = 0, .max = 100,
    .off = {}, .help = "Shuffles per feature for permutation importance on the holdout (0: off)"};
inline constexpr Param<double> holdout{
    .name = "holdout", .flag = "--holdout", .default_value = 0.3, .min = 0.0, .max = 0.9, .off = {},
    .help = "Share of rows held out for evaluation (stratified by arm x outcome)"};
inline constexpr Param<int> cv{
    .name = "cv", .flag = "--cv", .default_value = 0, .min = 2, .max = 100, .off = 0,
    .help = "K-fold cross-validation on the training rows: mean and std of Qini AUC and uplift@30% (0: off)"};
inline constexpr Param<int> oof_folds{
    .name = "oof_folds", .flag = "--oof-folds", .default_value = 5, .min = 2, .max = 20, .off = 0,
    .help = "Folds of the out-of-fold scores written for every campaign row (out_of_fold.parquet; 0: none)"};
inline constexpr Param<int> num_rounds{
    .name = "num_rounds", .flag = "--rounds", .default_value = 100, .min = 1, .max = 100000, .off = {},
    .help = "Maximum boosting rounds per base model"};
inline constexpr Param<double> learning_rate{
    .name = "learning_rate", .flag = "--learning-rate", .default_value = 0.1, .min = 1e-6, .max = 1.0, .off = {},
    .help = "XGBoost eta"};
inline constexpr Param<int> max_depth{
    .name = "max_depth", .flag = "--max-depth", .default_value = 3, .min = 1, .max = 32, .off = {},
    .help = "Tree depth"};
inline constexpr Param<int> early_stopping_rounds{
    .name = "early_stopping_rounds", .flag = "--early-stopping", .default_value = 20, .min = 0, .max = 100000,
    .off = {}, .help = "Stop after N rounds without improvement on an inner validation split (0: off)"};
// The forest's own parameters (--learner forest only; its depth is --max-depth). docs/forest.md explains them.
inline constexpr Param<int> trees{
    .name = "trees", .flag = "--trees", .default_value = 100, .min = 1, .max = 10000, .off = {},
    .help = "Forest: number of trees"};
inline constexpr TextParam criterion{
    .name = "criterion", .flag = "--criterion", .default_value = "ed", .choices = criterion_choices,
    .help = "Forest split criterion: kl, ed, chi (binary outcome), cts, ddp (one treated level), mse"};
inline constexpr Param<int> min_samples_leaf{
    .name = "min_samples_leaf", .flag = "--min-samples-leaf", .default_value = 400, .min = 1, .max = 100000000,
    .off = {}, .help = "Forest: rows in each child of a split, at least"};
inline constexpr Param<int> min_samples_treatment{
    .name = "min_samples_treatment", .flag = "--min-samples-treatment", .default_value = 10, .min = 0,
    .max = 100000000, .off = {}, .help = "Forest: rows of each arm in each child of a split, at least"};
inline constexpr Param<double> n_reg{
    .name = "n_reg", .flag = "--n-reg", .default_value = 300, .min = 0.0, .max = 1e9, .off = {},
    .help = "Forest: pseudo-rows of the parent's mean in a child's per-arm mean (shrinkage)"};
inline constexpr Param<double> row_subsample{
    .name = "row_subsample", .flag = "--row-subsample", .default_value = 0.3, .min = 0.01, .max = 1.0, .off = {},
    .help = "Forest: share of the rows drawn for each tree"};
inline constexpr Param<double> feature_fraction{
    .name = "feature_fraction", .flag = "--feature-fraction", .default_value = 0.6, .min = 0.01, .max = 1.0,
    .off = {}, .help = "Forest: share of the features drawn for each split"};
inline constexpr TextParam honest{
    .name = "honest", .flag = "--honest", .default_value = "on", .choices = honest_choices,
    .help = "Forest: on = half of each tree's rows choose the splits, the other half estimate the leaves"};
/// Library only: the share of each base model's training rows held back for early stopping.
inline constexpr Param<double> validation_fraction{
    .name = "validation_fraction", .flag = "", .default_value = 0.1, .min = 0.0, .max = 0.9, .off = {},
    .help = "Share of each base model's rows held back for early stopping"};

}  // namespace train_params

/// Every train parameter bound to TrainOptions: checks (UsageError naming the flag), the model.json
/// `parameters` record (without the free-form --xgb pairs, which train adds as "xgb.<key>") and the docs rows.
const ParamTable<TrainOptions>& train_param_table();

}  // namespace uplift::model
