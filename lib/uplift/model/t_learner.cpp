#include "uplift/model/t_learner.hpp"

#include <fmt/format.h>

#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/model/design_matrix.hpp"
#include "uplift/model/split.hpp"

namespace uplift::model {

TLearner TLearner::fit(const DenseMatrix& x, std::span<const double> y, std::span<const int> arm, int n_treated,
                       const LearnerOptions& options) {
    if (x.rows != y.size() || y.size() != arm.size()) throw InternalError("T-learner: rows, outcomes and arms differ in length");
    std::vector<Gbm> models;
    for (int a = 0; a <= n_treated; ++a) {
        std::vector<std::size_t> rows;
        for (std::size_t i = 0; i < arm.size(); ++i) {
            if (arm[i] == a) rows.push_back(i);
        }
        if (rows.size() < 10) {
            throw DataError(fmt::format("arm {} has {} training rows; a model needs at least 10",
                                        a == 0 ? std::string("control") : fmt::format("#{}", a), rows.size()));
        }
        std::vector<double> arm_y;
        for (std::size_t r : rows) arm_y.push_back(y[r]);
        // Early stopping watches a slice of this arm's own rows, never the holdout.
        const auto inner = stratified_split(uplift_strata(std::vector<int>(rows.size(), 0), arm_y),
                                            options.validation_fraction, options.gbm.seed + static_cast<std::uint64_t>(a));
        const auto pick = [&](const std::vector<std::size_t>& part) {
            std::vector<std::size_t> global;
            std::vector<float> labels;
            for (std::size_t p : part) {
                global.push_back(rows[p]);
                labels.push_back(static_cast<float>(arm_y[p]));
            }
            return std::make_pair(take_rows(x, global), labels);
        };
        auto [train_x, train_y] = pick(inner.train);
        auto [valid_x, valid_y] = pick(inner.holdout);
        GbmParams params = options.gbm;
        params.seed = options.gbm.seed + static_cast<std::uint64_t>(a);
        const bool with_validation = !inner.holdout.empty();
        models.push_back(Gbm::train(train_x, train_y, {}, with_validation ? &valid_x : nullptr, valid_y, params));
        log::info("arm {}: {} rows, {} rounds kept", a, rows.size(), models.back().num_rounds());
    }
    return TLearner(std::move(models));
}

TLearner TLearner::from_models(std::vector<Gbm> models) {
    if (models.size() < 2) throw ModelError("a T-learner needs a control model and at least one treated model");
    return TLearner(std::move(models));
}

ArmPredictions TLearner::predict(const DenseMatrix& x) const { return predict_arms(models_, x); }

ArmPredictions predict_arms(const std::vector<Gbm>& models, const DenseMatrix& x) {
    ArmPredictions out;
    out.control = models.front().predict(x);
    for (std::size_t k = 1; k < models.size(); ++k) {
        out.treated.push_back(models[k].predict(x));
        std::vector<double> u(x.rows);
        for (std::size_t i = 0; i < x.rows; ++i) u[i] = out.treated.back()[i] - out.control[i];
        out.uplift.push_back(std::move(u));
    }
    return out;
}

}  // namespace uplift::model
