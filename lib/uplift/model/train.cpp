#include "uplift/model/train.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <functional>
#include <tuple>

#include "uplift/artifacts/scores_info.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/core/file_hash.hpp"
#include "uplift/core/file_version.hpp"
#include "uplift/core/free_memory.hpp"
#include "uplift/core/log.hpp"
#include "uplift/core/parallel.hpp"
#include "uplift/core/step_timer.hpp"
#include "uplift/eval/arm_rows.hpp"
#include "uplift/eval/evaluation.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/model/design_matrix.hpp"
#include "uplift/model/dr_loss.hpp"
#include "uplift/model/drift_check.hpp"
#include "uplift/model/randomisation.hpp"
#include "uplift/model/scoring.hpp"
#include "uplift/model/split.hpp"
#include "uplift/model/training_data.hpp"
#include "uplift/model/xgb_params.hpp"

namespace uplift::model {

namespace {

/// Each row's arm: 0 for control, k for the k-th selected treated level, -1 for rows of other levels.
/// to_texts: a CSV reader may have typed 0/1 levels as numbers.
std::vector<int> arm_codes(const io::Column& treatment_column, const data::Roles& roles) {
    const auto treatment = treatment_column.to_texts();
    std::vector<int> arm(treatment.size(), -1);
    for (std::size_t i = 0; i < treatment.size(); ++i) {
        if (treatment[i] == roles.control) {
            arm[i] = 0;
        } else if (auto it = std::find(roles.treatment_levels.begin(), roles.treatment_levels.end(), treatment[i]);
                   it != roles.treatment_levels.end()) {
            arm[i] = static_cast<int>(it - roles.treatment_levels.begin()) + 1;
        }
    }
    return arm;
}

/// The metrics of `scores` per treated level. `arm` and `y` are its rows' arms and outcomes, as the selected rows
/// hold them: read again from the table's text treatment column, they were a copy of every row's level.
std::vector<ArmMetrics> holdout_metrics(const io::Table& scores, std::span<const int> arm, std::span<const double> y,
                                        const data::Roles& roles) {
    if (arm.size() != scores.num_rows() || y.size() != scores.num_rows()) {
        throw InternalError("holdout metrics: arms or outcomes of other rows than the scores'");
    }
    std::vector<ArmMetrics> out;
    for (std::size_t k = 0; k < roles.treatment_levels.size(); ++k) {
        const std::string& level = roles.treatment_levels[k];
        const auto rows =
            eval::rows_of_arm(y, arm, static_cast<int>(k + 1), scores.column("uplift__" + level).double_values());
        ArmMetrics m;
        m.level = level;
        m.n_treatment = rows.n_treated();
        m.n_control = rows.n_control();
        if (m.n_treatment > 0 && m.n_control > 0) {
            eval::EvaluationOptions options;
            options.ks.assign(artifacts::holdout_ks.begin(), artifacts::holdout_ks.end());
            artifacts::set_metrics(m, eval::evaluate(rows.y, rows.treatment, rows.score, options));
        }
        out.push_back(std::move(m));
    }
    return out;
}

/// Mean and sample standard deviation of the finite values.
std::pair<double, double> mean_and_std(const std::vector<double>& values) {
    std::vector<double> v;
    for (double x : values) {
        if (std::isfinite(x)) v.push_back(x);
    }
    if (v.empty()) return {std::nan(""), std::nan("")};
    double mean = 0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(v.size());
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    return {mean, v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0};
}

/// The propensity column's values of `rows`, checked to be probabilities strictly inside (0, 1).
std::vector<double> propensity_values(const io::Table& features, const std::string& column, std::span<const std::size_t> rows,
                                      const std::filesystem::path& input) {
    const io::Column* c = features.find(column);
    if (c == nullptr || !c->is_numeric()) {
        throw DataError(fmt::format("'{}' has no numeric column '{}' (--propensity-col)", input.string(), column));
    }
    const auto all = c->to_doubles();
    std::vector<double> out;
    out.reserve(rows.size());
    for (std::size_t r : rows) {
        const double v = all[r];
        if (!(v > 0 && v < 1)) {
            throw DataError(fmt::format("'{}' row {}, column '{}': value {} is not a probability in (0, 1) (--propensity-col)",
                                        input.string(), r + 1, column, v));
        }
        out.push_back(v);
    }
    return out;
}

/// Checks the outcome values against the outcome type (an override may claim binary for 0/1/2 data).
void check_outcome(std::span<const double> y, data::OutcomeType type, const std::string& column, const std::filesystem::path& input) {
    for (std::size_t i = 0; i < y.size(); ++i) {
        if (std::isnan(y[i])) {
            throw DataError(fmt::format("'{}': outcome '{}' is missing on a selected row", input.string(), column));
        }
        if (type == data::OutcomeType::Binary && y[i] != 0 && y[i] != 1) {
            throw DataError(fmt::format("'{}': outcome '{}' has value {} but --outcome-type binary needs 0 or 1",
                                        input.string(), column, y[i]));
        }
    }
}

/// A flag of one kind of learner given to another is refused rather than ignored: the run would not be the one
/// its command line describes. The forest has no boosting rounds, learning rate, early stopping or XGBoost
/// parameters; the XGBoost learners have no trees, criterion, leaf sizes, shrinkage, subsamples or honesty.
void check_learner_flags(const TrainOptions& options) {
    const TrainOptions defaults;
    namespace p = train_params;
    std::vector<std::string_view> foreign;
    if (options.learner == LearnerKind::Forest) {
        if (options.gbm.num_rounds != defaults.gbm.num_rounds) foreign.push_back(p::num_rounds.flag);
        if (options.gbm.learning_rate != defaults.gbm.learning_rate) foreign.push_back(p::learning_rate.flag);
        if (options.gbm.early_stopping_rounds != defaults.gbm.early_stopping_rounds) {
            foreign.push_back(p::early_stopping_rounds.flag);
        }
        if (!options.gbm.extra.empty()) foreign.push_back("--xgb");
        if (!foreign.empty()) {
            throw UsageError(fmt::format("{} {} the XGBoost learners, not --learner forest (its options: --trees, "
                                         "--criterion, --max-depth, --min-samples-leaf, --min-samples-treatment, --n-reg, "
                                         "--row-subsample, --feature-fraction, --honest)",
                                         fmt::join(foreign, ", "), foreign.size() == 1 ? "tunes" : "tune"));
        }
        return;
    }
    const auto& f = options.forest;
    const auto& d = defaults.forest;
    if (f.trees != d.trees) foreign.push_back(p::trees.flag);
    if (f.criterion != d.criterion) foreign.push_back(p::criterion.flag);
    if (f.min_samples_leaf != d.min_samples_leaf) foreign.push_back(p::min_samples_leaf.flag);
    if (f.min_samples_treatment != d.min_samples_treatment) foreign.push_back(p::min_samples_treatment.flag);
    if (f.n_reg != d.n_reg) foreign.push_back(p::n_reg.flag);
    if (f.row_subsample != d.row_subsample) foreign.push_back(p::row_subsample.flag);
    if (f.feature_fraction != d.feature_fraction) foreign.push_back(p::feature_fraction.flag);
    if (f.honest != d.honest) foreign.push_back(p::honest.flag);
    if (!foreign.empty()) {
        throw UsageError(fmt::format("{} {} to --learner forest only, not to --learner {}", fmt::join(foreign, ", "),
                                     foreign.size() == 1 ? "applies" : "apply", to_string(options.learner)));
    }
}

/// --learner auto sets each candidate's depth, rounds, learning rate, early stopping and leaf size itself: the same flags given
/// with it would be silently overridden, so they are refused with the way to search them. The search's own flags
/// mean nothing without it.
void check_auto_flags(const TrainOptions& options) {
    const TrainOptions defaults;
    namespace p = train_params;
    std::vector<std::string_view> searched;
    if (options.gbm.max_depth != defaults.gbm.max_depth) searched.push_back(p::max_depth.flag);
    if (options.gbm.num_rounds != defaults.gbm.num_rounds) searched.push_back(p::num_rounds.flag);
    if (options.gbm.learning_rate != defaults.gbm.learning_rate) searched.push_back(p::learning_rate.flag);
    if (options.gbm.early_stopping_rounds != defaults.gbm.early_stopping_rounds) {
        searched.push_back(p::early_stopping_rounds.flag);
    }
    if (options.forest.min_samples_leaf != defaults.forest.min_samples_leaf) searched.push_back(p::min_samples_leaf.flag);
    if (options.auto_learner && !searched.empty()) {
        throw UsageError(fmt::format("{} {} searched by --learner auto: give the values in --search instead "
                                     "(e.g. --search \"learner=t,x;max-depth=3,5\")",
                                     fmt::join(searched, ", "), searched.size() == 1 ? "is" : "are"));
    }
    std::vector<std::string_view> foreign;
    if (!options.search.empty()) foreign.push_back(p::search.flag);
    if (options.select != defaults.select) foreign.push_back(p::select.flag);
    if (options.time_budget != defaults.time_budget) foreign.push_back(p::time_budget.flag);
    if (options.cv_repeats != defaults.cv_repeats) foreign.push_back(p::cv_repeats.flag);
    if (!options.auto_learner && !foreign.empty()) {
        throw UsageError(fmt::format("{} {} to --learner auto only", fmt::join(foreign, ", "),
                                     foreign.size() == 1 ? "applies" : "apply"));
    }
}

/// The roles train works with: the recorded ones, narrowed by --treatment-level and --outcome-type, without
/// the propensity column among the features. Also refuses learner/propensity combinations that cannot work.
data::Roles train_roles(const io::Table& features, const std::filesystem::path& input, const TrainOptions& options) {
    data::Roles roles = data::require_roles(features, input.string());
    if (roles.scoring_only) {
        throw DataError(fmt::format("'{}' is for scoring only: its rows carry no treatment or target (features of "
                                    "--population all, a list of ids, or a campaign without outcomes); train needs "
                                    "the features of a campaign with treatment_flg and target",
                                    input.string()));
    }
    // An ingested dataset keeps its text columns as text; only `features` encodes them as numbers.
    for (const auto& f : roles.features) {
        const io::Column* c = features.find(f);
        if (c != nullptr && !c->is_numeric()) {
            throw DataError(fmt::format("'{}': feature column '{}' holds text (e.g. '{}'); train needs numbers: run "
                                        "`upliftctl features` first, which encodes text columns",
                                        input.string(), f, c->size() > 0 ? c->text_at(0) : std::string()));
        }
    }
    if (options.outcome_type) roles.outcome_type = *options.outcome_type;
    if (!options.treatment_levels.empty()) {
        for (const auto& level : options.treatment_levels) {
            if (std::find(roles.treatment_levels.begin(), roles.treatment_levels.end(), level) ==
                roles.treatment_levels.end()) {
                throw DataError(fmt::format("treatment level '{}' (--treatment-level) is not in '{}'; levels: {}", level,
                                            input.string(), fmt::join(roles.treatment_levels, ", ")));
            }
        }
        roles.treatment_levels = options.treatment_levels;
    }
    if (options.propensity == PropensitySource::Column) {
        if (options.propensity_column.empty()) throw UsageError("--propensity column needs --propensity-col COL");
        // A probability of treatment is not a client feature: a model that saw it would learn the assignment.
        std::erase(roles.features, options.propensity_column);
    }
    // An ingested dataset is accepted, but XGBoost sees numbers only: its text columns need `features` first.
    for (const auto& f : roles.features) {
        const io::Column* c = features.find(f);
        if (c != nullptr && c->type() == io::ColumnType::String) {
            throw DataError(fmt::format("'{}': feature column '{}' holds text; train needs numbers: run `upliftctl "
                                        "features` on it first (it encodes text columns as indicators)",
                                        input.string(), f));
        }
    }
    // Refused before any fit, as the forest itself would refuse them (forest.cpp) only after the checks.
    if (options.learner == LearnerKind::Forest) {
        const auto criterion = forest::to_string(options.forest.criterion);
        if (forest::needs_binary_outcome(options.forest.criterion) && roles.outcome_type != data::OutcomeType::Binary) {
            throw UsageError(fmt::format("--criterion {} needs a binary outcome; '{}' is continuous: use cts or mse",
                                         criterion, roles.outcome));
        }
        if (options.forest.criterion == forest::Criterion::DDP && roles.treatment_levels.size() != 1) {
            throw UsageError(fmt::format("--criterion ddp compares two groups; {} treated levels are selected ({}): "
                                         "pick one with --treatment-level, or use kl, ed, chi, cts or mse",
                                         roles.treatment_levels.size(), fmt::join(roles.treatment_levels, ", ")));
        }
    }
    if (options.learner == LearnerKind::CT) {
        if (roles.outcome_type != data::OutcomeType::Binary) {
            throw UsageError("--learner ct needs a binary outcome; use s, t, x or dr for a continuous one");
        }
        if (options.propensity != PropensitySource::Share) {
            throw UsageError("--learner ct assumes a randomised test with a constant treated share; "
                             "with a propensity model or column use --learner dr or x");
        }
    }
    return roles;
}

/// The rows train works on: control and the selected treated levels, in table order. This is the one kind
/// of row index passed between the steps: a step names rows by their position in here (0 .. size() - 1),
/// and only `row` maps a position back to the feature table.
struct SelectedRows {
    std::vector<std::size_t> row;    ///< row number in the feature table
    std::vector<int> arm;            ///< 0 control, k the k-th selected treated level
    std::vector<double> y;           ///< outcome
    std::vector<double> propensity;  ///< from --propensity-col; empty otherwise
    std::int64_t excluded = 0;       ///< rows of treated levels not selected

