// The uplift learners (s, t, x, dr, ct, forest), propensity, randomisation check, importance and segments,
// checked against a simulated truth: every client's true uplift is known.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>

#include "uplift/core/errors.hpp"
#include "uplift/core/random.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/model/bundle.hpp"
#include "uplift/model/propensity.hpp"
#include "uplift/model/randomisation.hpp"
#include "uplift/model/scoring.hpp"
#include "uplift/model/train.hpp"
#include "support/experiments.hpp"

namespace fs = std::filesystem;
namespace um = uplift::model;
using uplift::io::Column;
using uplift::io::Table;

namespace {

struct Simulated {
    Table table;
    std::vector<double> true_uplift;  ///< of the first treated level
};

/// Clients with x0..x3 uniform in [-1, 1]. Offer "a" helps in proportion to max(x0, 0) and hurts where x2 < −0.6
/// (sleeping dogs); offer "b" (when `two_offers`) helps where x1 > 0. Treatment is random with share 1/2, or
/// depends on x1 when `confounded`. Binary outcome, or spend (lognormal-ish) when `!binary`.
Simulated simulate(std::size_t n, std::uint64_t seed, bool two_offers = false, bool confounded = false, bool binary = true) {
    uplift::Rng rng(seed);
    std::vector<std::int64_t> id(n);
    std::vector<std::string> arm(n);
    std::vector<double> y(n), truth(n);
    std::vector<std::vector<double>> x(4, std::vector<double>(n));
    for (std::size_t i = 0; i < n; ++i) {
        id[i] = static_cast<std::int64_t>(i);
        for (auto& col : x) col[i] = rng.uniform01() * 2 - 1;
        const double p_control = 0.3 + 0.1 * x[1][i];
        const double tau_a = 0.3 * std::max(x[0][i], 0.0) - (x[2][i] < -0.6 ? 0.1 : 0.0);
        const double tau_b = x[1][i] > 0 ? 0.15 : 0.0;
        truth[i] = tau_a;
        const double u = rng.uniform01();
        const double share = confounded ? 1.0 / (1.0 + std::exp(-2.5 * x[1][i])) : 0.5;
        std::string a = u < share ? "a" : "none";
        if (two_offers && a == "a" && rng.below(2) == 1) a = "b";
        arm[i] = a;
        const double p = p_control + (a == "a" ? tau_a : a == "b" ? tau_b : 0.0);
        if (binary) {
            y[i] = rng.uniform01() < p ? 1.0 : 0.0;
        } else {
            y[i] = 100.0 * p + 10.0 * (rng.uniform01() - 0.5);
            truth[i] = 100.0 * tau_a;
        }
    }
    Table t({Column::int64s("id", id), Column::strings("arm", arm), Column::doubles("y", y), Column::doubles("x0", x[0]),
             Column::doubles("x1", x[1]), Column::doubles("x2", x[2]), Column::doubles("x3", x[3])});
    uplift::data::Roles roles;
    roles.id = "id";
    roles.treatment = "arm";
    roles.control = "none";
    roles.treatment_levels = two_offers ? std::vector<std::string>{"a", "b"} : std::vector<std::string>{"a"};
    roles.outcome = "y";
    roles.outcome_type = binary ? uplift::data::OutcomeType::Binary : uplift::data::OutcomeType::Continuous;
    roles.features = {"x0", "x1", "x2", "x3"};
    uplift::data::store_roles(t.metadata(), roles);
    return {std::move(t), std::move(truth)};
}

fs::path fresh_dir(const std::string& name) { return test_support::fresh_dir("test_learners", name); }

um::TrainOptions small_options(um::LearnerKind learner) {
    um::TrainOptions o;
    o.learner = learner;
    o.seed = 5;
    o.holdout = 0.0;
    if (learner != um::LearnerKind::Forest) o.gbm.num_rounds = 120;  // the forest refuses boosting flags
    o.gbm.max_depth = 4;
    o.permutation_repeats = 0;
    return o;
}

um::TrainResult train_on(const Table& t, const std::string& name, const um::TrainOptions& o) {
    const auto dir = fresh_dir(name);
    uplift::io::write_table(t, dir / "train.parquet");
    return um::train_uplift(t, dir / "train.parquet", o);
}

/// Share of the oracle's total true uplift in its top 30% that the model's top 30% captures.
double oracle_share(std::span<const double> predicted, std::span<const double> truth) {
    const std::size_t top = truth.size() * 3 / 10;
    const auto top_sum = [&](std::span<const double> key) {
        std::vector<std::size_t> order(truth.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key[a] > key[b]; });
        double sum = 0;
        for (std::size_t i = 0; i < top; ++i) sum += truth[order[i]];
        return sum;
    };
    return top_sum(predicted) / top_sum(truth);
}

}  // namespace

