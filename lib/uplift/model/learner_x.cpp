// The X-learner (Künzel et al., 2019): T-learner outcome models impute each client's effect, two effect
// models learn it (one from the treated, one from the control rows), and the propensity blends them:
// tau(x) = e(x)·tau_control(x) + (1 − e(x))·tau_treated(x).

#include <fmt/format.h>

#include "uplift/core/log.hpp"
#include "uplift/model/design_matrix.hpp"
#include "uplift/model/learner_parts.hpp"

namespace uplift::model::detail {

std::vector<NamedGbm> fit_x(const LearnerData& d, const LearnerOptions& o) {
    const auto control_rows = rows_in_arms(d.arm, 0);
    Gbm mu0 = fit_outcome(d, control_rows, o, 0);
    const DenseMatrix x_control = take_rows(d.x, control_rows);
    std::vector<NamedGbm> tau_control, tau_treated;
    for (int k = 1; k <= d.n_treated; ++k) {
        const auto treated_rows = rows_in_arms(d.arm, k);
        const Gbm mu_k = fit_outcome(d, treated_rows, o, static_cast<std::uint64_t>(k));
        // Imputed effects: what the offer did for the treated, what it would have done for the controls.
        std::vector<double> d1 = mu0.predict(take_rows(d.x, treated_rows));
        for (std::size_t i = 0; i < treated_rows.size(); ++i) d1[i] = d.y[treated_rows[i]] - d1[i];
        std::vector<double> d0 = mu_k.predict(x_control);
        for (std::size_t i = 0; i < control_rows.size(); ++i) d0[i] -= d.y[control_rows[i]];
        tau_treated.push_back({fmt::format("tau_treated_{}", k), fit_effect(d, treated_rows, d1, o, 200 + static_cast<std::uint64_t>(k))});
        tau_control.push_back({fmt::format("tau_control_{}", k), fit_effect(d, control_rows, d0, o, 100 + static_cast<std::uint64_t>(k))});
        log::info("X-learner level {}: effect models {} / {} rounds", k, tau_control.back().model.num_rounds(),
                  tau_treated.back().model.num_rounds());
    }
    std::vector<NamedGbm> models;
    models.push_back({outcome_name(0), std::move(mu0)});
    for (auto& m : tau_control) models.push_back(std::move(m));
    for (auto& m : tau_treated) models.push_back(std::move(m));
    return models;
}

ArmPredictions predict_x(const std::vector<NamedGbm>& m, int n_treated, bool binary, const Propensity& e,
                         const DenseMatrix& x, std::span<const double> column) {
    std::vector<std::vector<double>> uplift;
    for (int k = 1; k <= n_treated; ++k) {
        const auto t0 = find_model(m, fmt::format("tau_control_{}", k)).predict(x);
        const auto t1 = find_model(m, fmt::format("tau_treated_{}", k)).predict(x);
        const auto g = e.predict(x, k, column);
        std::vector<double> u(x.rows);
        for (std::size_t i = 0; i < x.rows; ++i) u[i] = g[i] * t0[i] + (1.0 - g[i]) * t1[i];
        uplift.push_back(std::move(u));
    }
    return from_uplift(find_model(m, outcome_name(0)).predict(x), std::move(uplift), binary);
}

}  // namespace uplift::model::detail