    /// Table row numbers of some positions.
    std::vector<std::size_t> rows_at(std::span<const std::size_t> positions) const {
        std::vector<std::size_t> out;
        out.reserve(positions.size());
        for (std::size_t q : positions) out.push_back(row[q]);
        return out;
    }
};

/// arm_codes of the training rows, whose treatment column may be kept as codes.
std::vector<int> arm_codes(const TrainingData& training, const data::Roles& roles) {
    if (training.coded.name != roles.treatment) return arm_codes(training.table.column(roles.treatment), roles);
    std::vector<std::string> levels = training.coded.levels;
    const std::size_t null_level = levels.size();
    levels.emplace_back();  // a null reads as "", as to_texts gives it
    const auto level_arms = arm_codes(io::Column::strings(roles.treatment, std::move(levels)), roles);
    std::vector<int> arm;
    arm.reserve(training.coded.codes.size());
    for (std::int32_t c : training.coded.codes) arm.push_back(level_arms[c >= 0 ? static_cast<std::size_t>(c) : null_level]);
    return arm;
}

/// Sets aside the rows of other levels than control and the selected ones; checks outcome and propensity.
SelectedRows select_arms(const TrainingData& training, const data::Roles& roles, const TrainOptions& options,
                         const std::filesystem::path& input) {
    const io::Table& features = training.table;
    SelectedRows s;
    const auto arm_all = arm_codes(training, roles);
    // Sized once: grown by doubling, these three held 70 MB of slack through a 5M-row fit.
    const auto selected = static_cast<std::size_t>(std::count_if(arm_all.begin(), arm_all.end(), [](int a) { return a >= 0; }));
    s.row.reserve(selected);
    s.arm.reserve(selected);
    s.y.reserve(selected);
    for (std::size_t i = 0; i < arm_all.size(); ++i) {
        if (arm_all[i] < 0) {
            ++s.excluded;
            continue;
        }
        s.row.push_back(i);
        s.arm.push_back(arm_all[i]);
    }
    const auto y_all = features.column(roles.outcome).to_doubles();
    for (std::size_t r : s.row) s.y.push_back(y_all[r]);
    check_outcome(s.y, roles.outcome_type, roles.outcome, input);
    if (options.propensity == PropensitySource::Column) {
        s.propensity = propensity_values(features, options.propensity_column, s.row, input);
    }
    return s;
}

/// Everything a fit needs besides the rows: the feature columns and how to fit.
struct FitSetup {
    const TrainingData& data;  ///< its matrix holds the model's features, in roles order
    LearnerKind learner;
    PropensitySource propensity;
    std::string propensity_column;
    int n_treated;
    bool binary;
    LearnerOptions learner_options;
};

FitSetup fit_setup(const TrainingData& data, const data::Roles& roles, const TrainOptions& options) {
    FitSetup setup{.data = data,
                   .learner = options.learner,
                   .propensity = options.propensity,
                   .propensity_column = options.propensity_column,
                   .n_treated = static_cast<int>(roles.treatment_levels.size()),
                   .binary = roles.outcome_type == data::OutcomeType::Binary,
                   .learner_options = {}};
    setup.learner_options.gbm = options.gbm;
    setup.learner_options.gbm.seed = options.seed;
    setup.learner_options.validation_fraction = options.validation_fraction;
    setup.learner_options.dr_folds = options.dr_folds;
    setup.learner_options.forest = options.forest;
    setup.learner_options.forest.max_depth = options.gbm.max_depth;
    setup.learner_options.forest.seed = options.seed;
    setup.learner_options.forest.threads = options.gbm.threads;
    return setup;
}

/// The data a learner sees for some selected rows: their design matrix, outcome, arm and propensity column.
struct Part {
    DenseMatrix x;
    std::vector<double> y, propensity;
    std::vector<int> arm;
};

/// The part of some selected positions whose matrix `x` is already made (its rows are those positions').
Part part_with(const SelectedRows& selected, std::span<const std::size_t> positions, DenseMatrix x) {
    Part p;
    p.y.reserve(positions.size());
    p.arm.reserve(positions.size());
    if (!selected.propensity.empty()) p.propensity.reserve(positions.size());
    for (std::size_t q : positions) {
        p.y.push_back(selected.y[q]);
        p.arm.push_back(selected.arm[q]);
        if (!selected.propensity.empty()) p.propensity.push_back(selected.propensity[q]);
    }
    p.x = std::move(x);
    return p;
}

Part part_of(const FitSetup& setup, const SelectedRows& selected, std::span<const std::size_t> positions) {
    return part_with(selected, positions, take_rows(setup.data.x, selected.rows_at(positions)));
}

/// Whether a run needs the features of every row at once (a search, --cv, out-of-fold scores), or only those of
/// its training and holdout rows, each taken once.
bool needs_whole_matrix(const TrainOptions& o) { return o.auto_learner || o.cv > 1 || o.oof_folds > 1; }

/// Reads the features of chosen rows of the training file: row r into matrix destination[r] of `count`, or none
/// (-1), as read_feature_rows does.
using FeatureRowReader = std::function<std::vector<DenseMatrix>(std::span<const std::int8_t> destination, std::size_t count)>;

/// The propensity as the run asks for it, fitted on one part of the rows.
Propensity fit_propensity(const FitSetup& setup, const Part& p) {
    switch (setup.propensity) {
    case PropensitySource::Model: return Propensity::fit_model(p.x, p.arm, setup.n_treated);
    case PropensitySource::Column: return Propensity::from_column(setup.propensity_column, p.arm, setup.n_treated);
    case PropensitySource::Share: break;
    }
    return Propensity::shares(p.arm, setup.n_treated);
}

/// Fits propensity and learner into `b` on one part of the rows.
void fit_into(ModelBundle& b, const FitSetup& setup, const Part& p) {
    b.propensity = fit_propensity(setup, p);
    const LearnerData data{p.x, p.y, p.arm, setup.n_treated, setup.binary, p.propensity};
    b.set_threads(setup.learner_options.gbm.threads);
    if (setup.learner == LearnerKind::Forest) {
        b.forest = fit_forest_learner(data, setup.learner_options);
    } else {
        b.base_models = fit_learner(setup.learner, data, b.propensity, setup.learner_options);
    }
}

/// Scores of some selected rows, as `score` writes them; `x` is their design matrix when already built. Only
/// the columns the scores carry over are copied out of the table, not the features.
io::Table score_positions(const ModelBundle& b, const FitSetup& setup, const SelectedRows& selected,
                          std::span<const std::size_t> positions, const DenseMatrix* x = nullptr) {
    const auto rows = selected.rows_at(positions);
    io::Table carried;
    std::vector<std::string> names{b.roles.id, b.roles.treatment, b.roles.outcome};
    if (b.propensity.source() == PropensitySource::Column) names.push_back(b.propensity.column());
    for (const auto& name : names) {
        if (carried.has(name)) continue;
        if (name == setup.data.coded.name) {
            carried.add_column(setup.data.coded.take(rows));
        } else if (const io::Column* c = setup.data.table.find(name); c != nullptr) {
            carried.add_column(c->take(rows));
        }
    }
    if (x != nullptr) return score_matrix(b, *x, carried, nullptr);
    return score_matrix(b, take_rows(setup.data.x, rows), carried, nullptr);
}

/// Whether the features predict the arm on the training rows: a warning, or a refusal for ct.
std::vector<RandomisationCheck> randomisation_check(const Part& train_part, const data::Roles& roles,
                                                    const TrainOptions& options, const std::filesystem::path& input) {
    auto checks = check_randomisation(train_part.x, train_part.arm, roles.treatment_levels, options.seed,
                                      options.gbm.threads);
    for (const auto& c : checks) {
        if (!c.flagged) continue;
        if (options.learner == LearnerKind::CT) {
            throw DataError(fmt::format(
                "'{}': the features predict who got '{}' (treatment classifier AUC {:.3f} ± {:.3f}); the class "
                "transformation needs a randomised test. Use --learner dr or x with --propensity model",
                input.string(), c.level, c.auc, 1.96 * c.auc_se));
        }
        log::warn("the features predict who got '{}' (treatment classifier AUC {:.3f} ± {:.3f}): the arms differ "
                  "before the offer. Prefer --learner dr or x with --propensity model",
                  c.level, c.auc, 1.96 * c.auc_se);
    }
    return checks;
}

/// Each training position's fold of K, stratified as the holdout is.
std::vector<int> training_folds(std::span<const int> strata, std::span<const std::size_t> train, int k,
                                std::uint64_t seed) {
    std::vector<int> train_strata;
    for (std::size_t p : train) train_strata.push_back(strata[p]);
    return stratified_folds(train_strata, k, seed);
}

/// A fold's scores by a model that never saw them: fitted as the final model is, on the training positions
/// outside fold `f`, it scores the positions inside (returned beside the scores, in their order).
struct FoldScores {
    io::Table scores;
    std::vector<std::size_t> positions;
};

FoldScores score_fold(const FitSetup& setup, const SelectedRows& selected, std::span<const std::size_t> train,
                      std::span<const int> fold, int f, const data::Roles& roles, const TrainOptions& options) {
    std::vector<std::size_t> fit_part, score_part;
    for (std::size_t i = 0; i < train.size(); ++i) (fold[i] == f ? score_part : fit_part).push_back(train[i]);
    ModelBundle fold_model;
    fold_model.learner = options.learner;
    fold_model.roles = roles;
    fit_into(fold_model, setup, part_of(setup, selected, fit_part));
    return {score_positions(fold_model, setup, selected, score_part), std::move(score_part)};
}

/// Sees each fold's scores as they are made (the auto search computes its DR loss on them).
using FoldHook = std::function<void(int fold, const FoldScores& scored)>;

/// The seed of the folds of cross-validation run `repeat`: --cv's folds are run 0's, so the search's first repeat
/// and --cv share them and one repeat is what the search did before --cv-repeats.
std::uint64_t cv_fold_seed(const TrainOptions& options, int repeat) {
    return options.seed + 1 + 1000003ULL * static_cast<std::uint64_t>(repeat);
}

/// K folds over the training positions only (`fold`: each training position's, of options.cv): the holdout stays
/// untouched for the final check.
std::vector<CvMetrics> cross_validate(const FitSetup& setup, const SelectedRows& selected, std::span<const int> fold,
                                      std::span<const std::size_t> train, const data::Roles& roles,
                                      const TrainOptions& options, ProgressCounter& fits, const FoldHook& hook = {}) {
    std::vector<CvMetrics> cv(roles.treatment_levels.size());
    for (int f = 0; f < options.cv; ++f) {
        const FoldScores scored = score_fold(setup, selected, train, fold, f, roles, options);
        if (hook) hook(f, scored);
        const Part labels = part_with(selected, scored.positions, {});  // the scored rows' arms and outcomes
        const auto metrics = holdout_metrics(scored.scores, labels.arm, labels.y, roles);
        for (std::size_t k = 0; k < metrics.size(); ++k) {
            cv[k].level = metrics[k].level;
            cv[k].qini_auc.push_back(metrics[k].qini_auc.value_or(std::nan("")));
            cv[k].uplift_at_30.push_back(metrics[k].uplift_at_30.value_or(std::nan("")));
        }
        log::info("cross-validation fold {}/{} done", f + 1, options.cv);
        fits.step();
    }
    for (auto& c : cv) {
        std::tie(c.qini_auc_mean, c.qini_auc_std) = mean_and_std(c.qini_auc);
        std::tie(c.uplift_at_30_mean, c.uplift_at_30_std) = mean_and_std(c.uplift_at_30);
    }
    return cv;
}

// ---- --learner auto ----------------------------------------------------------------------------------

/// The run's options with one candidate's learner and settings in place of the user's.
TrainOptions candidate_options(const TrainOptions& base, const Candidate& c) {
    TrainOptions o = base;
    o.learner = c.learner;
    o.gbm.max_depth = c.max_depth;
    if (c.learner == LearnerKind::Forest) {
        o.forest.min_samples_leaf = c.min_samples_leaf;
        o.forest.criterion = c.criterion;
    } else {
        o.gbm.num_rounds = c.num_rounds;
        o.gbm.learning_rate = c.learning_rate;
        o.gbm.early_stopping_rounds = c.early_stopping_rounds;
    }
    return o;
}

int search_folds(const TrainOptions& o) { return o.cv > 1 ? o.cv : default_search_folds; }
/// Model fits the search makes for one candidate that runs.
std::uint64_t search_fit_count(const TrainOptions& o) {
    return static_cast<std::uint64_t>(search_folds(o)) * static_cast<std::uint64_t>(o.cv_repeats);
}

/// The grid of --search (or the default), each forest with a criterion the outcome allows.
std::vector<Candidate> search_candidates(const TrainOptions& options, bool binary) {
    auto candidates = parse_search(options.search.empty() ? default_search : std::string_view(options.search));
    for (auto& c : candidates) {
        if (c.learner == LearnerKind::Forest) c.criterion = forest_criterion_for(options.forest.criterion, binary);
    }
    return candidates;
}

/// Pseudo-outcomes of fold `f`'s scored positions, from nuisance models fitted on the fold's other training
/// positions with train's default settings (so every candidate is measured against the same targets).
DrTargets fold_dr_targets(const FitSetup& setup, const SelectedRows& selected, std::span<const std::size_t> train,
                          std::span<const int> fold, int f, std::span<const std::size_t> scored,
                          const TrainOptions& options) {
    std::vector<std::size_t> fit_positions;
    for (std::size_t i = 0; i < train.size(); ++i) {
        if (fold[i] != f) fit_positions.push_back(train[i]);
    }
    const Part fit = part_of(setup, selected, fit_positions);
    const Part rows = part_of(setup, selected, scored);
    const Propensity e = fit_propensity(setup, fit);
    LearnerOptions nuisance;
    nuisance.gbm.seed = options.seed + 11;
    nuisance.gbm.threads = options.gbm.threads;
    nuisance.validation_fraction = options.validation_fraction;
    const LearnerData data{fit.x, fit.y, fit.arm, setup.n_treated, setup.binary, fit.propensity};
    return dr_targets(data, e, rows.x, rows.y, rows.arm, rows.propensity, nuisance);
}

/// What the search found, with the chosen candidate's cross-validation as --cv records it.
struct LearnerSearch {
    SearchOutcome outcome;
    std::vector<CvMetrics> chosen_cv;
};

/// Cross-validates every candidate on the training positions, on the folds --cv uses, and chooses one.
LearnerSearch search_learner(const TrainingData& training, const SelectedRows& selected, std::span<const int> strata,
                             std::span<const std::size_t> train, const data::Roles& roles, const TrainOptions& options,
                             const std::vector<Candidate>& candidates, const SearchData& data, ProgressCounter& fits) {
    const int folds = search_folds(options);
    const int repeats = options.cv_repeats;
    std::vector<std::vector<int>> fold_of_repeat;
    for (int r = 0; r < repeats; ++r) fold_of_repeat.push_back(training_folds(strata, train, folds, cv_fold_seed(options, r)));
    // The DR pseudo-outcomes of each (repeat, fold), made once and shared by every candidate.
    std::vector<std::optional<DrTargets>> targets(static_cast<std::size_t>(repeats * folds));
    std::vector<std::pair<Candidate, std::vector<CvMetrics>>> runs;
    const ScoreCandidate score = [&](const Candidate& c) {
        TrainOptions o = candidate_options(options, c);
        o.cv = folds;
        const FitSetup setup = fit_setup(training, roles, o);
        std::vector<double> per_fold;
        for (int r = 0; r < repeats; ++r) {
            const auto& fold = fold_of_repeat[static_cast<std::size_t>(r)];
            // This run's criterion per fold: the DR loss from the hook, or the Qini AUC below.
            std::vector<double> values(static_cast<std::size_t>(folds), std::nan(""));
            const FoldHook hook = [&](int f, const FoldScores& scored) {
                if (options.select != SelectBy::DrLoss) return;
                auto& t = targets[static_cast<std::size_t>(r * folds + f)];
                if (!t) t = fold_dr_targets(setup, selected, train, fold, f, scored.positions, options);
                std::vector<std::vector<double>> uplift;
                for (const auto& level : roles.treatment_levels) {
                    const auto v = scored.scores.column("uplift__" + level).double_values();
                    uplift.emplace_back(v.begin(), v.end());
                }
                values[static_cast<std::size_t>(f)] = dr_loss(*t, uplift);
            };
            auto cv = cross_validate(setup, selected, fold, train, roles, o, fits, hook);
            if (options.select == SelectBy::Qini) {
                // Per fold, the mean over treated levels of the Qini AUCs defined there.
                for (int f = 0; f < folds; ++f) {
                    std::vector<double> levels;
                    for (const auto& level : cv) levels.push_back(level.qini_auc[static_cast<std::size_t>(f)]);
                    const FoldSummary s = summarise_folds(levels);
                    values[static_cast<std::size_t>(f)] = s.defined ? s.mean : std::nan("");
                }
            }
            per_fold.insert(per_fold.end(), values.begin(), values.end());
            // The first repeat's folds are --cv's: the chosen candidate's record under cross_validation.
            if (r == 0) runs.emplace_back(c, std::move(cv));
        }
        return per_fold;
    };
    const auto start = std::chrono::steady_clock::now();
    const Elapsed elapsed = [start] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    SearchSettings settings{.select = options.select,
                            .folds = folds,
                            .repeats = repeats,
                            .grid = options.search.empty() ? std::string(default_search) : options.search,
                            .time_budget = options.time_budget};
    LearnerSearch out{run_search(candidates, data, settings, score, elapsed), {}};
    const Candidate& chosen = out.outcome.candidates[out.outcome.chosen];
    for (auto& [c, cv] : runs) {
        if (c == chosen) out.chosen_cv = std::move(cv);
    }
    log::info("auto: {} candidates in {:.1f} s; chose {} {}", candidates.size(), elapsed(), to_string(chosen.learner),
              candidate_settings(chosen));
    return out;
}

/// What the bundle says about the run before any fit: learner, roles, feature types, encoding and the
/// features' recovered-gender record.
void describe_inputs(ModelBundle& bundle, const FitSetup& setup, const data::Roles& roles, const TrainOptions& options,
                     const std::filesystem::path& input) {
    bundle.learner = options.learner;
    bundle.roles = roles;
    for (std::size_t j = 0; j < setup.data.names.size(); ++j) {
        bundle.feature_types[setup.data.names[j]] = std::string(io::type_name(setup.data.types[j]));
    }
    bundle.encoding = artifacts::load_feature_spec(setup.data.table.metadata(), input.string());
    // The report reads the model, not the features: the recovered genders' record travels with it.
    bundle.gender_imputation = artifacts::load_gender_imputation(setup.data.table.metadata(), input.string());
}

/// What the bundle records about the run after the fit: seed, training data and parameters.
void record_run(ModelBundle& bundle, const std::filesystem::path& input, const TrainOptions& options) {
    bundle.seed = options.seed;
    bundle.training_fingerprint = file_fingerprint(input);
    bundle.parameters = train_param_table().record(options);
    for (const auto& [k, v] : options.gbm.extra) bundle.parameters["xgb." + k] = v;
}

/// Scores the holdout positions (whose rows are `holdout_part`, used up here) with the final model; the holdout
/// metrics and permutation importance are measured on them.
void measure_holdout(TrainResult& result, const FitSetup& setup, const SelectedRows& selected,
                     std::span<const std::size_t> holdout, Part&& holdout_part, const data::Roles& roles,
                     const TrainOptions& options) {
    const ModelBundle& bundle = result.bundle;
    result.holdout_scores = score_positions(bundle, setup, selected, holdout, &holdout_part.x);
    data::store_roles(result.holdout_scores.metadata(), roles);
    artifacts::store_scores_info(result.holdout_scores.metadata(), {.scored_as = artifacts::ScoredAs::Holdout});
    result.permutation = permutation_importance(
        bundle, holdout_part.x, holdout_part.y, holdout_part.arm, holdout_part.propensity,
        {.repeats = options.permutation_repeats, .max_rows = 50000, .seed = options.seed + 5});
    // The matrix goes before the metrics rank the rows: together they made a large train's peak (+200 MB for a
    // moment at 1.5M holdout rows; docs/benchmarks.md).
    holdout_part.x = {};
    result.metrics = holdout_metrics(result.holdout_scores, holdout_part.arm, holdout_part.y, roles);
}

/// Scores every selected row with a model that never saw it (see TrainResult::out_of_fold_scores): K models
/// fitted as the final one is, each on the training positions outside one fold, score that fold; the final
/// model scores the holdout. The rows come back in their input order, labelled out_of_fold.
io::Table out_of_fold_scores(const ModelBundle& final_model, const FitSetup& setup, const SelectedRows& selected,
                             std::span<const int> strata, const Split& split, const data::Roles& roles,
                             const TrainOptions& options, ProgressCounter& fits) {
    const auto fold = training_folds(strata, split.train, options.oof_folds, options.seed + 2);
    std::vector<io::Table> parts;
    std::vector<std::size_t> order;  // the selected position of each row of the parts, in part order
    for (int f = 0; f < options.oof_folds; ++f) {
        FoldScores scored = score_fold(setup, selected, split.train, fold, f, roles, options);
        parts.push_back(std::move(scored.scores));
        order.insert(order.end(), scored.positions.begin(), scored.positions.end());
        log::info("out-of-fold scores: fold {}/{} done", f + 1, options.oof_folds);
        fits.step();
    }
    if (!split.holdout.empty()) {
        parts.push_back(score_positions(final_model, setup, selected, split.holdout));
        order.insert(order.end(), split.holdout.begin(), split.holdout.end());
    }
    // Back to input order: rank r of `order` holds selected position order[r]. Column by column, so the folds'
    // tables, their concatenation and its reordering are never all in memory (at 5M rows they were the peak).
    std::vector<std::size_t> by_position(order.size());
    for (std::size_t r = 0; r < order.size(); ++r) by_position[order[r]] = r;
    io::Table scores = io::concat_rows_taken(std::move(parts), by_position);
    data::store_roles(scores.metadata(), roles);
    artifacts::ScoresInfo info;
    info.scored_as = artifacts::ScoredAs::OutOfFold;
    info.folds = options.oof_folds;
    artifacts::store_scores_info(scores.metadata(), info);
    return scores;
}

}  // namespace

std::vector<OutcomeAuc> single_feature_auc(const DenseMatrix& x, const std::vector<std::string>& names,
                                           std::span<const double> y, int threads) {
    std::vector<std::uint8_t> label(y.size());
    for (std::size_t r = 0; r < y.size(); ++r) label[r] = y[r] > 0.5 ? 1 : 0;
    const std::size_t features = std::min(x.cols, names.size());
    std::vector<OutcomeAuc> out(features);
    // One feature per part, each writing its own entry: the same figures at any thread count.
    for_each_part_with<std::vector<float>>(features, thread_limit(threads), [&](std::size_t c, std::vector<float>& score) {
        score.resize(x.rows);
        for (std::size_t r = 0; r < x.rows; ++r) {
            const float v = x.values[r * x.cols + c];
            score[r] = std::isnan(v) ? -std::numeric_limits<float>::infinity() : v;
        }
        const double auc = roc_auc_of_floats(score, label);
        out[c] = {names[c], std::isnan(auc) ? 0.5 : std::max(auc, 1 - auc)};
    });
    return out;
}

std::vector<artifacts::LeakageWarning> leakage_check(std::span<const FeatureGain> gain,
                                                     std::span<const OutcomeAuc> outcome_auc,
                                                     const std::string& outcome, bool allowed) {
    const auto lower = [](std::string t) {
        for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return t;
    };
    const std::string y = lower(outcome);
    std::vector<artifacts::LeakageWarning> out;
    for (const auto& g : gain) {
        const std::string name = lower(g.feature);
        const bool named = !y.empty() && (name == y || name.rfind(y + "_", 0) == 0 || name.rfind(y + "=", 0) == 0);
        if (g.share > leakage_gain_share) {
            out.push_back({g.feature, g.share, "dominates the gain", allowed, std::nullopt});
        } else if (named) {
            out.push_back({g.feature, g.share, "is named like the outcome", allowed, std::nullopt});
        }
    }
    for (const auto& a : outcome_auc) {
        if (a.auc <= leakage_outcome_auc) continue;
        // A one-hot input is named "<column>=<level>"; its source column's gain is the one recorded.
        const std::string source = a.feature.substr(0, a.feature.find('='));
        const auto g = std::find_if(gain.begin(), gain.end(), [&](const FeatureGain& f) { return f.feature == source; });
        const auto seen = std::find_if(out.begin(), out.end(), [&](const auto& w) { return w.feature == a.feature || w.feature == source; });
        if (seen != out.end()) {
            seen->outcome_auc = a.auc;
            continue;
        }
        out.push_back({a.feature, g != gain.end() ? g->share : 0.0, "alone predicts the outcome", allowed, a.auc});
    }
    return out;
}

/// The forest's leaf size and shrinkage are row counts chosen on Hillstrom's 30,000 training rows; when each tree
/// sees fewer than ten leaves' worth of rows, its trees hardly split and the uplift comes out nearly flat. That is
/// the better guess for a weak effect (on Hillstrom subsamples the defaults beat smaller leaves) and misses a
/// strong one (docs/forest.md, "Small data"), so the user is told and pointed at the comparison. Said once.
void warn_small_forest_sample(std::size_t train_rows, const forest::ForestOptions& f) {
    // Honest trees choose their splits on half of their rows.
    const double per_tree = static_cast<double>(train_rows) * f.row_subsample * (f.honest ? 0.5 : 1.0);
    if (per_tree >= 10.0 * f.min_samples_leaf) return;
    log::warn("each tree of the forest chooses its splits on about {:.0f} rows, fewer than 10 leaves of "
              "--min-samples-leaf {}: its "
              "trees will hardly split and the uplift comes out nearly flat. That suits a weak effect but misses a "
              "strong one: compare, with --cv 5, smaller leaves (lower --min-samples-leaf and --n-reg, now {}, in "
              "proportion) or --learner auto (docs/forest.md, \"Small data\")",
              per_tree, f.min_samples_leaf, f.n_reg);
}

/// What train refuses before it reads any rows: out-of-range parameters, flags of another learner, a misspelt
/// --xgb key (which every fit would ignore rather than one refuse), a --search that does not parse.
void check_train_options(const TrainOptions& asked) {
    train_param_table().check(asked);
    check_auto_flags(asked);
    // --learner auto: each candidate sets its own learner's parameters, so the user-flag check does not apply.
    if (!asked.auto_learner) check_learner_flags(asked);
    for (const auto& [key, value] : asked.gbm.extra) check_xgb_param(key, value);
    if (asked.auto_learner) search_candidates(asked, true);
}

// The steps in order. Positions into SelectedRows are the only row index passed between them.
/// `read_rows`, when set, reads the features of the training and holdout rows (then `training` holds none, and the
/// run does not need the whole matrix).
TrainResult train_on(TrainingData training, const data::Roles& roles, const std::filesystem::path& input,
                     const TrainOptions& asked, const FeatureRowReader& read_rows = {}) {
    StepTimer timer("train");
    const io::Table& features = training.table;  // every column but the features
    std::vector<Candidate> candidates;
    const SelectedRows selected = select_arms(training, roles, asked, input);
    const auto strata = uplift_strata(selected.arm, selected.y);
    const auto split = stratified_split(strata, asked.holdout, asked.seed);

    TrainResult result;
    result.rows_excluded = selected.excluded;
    ModelBundle& bundle = result.bundle;
    const FitSetup asked_setup = fit_setup(training, roles, asked);
    Part train_part;
    std::optional<Part> holdout_part;
    if (read_rows) {
        if (needs_whole_matrix(asked)) throw InternalError("train: the whole matrix is needed but was not read");
        // The training and the holdout rows' features straight from the file, never the whole matrix beside them:
        // taking both parts from it was a large train's peak (docs/benchmarks.md).
        std::vector<std::int8_t> destination(features.num_rows(), -1);
        for (std::size_t q : split.train) destination[selected.row[q]] = 0;
        for (std::size_t q : split.holdout) destination[selected.row[q]] = 1;
        timer.done("holdout split");
        auto x = read_rows(destination, 2);
        train_part = part_with(selected, split.train, std::move(x[0]));
        if (!split.holdout.empty()) holdout_part = part_with(selected, split.holdout, std::move(x[1]));
        timer.done("features of the training and holdout rows read");
    } else {
        train_part = part_of(asked_setup, selected, split.train);
        // When no later step needs the whole matrix, the holdout's rows are taken now and the matrix goes before
        // the fit: with it, a large train peaked there (docs/benchmarks.md).
        if (!needs_whole_matrix(asked)) {
            if (!split.holdout.empty()) holdout_part = part_of(asked_setup, selected, split.holdout);
            training.x = {};
        }
        timer.done("holdout split");
    }
    result.randomisation = randomisation_check(train_part, roles, asked, input);
    bundle.randomisation = result.randomisation;
    timer.done("randomisation check");

    const bool binary = roles.outcome_type == data::OutcomeType::Binary;
    const SearchData search_data{.binary = binary,
                                 .n_treated = static_cast<int>(roles.treatment_levels.size()),
                                 .propensity = asked.propensity,
                                 .randomisation_flagged = std::any_of(result.randomisation.begin(), result.randomisation.end(),
                                                                      [](const auto& c) { return c.flagged; })};
    if (asked.auto_learner) candidates = search_candidates(asked, binary);
    // One unit of progress per model fit, the folds included: they are what takes the time.
    std::uint64_t search_fits = 0;
    for (const auto& c : candidates) {
        if (cannot_run(c, search_data).empty()) search_fits += search_fit_count(asked);
    }
    const int cv_fits = asked.auto_learner || asked.cv <= 1 ? 0 : asked.cv;
    ProgressCounter fits(asked.progress, search_fits + static_cast<std::uint64_t>(cv_fits + 1 +
                                                                                (asked.oof_folds > 1 ? asked.oof_folds : 0)));

    // From here on the run is the chosen candidate's (or the one asked for).
    TrainOptions options = asked;
    if (asked.auto_learner) {
        LearnerSearch search =
            search_learner(training, selected, strata, split.train, roles, asked, candidates, search_data, fits);
        for (const auto& c : search.outcome.record.candidates) {
            if (c.status == "over_budget") fits.advance(search_fit_count(asked));
        }
        options = candidate_options(asked, search.outcome.candidates[search.outcome.chosen]);
        result.cv = std::move(search.chosen_cv);
        bundle.cv_metrics = result.cv;
        result.auto_search = search.outcome.record;
        result.search_candidates = search.outcome.candidates;
        bundle.auto_search = result.auto_search;
    }
    const FitSetup setup = fit_setup(training, roles, options);
    describe_inputs(bundle, setup, roles, options, input);

    if (!asked.auto_learner && options.cv > 1) {
        result.cv = cross_validate(setup, selected, training_folds(strata, split.train, options.cv, cv_fold_seed(options, 0)),
                                   split.train, roles, options, fits);
        bundle.cv_metrics = result.cv;
    }

    if (options.learner == LearnerKind::Forest) warn_small_forest_sample(split.train.size(), options.forest);
    log::info("training a {}-learner on {} rows ({} held out, {} of other arms excluded)", to_string(options.learner),
              split.train.size(), split.holdout.size(), result.rows_excluded);
    fit_into(bundle, setup, train_part);
    fits.step();
    timer.done("fit");
    record_run(bundle, input, options);
    timer.done("input fingerprint");
    bundle.fitted_rows =
        fitted_rows_of(train_part.x, features.find(roles.id), selected.rows_at(split.train), options.gbm.threads);
    // The training rows' last uses; their matrix then goes before the holdout is scored, which is when a
    // large train peaks (docs/benchmarks.md). The drift reference's score part follows below.
    timer.done("fitted rows' hashes");
    artifacts::DriftReference drift_reference = drift_reference_of(train_part.x, roles.features, options.gbm.threads);
    timer.done("drift reference");
    std::vector<OutcomeAuc> outcome_auc;
    if (split.holdout.empty() && setup.binary) {
        outcome_auc = single_feature_auc(train_part.x, roles.features, train_part.y, options.gbm.threads);
    }
    train_part.x = {};
    give_back_free_memory();  // the fit's freed blocks, before the holdout's allocations

    result.rows_train = static_cast<std::int64_t>(split.train.size());
    result.rows_holdout = static_cast<std::int64_t>(split.holdout.size());
    result.gain = gain_importance(bundle);
    // The leakage guard's single-feature AUCs (binary outcomes): on the holdout, the training rows without one
    // (taken above).
    if (!split.holdout.empty()) {
        if (!holdout_part) holdout_part = part_of(setup, selected, split.holdout);
        if (setup.binary) outcome_auc = single_feature_auc(holdout_part->x, roles.features, holdout_part->y, options.gbm.threads);
        timer.done("leakage AUCs");
        measure_holdout(result, setup, selected, split.holdout, std::move(*holdout_part), roles, options);
        holdout_part.reset();
        bundle.holdout_metrics = result.metrics;
        timer.done("holdout scores and metrics");
    }
    bundle.importance = artifacts::FeatureImportance{result.gain, result.permutation};
    bundle.leakage = leakage_check(result.gain, outcome_auc, roles.outcome, options.allow_leaky);
    for (const auto& w : bundle.leakage) {
        if (w.allowed) continue;
        const std::string auc = w.outcome_auc ? fmt::format(", AUC {:.3f} alone for the outcome", *w.outcome_auc) : "";
        log::warn("feature '{}' {} ({:.1f}% of the gain{}): is it the outcome '{}' leaking in, recorded after the "
                  "offer? Drop it (ingest --drop) or pass --allow-leaky if it is known before the campaign",
                  w.feature, w.reason, 100 * w.gain_share, auc, roles.outcome);
    }
    if (options.oof_folds > 1) {
        result.out_of_fold_scores = out_of_fold_scores(bundle, setup, selected, strata, split, roles, options, fits);
    }
    // The score's reference must be out of sample, like the scores it will be compared with.
    const bool by_holdout = !split.holdout.empty();
    const io::Table* reference_scores = by_holdout                                    ? &result.holdout_scores
                                        : result.out_of_fold_scores.num_rows() > 0 ? &result.out_of_fold_scores
                                                                                    : nullptr;
    add_score_reference(drift_reference, reference_scores, by_holdout ? "holdout" : "out_of_fold");
    bundle.drift_reference = std::move(drift_reference);
    return result;
}

TrainResult train_uplift(const io::Table& features, const std::filesystem::path& input, const TrainOptions& asked) {
    check_train_options(asked);
    const data::Roles roles = train_roles(features, input, asked);
    return train_on(training_data_of(features, roles.features), roles, input, asked);
}

TrainResult train_uplift_file(const std::filesystem::path& input, const TrainOptions& asked) {
    StepTimer timer("train");
    std::optional<TrainingData> training;
    data::Roles roles;
    FeatureRowReader read_rows;
    {
        // A session of its own, closed once the rows are read: DuckDB would keep the blocks it scanned cached
        // for the whole fit.
        io::Session reader({.threads = asked.gbm.threads, .memory_limit = {}});
        const io::Table schema = io::read_schema(reader, input);
        const auto recorded = data::require_roles(schema, input.string()).features;
        const bool text_feature = std::any_of(recorded.begin(), recorded.end(), [&](const std::string& f) {
            const io::Column* c = schema.find(f);
            return c != nullptr && !c->is_numeric();
        });
        // A text feature is refused with one of its values as the example, which only the rows have.
        if (text_feature) return train_uplift(io::read_table(reader, input), input, asked);
        check_train_options(asked);
        roles = train_roles(schema, input, asked);
        // With no feature at all there is nothing to read twice.
        if (needs_whole_matrix(asked) || roles.features.empty()) {
            training = read_training_data(reader, input, roles.features, roles.treatment);
        } else {
            const auto read = file_version(input);  // before the first read
            training = read_training_columns(reader, input, roles.features, roles.treatment);
            read_rows = [&input, &roles, &asked, read](std::span<const std::int8_t> destination, std::size_t count) {
                io::Session session({.threads = asked.gbm.threads, .memory_limit = {}});
                auto x = read_feature_rows(session, input, roles.features, destination, count);
                // Two reads of one file must see one version of it.
                if (file_version(input) != read) {
                    throw IoError(fmt::format("'{}' changed while train read it; run train again", input.string()));
                }
                return x;
            };
        }
    }
    timer.done("read");
    return train_on(std::move(*training), roles, input, asked, read_rows);
}

}  // namespace uplift::model