TEST_CASE("T, X and DR put at least 80% of the oracle's true uplift in their top 30%", "[learners][oracle]") {
    const auto train = simulate(16000, 1);
    const auto fresh = simulate(8000, 2);
    for (const auto learner : {um::LearnerKind::T, um::LearnerKind::X, um::LearnerKind::DR, um::LearnerKind::S,
                               um::LearnerKind::CT, um::LearnerKind::Forest}) {
        INFO("learner " << um::to_string(learner));
        const auto r = train_on(train.table, "oracle_" + um::to_string(learner), small_options(learner));
        const auto scores = um::score_table(r.bundle, fresh.table, nullptr);
        const double share = oracle_share(scores.column("uplift__a").double_values(), fresh.true_uplift);
        // S, CT and the forest are held to a lower bar: the issue asks 80% of T, X and DR only.
        const bool strict = learner == um::LearnerKind::T || learner == um::LearnerKind::X || learner == um::LearnerKind::DR;
        CHECK(share >= (strict ? 0.8 : 0.6));
        CHECK(share <= 1.0 + 1e-12);
    }
}

TEST_CASE("every learner scores every offer, a saved bundle scores exactly like the trained one", "[learners]") {
    const auto data = simulate(6000, 3, /*two_offers=*/true);
    for (const auto learner : {um::LearnerKind::S, um::LearnerKind::T, um::LearnerKind::X, um::LearnerKind::DR,
                               um::LearnerKind::CT, um::LearnerKind::Forest}) {
        INFO("learner " << um::to_string(learner));
        auto o = small_options(learner);
        o.holdout = 0.3;
        if (learner != um::LearnerKind::Forest) o.gbm.num_rounds = 40;
        // The forest's defaults (leaves of 400 rows, n_reg 300, 30% of the rows per tree, half of them choosing the
        // splits) were chosen on Hillstrom's 30,000 training rows; on these 4,200 they leave almost no split (offer
        // b's gap below: 0.005 of 0.15). Leaves, shrinkage, row sample and adaptive trees for this size and this strong
        // an effect (docs/forest.md, "Small data": honest trees, on half the rows, found a gap of 0.03 here).
        if (learner == um::LearnerKind::Forest) {
            o.forest.min_samples_leaf = 50;
            o.forest.n_reg = 30;
            o.forest.row_subsample = 0.5;
            o.forest.honest = false;
        }
        o.dr_folds = 3;
        o.permutation_repeats = 1;
        const auto name = "multi_" + um::to_string(learner);
        const auto r = train_on(data.table, name, o);
        REQUIRE(r.metrics.size() == 2);
        const auto dir = fresh_dir(name + "_bundle");
        r.bundle.save(dir / "model", false);
        const auto loaded = um::ModelBundle::load(dir / "model");
        REQUIRE(loaded.learner == learner);
        const auto a = um::score_table(r.bundle, data.table, nullptr);
        const auto b = um::score_table(loaded, data.table, nullptr);
        for (const char* column : {"p__control", "p__a", "p__b", "uplift__a", "uplift__b", "best_uplift"}) {
            const auto va = a.column(column).double_values();
            const auto vb = b.column(column).double_values();
            REQUIRE(std::equal(va.begin(), va.end(), vb.begin()));
        }
        // p__L − p__control is the uplift wherever the probability was not clipped.
        const auto p0 = a.column("p__control").double_values();
        const auto pa = a.column("p__a").double_values();
        const auto ua = a.column("uplift__a").double_values();
        for (std::size_t i = 0; i < p0.size(); ++i) {
            REQUIRE(pa[i] >= 0.0);
            REQUIRE(pa[i] <= 1.0);
            if (pa[i] > 0 && pa[i] < 1) REQUIRE(pa[i] - p0[i] == Approx(ua[i]).margin(1e-9));
        }
        // Offer b helps only where x1 > 0: its uplift must be larger there.
        const auto ub = a.column("uplift__b").double_values();
        const auto x1 = data.table.column("x1").double_values();
        double in = 0, out = 0;
        int n_in = 0, n_out = 0;
        for (std::size_t i = 0; i < x1.size(); ++i) (x1[i] > 0 ? (in += ub[i], ++n_in) : (out += ub[i], ++n_out));
        CHECK(in / n_in - out / n_out > 0.05);
        REQUIRE(r.permutation.size() == 4);
        REQUIRE(r.gain.size() == 4);
    }
}

