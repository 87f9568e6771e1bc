#include "uplift/model/dr_loss.hpp"

#include <cmath>

#include "uplift/core/errors.hpp"

namespace uplift::model {

DrTargets dr_targets(const LearnerData& fit, const Propensity& e, const DenseMatrix& x, std::span<const double> y,
                     std::span<const int> arm, std::span<const double> propensity_column,
                     const LearnerOptions& nuisance) {
    const auto models = fit_learner(LearnerKind::T, fit, e, nuisance);
    const auto mu = predict_learner(LearnerKind::T, models, fit.n_treated, fit.binary, e, x, propensity_column);
    DrTargets t;
    for (int k = 1; k <= fit.n_treated; ++k) {
        const auto e_k = e.predict(x, k, propensity_column);
        const auto& mu_k = mu.treated[static_cast<std::size_t>(k - 1)];
        std::vector<double> psi(x.rows, std::nan(""));
        for (std::size_t i = 0; i < x.rows; ++i) {
            if (arm[i] != 0 && arm[i] != k) continue;
            double v = mu_k[i] - mu.control[i];
            if (arm[i] == k) v += (y[i] - mu_k[i]) / e_k[i];
            if (arm[i] == 0) v -= (y[i] - mu.control[i]) / (1.0 - e_k[i]);
            psi[i] = v;
        }
        t.psi.push_back(std::move(psi));
    }
    return t;
}

double dr_loss(const DrTargets& targets, const std::vector<std::vector<double>>& uplift) {
    if (uplift.size() != targets.psi.size()) throw InternalError("dr_loss: uplift and targets differ in levels");
    double total = 0;
    int levels = 0;
    for (std::size_t k = 0; k < targets.psi.size(); ++k) {
        const auto& psi = targets.psi[k];
        if (uplift[k].size() != psi.size()) throw InternalError("dr_loss: uplift and targets differ in rows");
        double sum = 0;
        std::size_t n = 0;
        for (std::size_t i = 0; i < psi.size(); ++i) {
            if (std::isnan(psi[i])) continue;
            const double d = psi[i] - uplift[k][i];
            sum += d * d;
            ++n;
        }
        if (n == 0) continue;
        total += sum / static_cast<double>(n);
        ++levels;
    }
    return levels == 0 ? std::nan("") : total / levels;
}

}  // namespace uplift::model
