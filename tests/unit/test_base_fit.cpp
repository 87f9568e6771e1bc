#include "uplift/model/base_fit.hpp"
#include "uplift/model/design_matrix.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <vector>

using uplift::model::DenseMatrix;
using uplift::model::fit_base_model;
using uplift::model::Gbm;
using uplift::model::GbmParams;

namespace {

/// Pure-noise labels: a validation split would pick an early best round and cut the model back to it.
struct Noise {
    DenseMatrix x;
    std::vector<std::size_t> rows;  ///< every other row, as a learner passes one arm's rows
    std::vector<double> target;
    std::vector<int> strata;
};

Noise make_noise(std::size_t n) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    Noise d;
    d.x = DenseMatrix{n, 3, {}};
    for (std::size_t i = 0; i < n * 3; ++i) d.x.values.push_back(u(rng));
    for (std::size_t r = 0; r < n; r += 2) {
        d.rows.push_back(r);
        d.target.push_back(u(rng) < 0.3f ? 1.0 : 0.0);
        d.strata.push_back(static_cast<int>(d.target.back()));
    }
    return d;
}

}  // namespace

TEST_CASE("early stopping 0 fits every row and keeps every round", "[base_fit]") {
    const auto d = make_noise(2000);
    GbmParams params;
    params.num_rounds = 30;
    params.learning_rate = 0.3;
    params.early_stopping_rounds = 0;
    params.threads = 1;
    const Gbm fitted = fit_base_model(d.x, d.rows, d.target, {}, d.strata, params, 0.1);
    CHECK(fitted.num_rounds() == 30);
    CHECK(fitted.validation_history().empty());  // nothing was held back to track
    CHECK_FALSE(fitted.best_score().has_value());

    // The same booster as one trained directly on all the rows: none was left out.
    const DenseMatrix all = uplift::model::take_rows(d.x, d.rows);
    const std::vector<float> labels(d.target.begin(), d.target.end());
    const Gbm direct = Gbm::train(all, labels, {}, nullptr, {}, params);
    CHECK(fitted.predict(d.x) == direct.predict(d.x));
}

TEST_CASE("early stopping above 0 holds back the validation share and tracks it", "[base_fit]") {
    const auto d = make_noise(2000);
    GbmParams params;
    params.num_rounds = 30;
    params.learning_rate = 0.3;
    params.early_stopping_rounds = 5;
    params.threads = 1;
    const Gbm fitted = fit_base_model(d.x, d.rows, d.target, {}, d.strata, params, 0.1);
    CHECK_FALSE(fitted.validation_history().empty());
    CHECK(fitted.best_score().has_value());
    CHECK(fitted.num_rounds() == fitted.best_iteration() + 1);
}