TEST_CASE("permutation importance ranks the effect modifiers above noise", "[learners][importance]") {
    auto o = small_options(um::LearnerKind::T);
    o.holdout = 0.4;
    o.permutation_repeats = 2;
    const auto r = train_on(simulate(12000, 4).table, "perm", o);
    REQUIRE(r.permutation.size() == 4);
    CHECK(r.permutation.front().feature == "x0");  // the strongest driver of uplift
    const auto noise = std::find_if(r.permutation.begin(), r.permutation.end(), [](const auto& p) { return p.feature == "x3"; });
    REQUIRE(noise != r.permutation.end());
    CHECK(r.permutation.front().qini_auc_drop > 5 * std::abs(noise->qini_auc_drop));
    double share = 0;
    for (const auto& g : r.gain) share += g.share;
    CHECK(share == Approx(1.0));
    REQUIRE(r.bundle.importance);
    REQUIRE(r.bundle.importance->permutation.size() == 4);
    REQUIRE(r.bundle.importance->gain.size() == 4);
}

TEST_CASE("continuous outcomes: every learner but ct trains, ct refuses", "[learners]") {
    const auto data = simulate(5000, 6, false, false, /*binary=*/false);
    for (const auto learner : {um::LearnerKind::S, um::LearnerKind::T, um::LearnerKind::X, um::LearnerKind::DR}) {
        INFO("learner " << um::to_string(learner));
        auto o = small_options(learner);
        o.gbm.num_rounds = 60;
        o.dr_folds = 3;
        const auto r = train_on(data.table, "spend_" + um::to_string(learner), o);
        const auto s = um::score_table(r.bundle, data.table, nullptr);
        REQUIRE_FALSE(s.has("uplift_segment"));  // segments are for purchase probabilities
        CHECK(oracle_share(s.column("uplift__a").double_values(), data.true_uplift) > 0.6);
    }
    REQUIRE_THROWS_AS(train_on(data.table, "spend_ct", small_options(um::LearnerKind::CT)), uplift::UsageError);
}

TEST_CASE("the randomisation check flags a confounded assignment, ct then refuses", "[learners][propensity]") {
    const auto random = train_on(simulate(6000, 7).table, "rand_ok", small_options(um::LearnerKind::T));
    REQUIRE(random.randomisation.size() == 1);
    CHECK_FALSE(random.randomisation[0].flagged);
    CHECK(std::abs(random.randomisation[0].auc - 0.5) < 0.05);

    const auto confounded = simulate(6000, 8, false, /*confounded=*/true);
    const auto r = train_on(confounded.table, "rand_bad", small_options(um::LearnerKind::T));
    CHECK(r.randomisation[0].flagged);
    CHECK(r.randomisation[0].auc > 0.7);
    REQUIRE_THROWS_WITH(train_on(confounded.table, "rand_ct", small_options(um::LearnerKind::CT)),
                        Catch::Contains("randomised test"));
    auto o = small_options(um::LearnerKind::CT);
    o.propensity = um::PropensitySource::Model;
    REQUIRE_THROWS_AS(train_on(simulate(500, 9).table, "ct_model", o), uplift::UsageError);
}

