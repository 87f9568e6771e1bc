// Our walk of XGBoost's trees against XGBoost 1.7's own prediction, to the last bit.
#include "uplift/model/gbm.hpp"
#include "uplift/model/tree_ensemble.hpp"
#include "uplift/model/xgb_handles.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

using uplift::model::DenseMatrix;
using uplift::model::Gbm;
using uplift::model::GbmParams;
using uplift::model::Objective;
using uplift::model::TreeEnsemble;
namespace xgb = uplift::model::xgb;

namespace {

constexpr std::size_t kCols = 5;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

/// Rows whose values repeat on a coarse grid (so that many equal a split exactly), with ~10% missing; the
/// outcome depends on features 0, 1 and 3.
DenseMatrix make_rows(std::size_t rows, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> grid(-20, 20);
    std::uniform_real_distribution<float> u01(0.0f, 1.0f);
    DenseMatrix x;
    x.rows = rows;
    x.cols = kCols;
    x.values.resize(rows * kCols);
    for (float& v : x.values) v = u01(rng) < 0.1f ? kNaN : static_cast<float>(grid(rng)) / 8.0f;
    return x;
}

std::vector<float> make_outcome(const DenseMatrix& x, Objective objective, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u01(0.0f, 1.0f);
    std::vector<float> y;
    for (std::size_t r = 0; r < x.rows; ++r) {
        const auto at = [&](std::size_t c) { return std::isnan(x.at(r, c)) ? 0.5f : x.at(r, c); };
        const float f = at(0) - 0.5f * at(1) * at(3) + (std::isnan(x.at(r, 2)) ? 1.0f : 0.0f);
        y.push_back(objective == Objective::Binary ? (u01(rng) < 1.0f / (1.0f + std::exp(-f)) ? 1.0f : 0.0f)
                                                   : f + u01(rng));
    }
    return y;
}

/// A model fitted on `x` to make_outcome(x, objective, outcome_seed): every round kept, two threads, and the
/// rest of XGBoost's settings as `adjust` leaves them.
Gbm fit_on(const DenseMatrix& x, Objective objective, unsigned outcome_seed,
           const std::function<void(GbmParams&)>& adjust) {
    GbmParams p;
    p.objective = objective;
    p.early_stopping_rounds = 0;
    p.threads = 2;
    adjust(p);
    return Gbm::train(x, make_outcome(x, objective, outcome_seed), {}, nullptr, {}, p);
}

Gbm fit(Objective objective, int depth, int rounds, unsigned seed) {
    return fit_on(make_rows(4000, seed), objective, seed + 1, [&](GbmParams& p) {
        p.num_rounds = rounds;
        p.max_depth = depth;
        p.learning_rate = 0.3;
        p.seed = seed;
    });
}

xgb::Booster booster_of(const Gbm& model) { return xgb::Booster::from_buffer(model.to_json()); }

TreeEnsemble ensemble_of(const xgb::Booster& booster) {
    std::string why_not;
    auto e = TreeEnsemble::from_ubjson(booster.save_ubj(), kCols, &why_not);
    INFO(why_not);
    REQUIRE(e.has_value());
    return std::move(*e);
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

std::vector<float> walk(const TreeEnsemble& e, const std::vector<float>& rows, int threads) {
    std::vector<float> out(rows.size() / e.num_features());
    e.predict(rows.data(), out.size(), out.data(), threads);
    return out;
}

/// Rows of `x` whose prediction by `model` differs from XGBoost's own by `booster` (the same model).
std::size_t differences_from_xgboost(const Gbm& model, const xgb::Booster& booster, const DenseMatrix& x) {
    const std::vector<double> got = model.predict(x);
    const std::vector<float> expected = booster.predict_dense(x.values, x.rows, x.cols);
    REQUIRE(got.size() == expected.size());
    std::size_t differ = 0;
    for (std::size_t i = 0; i < got.size(); ++i) differ += got[i] != static_cast<double>(expected[i]) ? 1 : 0;
    return differ;
}

/// The model's UBJSON with one change to its first tree, for the refusals.
std::vector<std::uint8_t> edited(const xgb::Booster& booster, const auto& edit) {
    nlohmann::json doc = nlohmann::json::from_ubjson(booster.save_ubj());
    edit(doc["learner"]["gradient_booster"]["model"]["trees"][0]);
    return nlohmann::json::to_ubjson(doc);
}

}  // namespace

TEST_CASE("The tree walk gives XGBoost's predictions to the bit", "[tree_ensemble]") {
    const auto objective = GENERATE(Objective::Binary, Objective::Regression);
    const int depth = GENERATE(1, 3, 6, 9);
    INFO("depth " << depth << (objective == Objective::Binary ? " binary" : " regression"));
    const Gbm model = fit(objective, depth, 40, 7u + static_cast<unsigned>(depth));
    const xgb::Booster booster = booster_of(model);
    const TreeEnsemble e = ensemble_of(booster);
    CHECK(e.num_trees() == 40);

    // Rows of the grid (values equal to splits), a few not seen in training, 10% missing; 3,001 rows, so the
    // last block and the last group of eight are partial.
    const DenseMatrix x = make_rows(3001, 99);
    const std::vector<float> expected = booster.predict_dense(x.values, x.rows, x.cols);
    for (const int threads : {1, 2, 3}) {
        INFO("threads " << threads);
        CHECK(same_bits(walk(e, x.values, threads), expected));
    }
    // Every leaf, at the edges of its path and with the values that may be missing left out.
    const std::vector<float> probes = e.probe_rows();
    REQUIRE(!probes.empty());
    CHECK(same_bits(walk(e, probes, 2), booster.predict_dense(probes, probes.size() / kCols, kCols)));
}

TEST_CASE("Gbm predicts large batches with the tree walk and gives XGBoost's values", "[tree_ensemble]") {
    // 60,000 rows is above the size from which Gbm walks the trees itself.
    const Gbm model = fit(Objective::Binary, 6, 30, 3);
    const xgb::Booster booster = booster_of(model);
    CHECK(differences_from_xgboost(model, booster, make_rows(60'000, 5)) == 0);
}

TEST_CASE("A tree that is one leaf, and a model with no splits", "[tree_ensemble]") {
    // A minimum child weight no node reaches: every tree is its root, a leaf.
    const DenseMatrix x = make_rows(500, 1);
    const Gbm model = fit_on(x, Objective::Binary, 2, [](GbmParams& p) {
        p.num_rounds = 3;
        p.threads = 1;
        p.min_child_weight = 1e9;
    });
    const xgb::Booster booster = booster_of(model);
    const TreeEnsemble e = ensemble_of(booster);
    CHECK(same_bits(walk(e, x.values, 1), booster.predict_dense(x.values, x.rows, x.cols)));
}

TEST_CASE("Models the tree walk cannot evaluate are refused with the reason", "[tree_ensemble]") {
    const Gbm model = fit(Objective::Binary, 3, 5, 11);
    const xgb::Booster booster = booster_of(model);
    std::string why_not;
    const auto refused = [&](const std::vector<std::uint8_t>& bytes, std::size_t cols = kCols) {
        why_not.clear();
        return !TreeEnsemble::from_ubjson(bytes, cols, &why_not).has_value() && !why_not.empty();
    };
    CHECK(refused(edited(booster, [](nlohmann::json& tree) { tree["split_type"][0] = 1; })));
    CHECK(why_not.find("categorical") != std::string::npos);
    CHECK(refused(edited(booster, [](nlohmann::json& tree) { tree["split_indices"][0] = 17; })));
    CHECK(why_not.find("feature 17") != std::string::npos);
    CHECK(refused(edited(booster, [](nlohmann::json& tree) { tree["left_children"][0] = 1000; })));
    CHECK(why_not.find("outside") != std::string::npos);
    // The root's left child points back at the root: the walk would never end.
    CHECK(refused(edited(booster, [](nlohmann::json& tree) {
        const int left = tree["left_children"][0].get<int>();
        tree["left_children"][left] = 0;
        tree["split_indices"][left] = 0;
    })));
    CHECK(why_not.find("cycle") != std::string::npos);
    CHECK(refused(booster.save_ubj(), 0));
    const std::vector<std::uint8_t> garbage = {'{', 'x', 0, 1};
    CHECK(refused(garbage));
    CHECK(why_not.find("UBJSON") != std::string::npos);
}

TEST_CASE("A model the walk refuses is predicted by XGBoost itself", "[tree_ensemble]") {
    // DART scales its trees by their drop weights, which the walk does not read: it refuses the booster, and
    // Gbm's 60,000-row prediction is XGBoost's own.
    const Gbm model = fit_on(make_rows(2000, 21), Objective::Binary, 22, [](GbmParams& p) {
        p.num_rounds = 10;
        p.extra = {{"booster", "dart"}};
    });
    const xgb::Booster booster = booster_of(model);
    std::string why_not;
    CHECK_FALSE(TreeEnsemble::from_ubjson(booster.save_ubj(), kCols, &why_not).has_value());
    CHECK(why_not == "booster dart");
    CHECK(differences_from_xgboost(model, booster, make_rows(60'000, 23)) == 0);
}
