// The DR-learner (Kennedy, 2020): doubly robust pseudo-outcomes
//   psi = mu_k(x) − mu_0(x) + T·(y − mu_k(x)) / e(x) − (1 − T)·(y − mu_0(x)) / (1 − e(x)),
// with mu and e fitted on the other folds (cross-fitting, so no row's pseudo-outcome uses a model that saw it),
// then one regression of psi on x per treated level.

#include <fmt/format.h>

#include "uplift/core/log.hpp"
#include "uplift/model/design_matrix.hpp"
#include "uplift/model/learner_parts.hpp"
#include "uplift/model/split.hpp"

namespace uplift::model::detail {

namespace {

/// The propensity of the rows in `fold_rows` from a model fitted without them.
Propensity propensity_without_fold(const LearnerData& d, const Propensity& e, std::span<const std::size_t> other_rows) {
    std::vector<int> arm;
    for (std::size_t r : other_rows) arm.push_back(d.arm[r]);
    if (e.source() == PropensitySource::Model) return Propensity::fit_model(take_rows(d.x, other_rows), arm, d.n_treated);
    return e.source() == PropensitySource::Column ? e : Propensity::shares(arm, d.n_treated);
}

}  // namespace

std::vector<NamedGbm> fit_dr(const LearnerData& d, const Propensity& e, const LearnerOptions& o) {
    const int folds = std::max(2, o.dr_folds);
    std::vector<int> all_arms(d.arm.begin(), d.arm.end());
    const auto fold = stratified_folds(uplift_strata(all_arms, std::vector<double>(d.y.begin(), d.y.end())), folds,
                                       o.gbm.seed + 7);
    // psi[k-1][row]: filled for rows of control and level k.
    std::vector<std::vector<double>> psi(static_cast<std::size_t>(d.n_treated), std::vector<double>(d.x.rows, 0.0));
    for (int f = 0; f < folds; ++f) {
        std::vector<std::size_t> in_fold, other;
        for (std::size_t i = 0; i < fold.size(); ++i) (fold[i] == f ? in_fold : other).push_back(i);
        const DenseMatrix x_fold = take_rows(d.x, in_fold);
        const std::uint64_t offset = 1000 + static_cast<std::uint64_t>(f) * 100;
        std::vector<std::size_t> other_control;
        for (std::size_t r : other) {
            if (d.arm[r] == 0) other_control.push_back(r);
        }
        const auto mu0 = fit_outcome(d, other_control, o, offset).predict(x_fold);
        const Propensity e_fold = propensity_without_fold(d, e, other);
        std::vector<double> column_fold;
        if (!d.propensity_column.empty()) column_fold = pick(d.propensity_column, in_fold);
        for (int k = 1; k <= d.n_treated; ++k) {
            std::vector<std::size_t> other_k;
            for (std::size_t r : other) {
                if (d.arm[r] == k) other_k.push_back(r);
            }
            const auto mu_k = fit_outcome(d, other_k, o, offset + static_cast<std::uint64_t>(k)).predict(x_fold);
            const auto e_k = e_fold.predict(x_fold, k, column_fold);
            auto& out = psi[static_cast<std::size_t>(k - 1)];
            for (std::size_t i = 0; i < in_fold.size(); ++i) {
                const std::size_t r = in_fold[i];
                const double y = d.y[r];
                double v = mu_k[i] - mu0[i];
                if (d.arm[r] == k) v += (y - mu_k[i]) / e_k[i];
                if (d.arm[r] == 0) v -= (y - mu0[i]) / (1.0 - e_k[i]);
                out[r] = v;
            }
        }
        log::info("DR-learner: fold {}/{} cross-fitted", f + 1, folds);
    }
    std::vector<NamedGbm> models;
    models.push_back({outcome_name(0), fit_outcome(d, rows_in_arms(d.arm, 0), o, 0)});
    for (int k = 1; k <= d.n_treated; ++k) {
        const auto rows = rows_in_arms(d.arm, 0, k);
        const auto target = pick(psi[static_cast<std::size_t>(k - 1)], rows);
        models.push_back({fmt::format("tau_{}", k), fit_effect(d, rows, target, o, 300 + static_cast<std::uint64_t>(k))});
    }
    return models;
}

ArmPredictions predict_dr(const std::vector<NamedGbm>& m, int n_treated, bool binary, const DenseMatrix& x) {
    std::vector<std::vector<double>> uplift;
    for (int k = 1; k <= n_treated; ++k) uplift.push_back(find_model(m, fmt::format("tau_{}", k)).predict(x));
    return from_uplift(find_model(m, outcome_name(0)).predict(x), std::move(uplift), binary);
}

}  // namespace uplift::model::detail