TEST_CASE("the logistic propensity model solves its penalised likelihood and recovers the assignment", "[learners][propensity]") {
    const auto data = simulate(20000, 10, false, /*confounded=*/true);
    um::DenseMatrix x;
    x.rows = data.table.num_rows();
    x.cols = 4;
    for (std::size_t i = 0; i < x.rows; ++i) {
        for (const char* c : {"x0", "x1", "x2", "x3"}) x.values.push_back(static_cast<float>(data.table.column(c).double_values()[i]));
    }
    std::vector<std::size_t> rows(x.rows);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    std::vector<double> label;
    for (const auto& a : data.table.column("arm").string_values()) label.push_back(a == "a" ? 1.0 : 0.0);
    const double l2 = 1.0;
    const auto m = um::fit_logistic(x, rows, label, l2);
    // Optimality, checked independently of the solver: the penalised score vanishes at the solution.
    std::vector<double> gradient(5, 0.0);
    for (std::size_t i = 0; i < x.rows; ++i) {
        const double p = um::predict_logistic(m, std::span<const float>(x.values.data() + i * 4, 4));
        gradient[0] += label[i] - p;
        for (std::size_t j = 0; j < 4; ++j) gradient[j + 1] += (label[i] - p) * (x.values[i * 4 + j] - m.mean[j]) / m.scale[j];
    }
    for (std::size_t j = 0; j < 4; ++j) gradient[j + 1] -= l2 * m.coef[j];
    for (double g : gradient) CHECK(std::abs(g) < 1e-6);
    // The truth: logit = 2.5·x1, x1 uniform on [−1, 1] (sd 1/√3): standardised coefficient 2.5/√3 ≈ 1.443.
    CHECK(m.coef[1] == Approx(2.5 / std::sqrt(3.0)).epsilon(0.06));
    CHECK(std::abs(m.coef[0]) < 0.06);
    CHECK(std::abs(m.intercept) < 0.06);

    const auto e = um::Propensity::fit_model(x, std::vector<int>(x.rows, 0), 1);  // all control: shares degenerate
    const auto restored = um::Propensity::from_record(e.record());
    REQUIRE(restored.record() == e.record());
    const auto p = restored.predict(x, 1, {});
    for (double v : p) REQUIRE((v >= 0.01 && v <= 0.99));
}

TEST_CASE("DR and X with a propensity model still find the effect on confounded data", "[learners][propensity]") {
    const auto train = simulate(16000, 11, false, true);
    const auto fresh = simulate(6000, 12);
    for (const auto learner : {um::LearnerKind::DR, um::LearnerKind::X}) {
        auto o = small_options(learner);
        o.propensity = um::PropensitySource::Model;
        o.dr_folds = 3;
        const auto r = train_on(train.table, "conf_" + um::to_string(learner), o);
        REQUIRE(r.bundle.propensity.source() == um::PropensitySource::Model);
        const auto s = um::score_table(r.bundle, fresh.table, nullptr);
        CHECK(oracle_share(s.column("uplift__a").double_values(), fresh.true_uplift) >= 0.75);
    }
}

