// Class transformation (Jaskowski & Jaroszewicz, 2012): Z = 1 when a treated client bought or a control
// client did not. With both arms weighted to equal total mass (treated rows 0.5/p, control rows
// 0.5/(1 − p), p = the treated share), P(Z = 1 | x) = (1 + uplift(x)) / 2, so uplift = 2·P(Z = 1 | x) − 1.
// Valid only for a binary outcome and a constant treatment share, i.e. a randomised test; train refuses
// anything else before it gets here.

#include <fmt/format.h>

#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/model/learner_parts.hpp"
#include "uplift/model/split.hpp"

namespace uplift::model::detail {

std::vector<NamedGbm> fit_ct(const LearnerData& d, const Propensity& e, const LearnerOptions& o) {
    if (!d.binary) throw UsageError("--learner ct needs a binary outcome; use s, t, x or dr for a continuous one");
    std::vector<NamedGbm> models;
    models.push_back({outcome_name(0), fit_outcome(d, rows_in_arms(d.arm, 0), o, 0)});
    for (int k = 1; k <= d.n_treated; ++k) {
        const auto rows = rows_in_arms(d.arm, 0, k);
        const double p = e.share(k);
        std::vector<double> z, w;
        std::vector<int> z_arm;
        for (std::size_t r : rows) {
            const bool treated = d.arm[r] == k;
            z.push_back((treated ? d.y[r] > 0.5 : d.y[r] <= 0.5) ? 1.0 : 0.0);
            w.push_back(treated ? 0.5 / p : 0.5 / (1.0 - p));
            z_arm.push_back(treated ? 1 : 0);
        }
        GbmParams params = o.gbm;
        params.objective = Objective::Binary;
        params.seed = o.gbm.seed + 400 + static_cast<std::uint64_t>(k);
        models.push_back({fmt::format("ct_{}", k),
                          fit_base_model(d.x, rows, z, w, uplift_strata(z_arm, z), params, o.validation_fraction)});
        log::info("class transformation level {}: {} rows, {} rounds kept", k, rows.size(), models.back().model.num_rounds());
    }
    return models;
}

ArmPredictions predict_ct(const std::vector<NamedGbm>& m, int n_treated, const DenseMatrix& x) {
    std::vector<std::vector<double>> uplift;
    for (int k = 1; k <= n_treated; ++k) {
        auto u = find_model(m, fmt::format("ct_{}", k)).predict(x);
        for (double& v : u) v = 2.0 * v - 1.0;
        uplift.push_back(std::move(u));
    }
    return from_uplift(find_model(m, outcome_name(0)).predict(x), std::move(uplift), true);
}

}  // namespace uplift::model::detail
