#include "uplift/model/train.hpp"

#include <fmt/format.h>

#include <algorithm>
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

}  // namespace

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

    const auto split = stratified_split(uplift_strata(arm, y), options.holdout, options.seed);
    std::vector<const io::Column*> columns;
    for (const auto& f : roles.features) columns.push_back(&features.column(f));
    std::vector<std::size_t> train_rows;
    std::vector<double> train_y;
    std::vector<int> train_arm;
    for (std::size_t p : split.train) {
        train_rows.push_back(rows[p]);
        train_y.push_back(y[p]);
        train_arm.push_back(arm[p]);
    }
    const DenseMatrix x = make_matrix(columns, train_rows);

    LearnerOptions learner_options;
    learner_options.gbm = options.gbm;
    learner_options.gbm.seed = options.seed;
    learner_options.gbm.objective =
        roles.outcome_type == data::OutcomeType::Binary ? Objective::Binary : Objective::Regression;
    learner_options.validation_fraction = options.validation_fraction;
    log::info("training a T-learner on {} rows ({} held out, {} of other arms excluded)", train_rows.size(),
              split.holdout.size(), result.rows_excluded);
    TLearner learner = TLearner::fit(x, train_y, train_arm, static_cast<int>(roles.treatment_levels.size()),
                                     learner_options);

    ModelBundle& bundle = result.bundle;
    bundle.learner = options.learner;
    bundle.roles = roles;
    if (auto it = features.metadata().find(features::feature_spec_metadata_key); it != features.metadata().end()) {
        bundle.encoding = features::FeatureSpec::from_json(it->second);
    }
    bundle.seed = options.seed;
    bundle.training_fingerprint = file_fingerprint(input);
    bundle.parameters = {{"holdout", fmt::format("{}", options.holdout)},
                         {"validation_fraction", fmt::format("{}", options.validation_fraction)},
                         {"num_rounds", std::to_string(options.gbm.num_rounds)},
                         {"learning_rate", fmt::format("{}", options.gbm.learning_rate)},
                         {"max_depth", std::to_string(options.gbm.max_depth)},
                         {"early_stopping_rounds", std::to_string(options.gbm.early_stopping_rounds)}};
    for (const auto& [k, v] : options.gbm.extra) bundle.parameters["xgb." + k] = v;
    bundle.base_models = std::move(learner).take_models();

    result.rows_train = static_cast<std::int64_t>(split.train.size());
    result.rows_holdout = static_cast<std::int64_t>(split.holdout.size());
    if (!split.holdout.empty()) {
        std::vector<std::size_t> holdout_rows;
        for (std::size_t p : split.holdout) holdout_rows.push_back(rows[p]);
        result.holdout_scores = score_table(bundle, features.take(holdout_rows), nullptr);
        result.metrics = holdout_metrics(result.holdout_scores, roles);
        bundle.holdout_metrics_json = metrics_to_json(result.metrics);
        data::store_roles(result.holdout_scores.metadata(), roles);
    }
    return result;
}

}  // namespace uplift::model