TEST_CASE("a propensity column is checked, kept out of the features and used by the X-learner", "[learners][propensity]") {
    auto data = simulate(4000, 13);
    data.table.add_column(Column::doubles("e", std::vector<double>(data.table.num_rows(), 0.5)));
    auto roles = *uplift::data::load_roles(data.table.metadata());
    roles.features.push_back("e");
    uplift::data::store_roles(data.table.metadata(), roles);
    auto o = small_options(um::LearnerKind::X);
    o.propensity = um::PropensitySource::Column;
    o.propensity_column = "e";
    const auto r = train_on(data.table, "pcol", o);
    REQUIRE(std::find(r.bundle.roles.features.begin(), r.bundle.roles.features.end(), "e") == r.bundle.roles.features.end());
    um::ScoreStats stats;
    (void)um::score_table(r.bundle, data.table, &stats);
    REQUIRE(stats.propensity_fallback_rows == 0);

    auto bad = simulate(300, 14);
    std::vector<double> e(bad.table.num_rows(), 0.5);
    e[17] = 1.0;
    bad.table.add_column(Column::doubles("e", e));
    REQUIRE_THROWS_WITH(train_on(bad.table, "pcol_bad", o), Catch::Contains("row 18") && Catch::Contains("'e'"));
}

TEST_CASE("segments follow the documented thresholds", "[learners][segments]") {
    namespace ue = uplift::eval;
    const ue::KindThresholds t{0.02, 0.5};
    const auto kind = [&](double p0, double u) { return std::string(ue::to_string(ue::kind_of(p0, u, t))); };
    CHECK(kind(0.1, 0.02) == "persuadable");
    CHECK(kind(0.9, 0.05) == "persuadable");
    CHECK(kind(0.6, -0.02) == "sleeping_dog");
    CHECK(kind(0.5, 0.0) == "sure_thing");
    CHECK(kind(0.49, 0.019) == "lost_cause");
    REQUIRE_THROWS_AS(ue::check_thresholds({-0.1, 0.5}), uplift::UsageError);
    REQUIRE_THROWS_AS(ue::check_thresholds({0.01, 1.0}), uplift::UsageError);

    const auto data = simulate(4000, 15);
    const auto r = train_on(data.table, "seg", small_options(um::LearnerKind::T));
    um::ScoreStats stats;
    const auto s = um::score_table(r.bundle, data.table, &stats, {.segments = {0.05, 0.3}});
    const auto seg = s.column("uplift_segment").string_values();
    const auto u = s.column("best_uplift").double_values();
    const auto p0 = s.column("p_control").double_values();
    std::int64_t total = 0;
    for (const auto& [name, n] : stats.segments) total += n;
    REQUIRE(total == static_cast<std::int64_t>(s.num_rows()));
    for (std::size_t i = 0; i < seg.size(); ++i) {
        const std::string expected = u[i] >= 0.05 ? "persuadable" : u[i] <= -0.05 ? "sleeping_dog" : p0[i] >= 0.3 ? "sure_thing" : "lost_cause";
        REQUIRE(seg[i] == expected);
    }
    CHECK(stats.segments["persuadable"] > 0);
    CHECK(stats.segments["sleeping_dog"] > 0);
}

TEST_CASE("roc_auc equals the share of correctly ordered pairs", "[learners]") {
    uplift::Rng rng(16);
    for (int round = 0; round < 20; ++round) {
        std::vector<double> s;
        std::vector<std::uint8_t> l;
        for (int i = 0; i < 40; ++i) {
            s.push_back(static_cast<double>(rng.below(8)));  // many ties
            l.push_back(static_cast<std::uint8_t>(rng.below(2)));
        }
        double good = 0, pairs = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            for (std::size_t j = 0; j < s.size(); ++j) {
                if (l[i] != 1 || l[j] != 0) continue;
                pairs += 1;
                good += s[i] > s[j] ? 1.0 : s[i] == s[j] ? 0.5 : 0.0;
            }
        }
        REQUIRE(um::roc_auc(s, l) == Approx(good / pairs).margin(1e-12));
    }
}

