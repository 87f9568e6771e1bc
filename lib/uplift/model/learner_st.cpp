// The S- and T-learners: outcome models whose difference across arms is the uplift.

#include <algorithm>

#include "uplift/core/log.hpp"
#include "uplift/model/learner_parts.hpp"

namespace uplift::model::detail {

DenseMatrix with_arm_indicators(const DenseMatrix& x, int n_treated, std::span<const int> arm) {
    DenseMatrix out;
    out.rows = x.rows;
    out.cols = x.cols + static_cast<std::size_t>(n_treated);
    out.values.assign(out.rows * out.cols, 0.0F);
    for (std::size_t i = 0; i < x.rows; ++i) {
        std::copy_n(x.values.begin() + static_cast<std::ptrdiff_t>(i * x.cols), x.cols,
                    out.values.begin() + static_cast<std::ptrdiff_t>(i * out.cols));
        const int a = arm.size() == 1 ? arm[0] : arm[i];
        if (a > 0) out.values[i * out.cols + x.cols + static_cast<std::size_t>(a - 1)] = 1.0F;
    }
    return out;
}

std::vector<NamedGbm> fit_s(const LearnerData& d, const LearnerOptions& o) {
    const DenseMatrix xa = with_arm_indicators(d.x, d.n_treated, d.arm);
    std::vector<std::size_t> rows(d.x.rows);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
    GbmParams params = o.gbm;
    params.objective = d.binary ? Objective::Binary : Objective::Regression;
    // Trees may ignore a lone indicator column; never subsampling it away keeps the arm visible to every tree.
    params.colsample_bytree = 1.0;
    std::vector<NamedGbm> models;
    models.push_back({"outcome_all", fit_base_model(xa, rows, d.y, {}, strata_of(d, rows), params, o.validation_fraction)});
    log::info("S-learner: {} rows, {} rounds kept", rows.size(), models.back().model.num_rounds());
    return models;
}

ArmPredictions predict_s(const std::vector<NamedGbm>& m, int n_treated, const DenseMatrix& x) {
    const Gbm& model = find_model(m, "outcome_all");
    const int control_arm[] = {0};
    std::vector<std::vector<double>> treated;
    for (int k = 1; k <= n_treated; ++k) {
        const int arm[] = {k};
        treated.push_back(model.predict(with_arm_indicators(x, n_treated, arm)));
    }
    return from_outcomes(model.predict(with_arm_indicators(x, n_treated, control_arm)), std::move(treated));
}

std::vector<NamedGbm> fit_t(const LearnerData& d, const LearnerOptions& o) {
    std::vector<NamedGbm> models;
    for (int a = 0; a <= d.n_treated; ++a) {
        const auto rows = rows_in_arms(d.arm, a);
        models.push_back({outcome_name(a), fit_outcome(d, rows, o, static_cast<std::uint64_t>(a))});
        log::info("arm {}: {} rows, {} rounds kept", a, rows.size(), models.back().model.num_rounds());
    }
    return models;
}

ArmPredictions predict_t(const std::vector<NamedGbm>& m, int n_treated, const DenseMatrix& x) {
    std::vector<std::vector<double>> treated;
    for (int k = 1; k <= n_treated; ++k) treated.push_back(find_model(m, outcome_name(k)).predict(x));
    return from_outcomes(find_model(m, outcome_name(0)).predict(x), std::move(treated));
}

}  // namespace uplift::model::detail
