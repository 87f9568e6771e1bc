#include "uplift/model/train.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <tuple>
#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"
#include "uplift/core/file_hash.hpp"
#include "uplift/core/log.hpp"
#include "uplift/eval/evaluation.hpp"
#include "uplift/model/design_matrix.hpp"
#include "uplift/model/scoring.hpp"
#include "uplift/model/split.hpp"

namespace uplift::model {

namespace {

std::vector<ArmMetrics> holdout_metrics(const io::Table& scores, const data::Roles& roles) {
    std::vector<ArmMetrics> out;
    const auto& treatment = scores.column(roles.treatment).string_values();
    const auto y_all = scores.column(roles.outcome).to_doubles();
    for (const auto& level : roles.treatment_levels) {
        const auto uplift = scores.column("uplift__" + level).double_values();
        std::vector<double> y, s;
        std::vector<std::uint8_t> t;
        for (std::size_t i = 0; i < treatment.size(); ++i) {
            if (treatment[i] != level && treatment[i] != roles.control) continue;
            y.push_back(y_all[i]);
            s.push_back(uplift[i]);
            t.push_back(treatment[i] == level ? 1 : 0);
        }
        ArmMetrics m;
        m.level = level;
        m.n_treatment = std::count(t.begin(), t.end(), std::uint8_t{1});
        m.n_control = static_cast<std::int64_t>(t.size()) - m.n_treatment;
        if (m.n_treatment > 0 && m.n_control > 0) {
            eval::EvaluationOptions options;
            options.ks = {0.3};
            const auto e = eval::evaluate(y, t, s, options);
            m.qini_auc = e.qini_auc;
            m.uplift_auc = e.uplift_auc;
            m.uplift_at_30 = e.uplift_at_k.front().value.overall;
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

}  // namespace

std::string cv_to_json(const std::vector<CvMetrics>& cv) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    const auto num = [](double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(); };
    for (const auto& c : cv) {
        nlohmann::ordered_json q = nlohmann::ordered_json::array(), u = nlohmann::ordered_json::array();
        for (double v : c.qini_auc) q.push_back(num(v));
        for (double v : c.uplift_at_30) u.push_back(num(v));
        j[c.level] = {{"folds", c.qini_auc.size()},
                      {"qini_auc_mean", num(c.qini_auc_mean)},
                      {"qini_auc_std", num(c.qini_auc_std)},
                      {"uplift_at_30_mean", num(c.uplift_at_30_mean)},
                      {"uplift_at_30_std", num(c.uplift_at_30_std)},
                      {"qini_auc_per_fold", q},
                      {"uplift_at_30_per_fold", u}};
    }
    return j.dump();
}

std::string metrics_to_json(const std::vector<ArmMetrics>& metrics) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    const auto opt = [](const std::optional<double>& v) { return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(); };
    for (const auto& m : metrics) {
        j[m.level] = {{"n_treatment", m.n_treatment},
                      {"n_control", m.n_control},
                      {"qini_auc", opt(m.qini_auc)},
                      {"uplift_auc", opt(m.uplift_auc)},
                      {"uplift_at_30", opt(m.uplift_at_30)}};
    }
    return j.dump();
}

TrainResult train_uplift(const io::Table& features, const std::filesystem::path& input, const TrainOptions& options) {
    if (options.learner != "t") {
        throw UsageError(fmt::format("learner '{}' is not available yet; use --learner t", options.learner));
    }
    if (!(options.holdout >= 0 && options.holdout < 1)) throw UsageError("--holdout must be in [0, 1)");
    if (options.cv == 1 || options.cv < 0) throw UsageError("--cv must be 0 (off) or at least 2 folds");
    data::Roles roles = data::require_roles(features, input.string());
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

    // Arms: 0 for control, k for the k-th selected level; rows of other levels are set aside.
    const auto& treatment = features.column(roles.treatment).string_values();
    std::vector<std::size_t> rows;
    std::vector<int> arm;
    TrainResult result;
    for (std::size_t i = 0; i < treatment.size(); ++i) {
        int a = -1;
        if (treatment[i] == roles.control) {
            a = 0;
        } else if (auto it = std::find(roles.treatment_levels.begin(), roles.treatment_levels.end(), treatment[i]);
                   it != roles.treatment_levels.end()) {
            a = static_cast<int>(it - roles.treatment_levels.begin()) + 1;
        }
        if (a < 0) {
            ++result.rows_excluded;
            continue;
        }
        rows.push_back(i);
        arm.push_back(a);
    }
    const auto y_all = features.column(roles.outcome).to_doubles();
    std::vector<double> y;
    for (std::size_t r : rows) y.push_back(y_all[r]);

    const auto strata = uplift_strata(arm, y);
    const auto split = stratified_split(strata, options.holdout, options.seed);
    std::vector<const io::Column*> columns;
    for (const auto& f : roles.features) columns.push_back(&features.column(f));
    LearnerOptions learner_options;
    learner_options.gbm = options.gbm;
    learner_options.gbm.seed = options.seed;
    learner_options.gbm.objective =
        roles.outcome_type == data::OutcomeType::Binary ? Objective::Binary : Objective::Regression;
    learner_options.validation_fraction = options.validation_fraction;
    // Fits on some of the selected rows (positions into rows/arm/y).
    const auto fit = [&](std::span<const std::size_t> positions) {
        std::vector<std::size_t> global;
        std::vector<double> part_y;
        std::vector<int> part_arm;
        for (std::size_t p : positions) {
            global.push_back(rows[p]);
            part_y.push_back(y[p]);
            part_arm.push_back(arm[p]);
        }
        return TLearner::fit(make_matrix(columns, global), part_y, part_arm,
                             static_cast<int>(roles.treatment_levels.size()), learner_options);
    };
    const auto score_positions = [&](ModelBundle& b, std::span<const std::size_t> positions) {
        std::vector<std::size_t> global;
        for (std::size_t p : positions) global.push_back(rows[p]);
        return score_table(b, features.take(global), nullptr);
    };

    ModelBundle& bundle = result.bundle;
    bundle.learner = options.learner;
    bundle.roles = roles;
    if (auto it = features.metadata().find(features::feature_spec_metadata_key); it != features.metadata().end()) {
        bundle.encoding = features::FeatureSpec::from_json(it->second);
    }

    if (options.cv > 1) {
        // K folds over the training rows only: the holdout stays untouched for the final check.
        std::vector<int> train_strata;
        for (std::size_t p : split.train) train_strata.push_back(strata[p]);
        const auto fold = stratified_folds(train_strata, options.cv, options.seed + 1);
        result.cv.resize(roles.treatment_levels.size());
        for (int f = 0; f < options.cv; ++f) {
            std::vector<std::size_t> fit_part, eval_part;
            for (std::size_t i = 0; i < split.train.size(); ++i) (fold[i] == f ? eval_part : fit_part).push_back(split.train[i]);
            ModelBundle fold_bundle;
            fold_bundle.roles = roles;
            fold_bundle.base_models = fit(fit_part).take_models();
            const auto metrics = holdout_metrics(score_positions(fold_bundle, eval_part), roles);
            for (std::size_t k = 0; k < metrics.size(); ++k) {
                result.cv[k].level = metrics[k].level;
                result.cv[k].qini_auc.push_back(metrics[k].qini_auc.value_or(std::nan("")));
                result.cv[k].uplift_at_30.push_back(metrics[k].uplift_at_30.value_or(std::nan("")));
            }
            log::info("cross-validation fold {}/{} done", f + 1, options.cv);
        }
        for (auto& c : result.cv) {
            std::tie(c.qini_auc_mean, c.qini_auc_std) = mean_and_std(c.qini_auc);
            std::tie(c.uplift_at_30_mean, c.uplift_at_30_std) = mean_and_std(c.uplift_at_30);
        }
        bundle.cv_metrics_json = cv_to_json(result.cv);
    }

    log::info("training a T-learner on {} rows ({} held out, {} of other arms excluded)", split.train.size(),
              split.holdout.size(), result.rows_excluded);
    bundle.base_models = fit(split.train).take_models();
    bundle.seed = options.seed;
    bundle.training_fingerprint = file_fingerprint(input);
    bundle.parameters = {{"holdout", fmt::format("{}", options.holdout)},
                         {"cv", std::to_string(options.cv)},
                         {"validation_fraction", fmt::format("{}", options.validation_fraction)},
                         {"num_rounds", std::to_string(options.gbm.num_rounds)},
                         {"learning_rate", fmt::format("{}", options.gbm.learning_rate)},
                         {"max_depth", std::to_string(options.gbm.max_depth)},
                         {"early_stopping_rounds", std::to_string(options.gbm.early_stopping_rounds)}};
    for (const auto& [k, v] : options.gbm.extra) bundle.parameters["xgb." + k] = v;

    result.rows_train = static_cast<std::int64_t>(split.train.size());
    result.rows_holdout = static_cast<std::int64_t>(split.holdout.size());
    if (!split.holdout.empty()) {
        result.holdout_scores = score_positions(bundle, split.holdout);
        result.metrics = holdout_metrics(result.holdout_scores, roles);
        bundle.holdout_metrics_json = metrics_to_json(result.metrics);
        data::store_roles(result.holdout_scores.metadata(), roles);
    }
    return result;
}

}  // namespace uplift::model