TEST_CASE("roc_auc_of_floats gives roc_auc's figure to the last bit", "[learners]") {
    uplift::Rng rng(23);
    // Ties, both zeros (equal), infinities, negatives, and a large sample, where the radix passes all matter.
    const std::vector<float> specials{0.0f, -0.0f, std::numeric_limits<float>::infinity(),
                                      -std::numeric_limits<float>::infinity(), -1.5f, 1.5f, 1e-30f, -1e-30f};
    for (const std::size_t n : {std::size_t{1}, std::size_t{7}, std::size_t{40}, std::size_t{5000}, std::size_t{200000}}) {
        std::vector<float> s;
        std::vector<double> d;
        std::vector<std::uint8_t> l;
        for (std::size_t i = 0; i < n; ++i) {
            const auto kind = rng.below(3);
            const float v = kind == 0   ? specials[rng.below(specials.size())]
                            : kind == 1 ? static_cast<float>(rng.below(50)) - 25.0f
                                        : static_cast<float>((rng.uniform01() - 0.5) * 1e6);
            s.push_back(v);
            d.push_back(v);
            l.push_back(static_cast<std::uint8_t>(rng.below(2)));
        }
        CHECK(um::roc_auc_of_floats(s, l) == um::roc_auc(d, l));
    }
    const std::vector<float> one_class{1.0f, 2.0f};
    CHECK(um::roc_auc_of_floats(one_class, std::vector<std::uint8_t>{1, 1}) == 0.5);
    CHECK(um::roc_auc_of_floats(one_class, std::vector<std::uint8_t>{0, 1}) == 1.0);
}

TEST_CASE("a bundle whose base models do not fit its learner is refused", "[learners][bundle]") {
    const auto r = train_on(simulate(2000, 17).table, "mismatch", small_options(um::LearnerKind::X));
    const auto dir = fresh_dir("mismatch_bundle");
    r.bundle.save(dir / "model", false);
    const auto edit = [&](const std::string& from, const std::string& to) {
        std::ifstream in(dir / "model" / "model.json");
        std::string text((std::istreambuf_iterator<char>(in)), {});
        in.close();
        const auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
        std::ofstream(dir / "model" / "model.json", std::ios::trunc) << text;
    };
    SECTION("learner changed to one that needs other models") {
        edit("\"learner\": \"x\"", "\"learner\": \"dr\"");
        REQUIRE_THROWS_WITH(um::ModelBundle::load(dir / "model"), Catch::Contains("needs [outcome_control, tau_1]"));
    }
    SECTION("an unknown learner") {
        edit("\"learner\": \"x\"", "\"learner\": \"magic\"");
        REQUIRE_THROWS_AS(um::ModelBundle::load(dir / "model"), uplift::ModelError);
    }
    SECTION("a base model file missing") {
        fs::remove(dir / "model" / "base" / "tau_treated_1.json");
        REQUIRE_THROWS_AS(um::ModelBundle::load(dir / "model"), uplift::ModelError);
    }
    SECTION("an input whose feature has become a date") {
        const auto loaded = um::ModelBundle::load(dir / "model");
        Table t({Column::int64s("id", {1}), Column::doubles("x0", {0.1}), Column::doubles("x1", {0.1}),
                 Column::doubles("x2", {0.1}), Column::dates("x3", {17000})});
        REQUIRE_THROWS_WITH(um::score_table(loaded, t, nullptr), Catch::Contains("'x3' has type DATE"));
    }
}

TEST_CASE("every learner is deterministic for a seed, whatever the thread count", "[learners][determinism]") {
    const auto data = simulate(3000, 18, /*two_offers=*/true);
    for (const auto learner : {um::LearnerKind::S, um::LearnerKind::X, um::LearnerKind::DR, um::LearnerKind::CT}) {
        INFO("learner " << um::to_string(learner));
        auto o = small_options(learner);
        o.gbm.num_rounds = 30;
        o.dr_folds = 3;
        o.propensity = learner == um::LearnerKind::CT ? um::PropensitySource::Share : um::PropensitySource::Model;
        o.gbm.threads = 1;
        const auto a = train_on(data.table, "det1_" + um::to_string(learner), o);
        o.gbm.threads = 2;
        const auto b = train_on(data.table, "det2_" + um::to_string(learner), o);
        REQUIRE(a.bundle.base_models.size() == b.bundle.base_models.size());
        for (std::size_t i = 0; i < a.bundle.base_models.size(); ++i) {
            REQUIRE(a.bundle.base_models[i].name == b.bundle.base_models[i].name);
            REQUIRE(a.bundle.base_models[i].model.to_json() == b.bundle.base_models[i].model.to_json());
        }
        REQUIRE(a.bundle.propensity.record() == b.bundle.propensity.record());
    }
}

TEST_CASE("the leakage guard flags a feature that dominates the gain or is named like the outcome",
          "[learners][leakage]") {
    const std::vector<um::FeatureGain> gain = {{"spend", 99.5, 0.995}, {"visit_count", 0.3, 0.003},
                                               {"history", 0.2, 0.002}};
    const auto w = um::leakage_check(gain, {}, "visit", false);
    REQUIRE(w.size() == 2);
    CHECK(w[0].feature == "spend");
    CHECK(w[0].reason == "dominates the gain");
    CHECK(w[0].gain_share == Approx(0.995));
    CHECK(w[1].feature == "visit_count");
    CHECK(w[1].reason == "is named like the outcome");
    CHECK_FALSE(w[0].allowed);
    CHECK(um::leakage_check(gain, {}, "visit", true)[0].allowed);
    // An ordinary model: the top feature at 34% of the gain, no name like the outcome.
    const std::vector<um::FeatureGain> fine = {{"history", 34, 0.34}, {"recency", 20, 0.2}};
    CHECK(um::leakage_check(fine, {}, "visit", false).empty());
}

TEST_CASE("the leakage guard flags an input that alone predicts the outcome", "[learners][leakage]") {
    // Column 0 is the outcome plus a little noise; column 1 is unrelated to it.
    um::DenseMatrix x;
    x.rows = 200;
    x.cols = 2;
    std::vector<double> y(x.rows);
    for (std::size_t r = 0; r < x.rows; ++r) {
        y[r] = r % 3 == 0 ? 1 : 0;
        x.values.push_back(static_cast<float>(y[r] * 10 + (r % 5 == 0 ? 1 : 0)));
        x.values.push_back(static_cast<float>(r % 7));
    }
    const auto auc = um::single_feature_auc(x, {"spend", "recency"}, y);
    REQUIRE(auc.size() == 2);
    CHECK(auc[0].auc == Approx(1.0));
    CHECK(auc[1].auc < 0.6);
    // Reversed, the outcome is as well predicted: AUC 0 counts as 1.
    for (std::size_t r = 0; r < x.rows; ++r) x.values[2 * r] = -x.values[2 * r];
    CHECK(um::single_feature_auc(x, {"spend", "recency"}, y)[0].auc == Approx(1.0));

    const std::vector<um::FeatureGain> gain = {{"recency", 60, 0.6}, {"spend", 40, 0.4}};
    const auto w = um::leakage_check(gain, auc, "visit", false);
    REQUIRE(w.size() == 2);  // recency by its gain, spend by its AUC
    CHECK(w[0].feature == "recency");
    CHECK_FALSE(w[0].outcome_auc.has_value());
    CHECK(w[1].feature == "spend");
    CHECK(w[1].reason == "alone predicts the outcome");
    CHECK(w[1].gain_share == Approx(0.4));
    CHECK(*w[1].outcome_auc == Approx(1.0));
    // A one-hot input is matched to its source column's gain, and at 0.95 or less nothing is flagged.
    const std::vector<um::OutcomeAuc> one_hot = {{"channel=web", 0.97}, {"zip=Urban", 0.95}};
    const std::vector<um::FeatureGain> fine = {{"channel", 20, 0.2}, {"zip", 10, 0.1}};
    const auto v = um::leakage_check(fine, one_hot, "visit", false);
    REQUIRE(v.size() == 1);
    CHECK(v[0].feature == "channel=web");
    CHECK(v[0].gain_share == Approx(0.2));
}
