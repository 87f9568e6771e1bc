// The uplift forest: binning, histograms, a planted effect found by the first split, determinism across
// thread counts, the bundle round trip and the refusals.

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "uplift/core/errors.hpp"
#include "uplift/core/random.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/model/bundle.hpp"
#include "uplift/model/forest/binning.hpp"
#include "uplift/model/forest/forest.hpp"
#include "uplift/model/forest/forest_file.hpp"
#include "uplift/model/forest/histogram.hpp"
#include "uplift/model/scoring.hpp"
#include "uplift/model/train.hpp"
#include "support/experiments.hpp"

namespace fs = std::filesystem;
namespace um = uplift::model;
namespace uf = uplift::model::forest;

namespace {

/// Rows with x0..x3 uniform in [0, 1): the offer adds 0.25 to the base rate where x1 > 0.6 and takes 0.1 off
/// below (a step at one threshold of one feature: the best arm changes there, which cts needs to see it);
/// x0 moves the base rate only (no effect on uplift). Arms: 0 control, 1..treated_levels.
struct Planted {
    um::DenseMatrix x;
    std::vector<double> y;
    std::vector<int> arm;
};

Planted planted(std::size_t n, std::uint64_t seed, int treated_levels = 1, bool binary = true) {
    uplift::Rng rng(seed);
    Planted p;
    p.x.rows = n;
    p.x.cols = 4;
    p.x.values.resize(n * 4);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t c = 0; c < 4; ++c) p.x.values[i * 4 + c] = static_cast<float>(rng.uniform01());
        const int a = static_cast<int>(rng.below(static_cast<std::uint64_t>(treated_levels + 1)));
        const double rate = 0.2 + 0.2 * p.x.values[i * 4] + (a == 0 ? 0.0 : p.x.values[i * 4 + 1] > 0.6F ? 0.25 : -0.1);
        p.arm.push_back(a);
        p.y.push_back(binary ? (rng.uniform01() < rate ? 1.0 : 0.0) : 10.0 * rate + rng.uniform01());
    }
    return p;
}

uf::ForestOptions stump(uf::Criterion c) {
    uf::ForestOptions o;
    o.criterion = c;
    o.trees = 1;
    o.max_depth = 1;
    o.row_subsample = 1.0;
    o.feature_fraction = 1.0;
    // Large leaves: ddp has no normalisation, and a tiny child's noisy uplift could beat the true step.
    o.min_samples_leaf = 2000;
    return o;
}

fs::path fresh_dir(const std::string& name) { return test_support::fresh_dir("test_forest", name); }

um::TrainOptions forest_options() {
    um::TrainOptions o;
    o.learner = um::LearnerKind::Forest;
    o.seed = 11;
    o.holdout = 0.3;
    o.oof_folds = 0;
    o.permutation_repeats = 0;
    o.forest.trees = 30;
    // These tests' campaigns have 6,000 rows: the defaults' leaves of 400 rows, with half of each tree's 30% choosing
    // the splits (honest trees), would leave the trees unsplit (docs/forest.md, "Small data").
    o.forest.min_samples_leaf = 100;
    o.forest.n_reg = 75;
    return o;
}

um::TrainResult train_on(const uplift::io::Table& t, const std::string& name, const um::TrainOptions& o) {
    const auto dir = fresh_dir(name);
    uplift::io::write_table(t, dir / "train.parquet");
    return um::train_uplift(t, dir / "train.parquet", o);
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("binning: few distinct values get a bin each, many get quantile bins, NaN the missing bin", "[forest]") {
    const auto cuts = uf::quantile_cuts({3.0F, 1.0F, 2.0F, 2.0F, NAN, 1.0F});
    REQUIRE(cuts == std::vector<float>{1.0F, 2.0F});  // bins: <= 1, (1, 2], > 2
    CHECK(uf::bin_of(NAN, cuts) == 0);
    CHECK(uf::bin_of(0.5F, cuts) == 1);
    CHECK(uf::bin_of(1.0F, cuts) == 1);
    CHECK(uf::bin_of(1.5F, cuts) == 2);
    CHECK(uf::bin_of(3.0F, cuts) == 3);
    std::vector<float> many(10000);
    for (std::size_t i = 0; i < many.size(); ++i) many[i] = static_cast<float>(i);
    const auto q = uf::quantile_cuts(many);
    CHECK(q.size() == 254);
    CHECK(std::is_sorted(q.begin(), q.end()));
    // "bin <= b" is "value <= cuts[b − 1]": the raw threshold a tree keeps routes every value as its bin does.
    for (float v : {0.0F, 39.0F, 40.0F, 41.0F, 5000.5F, 9999.0F}) {
        const int b = uf::bin_of(v, q);
        for (int s = 1; s < static_cast<int>(q.size()); ++s) REQUIRE((b <= s) == (v <= q[static_cast<std::size_t>(s - 1)]));
    }
}

TEST_CASE("histogram: the larger child is the parent minus the smaller one", "[forest]") {
    const auto p = planted(5000, 1);
    const auto bins = uf::bin_matrix(p.x, 3, 1);
    std::vector<std::uint32_t> all(p.x.rows), small, large;
    std::iota(all.begin(), all.end(), 0U);
    for (std::uint32_t r : all) (p.x.values[r * 4 + 2] < 0.3F ? small : large).push_back(r);
    const auto targets = [&](const std::vector<std::uint32_t>& rows) {
        std::vector<uf::RowTarget> t;
        for (std::uint32_t r : rows) t.push_back({static_cast<float>(p.y[r]), static_cast<std::uint32_t>(p.arm[r])});
        return t;
    };
    uf::Histogram parent(bins, 2), child(bins, 2), direct(bins, 2);
    parent.build(all, targets(all));
    child.build(small, targets(small));
    direct.build(large, targets(large));
    parent.subtract(child);
    for (std::size_t f = 0; f < 4; ++f) {
        for (int b = 0; b <= bins.value_bins(f); ++b) {
            for (std::size_t a = 0; a < 2; ++a) {
                REQUIRE(parent.at(f, b)[a].n == direct.at(f, b)[a].n);
                REQUIRE(parent.at(f, b)[a].sum == direct.at(f, b)[a].sum);  // 0/1 sums: exact
            }
        }
    }
}

TEST_CASE("a planted effect is found by the first split, at its threshold, by every criterion", "[forest]") {
    const auto p = planted(40000, 7);
    const auto three = planted(40000, 8, 2);
    const auto continuous = planted(40000, 9, 1, false);
    for (const auto c : {uf::Criterion::KL, uf::Criterion::ED, uf::Criterion::Chi, uf::Criterion::CTS, uf::Criterion::DDP,
                         uf::Criterion::MSE}) {
        INFO("criterion " << uf::to_string(c));
        const auto f = uf::fit_forest(p.x, p.y, p.arm, 2, stump(c));
        REQUIRE(f.trees.size() == 1);
        const auto& root = f.trees[0];
        REQUIRE(root.nodes() == 3);
        CHECK(root.feature[0] == 1);
        CHECK(root.threshold[0] == Approx(0.6).margin(0.01));
        // The right leaf (x1 > threshold) carries the effect: about 0.25 more under the offer.
        const auto right = static_cast<std::size_t>(root.right[0]);
        CHECK(root.mean[right * 2 + 1] - root.mean[right * 2] == Approx(0.25).margin(0.04));
        CHECK(f.gain[1] > 0);
        CHECK(f.gain[0] == 0);
        if (c != uf::Criterion::DDP) {
            const auto g = uf::fit_forest(three.x, three.y, three.arm, 3, stump(c));
            CHECK(g.trees[0].feature[0] == 1);
            CHECK(g.trees[0].threshold[0] == Approx(0.6).margin(0.01));
        }
        if (!uf::needs_binary_outcome(c)) {
            const auto h = uf::fit_forest(continuous.x, continuous.y, continuous.arm, 2, stump(c));
            CHECK(h.trees[0].feature[0] == 1);
            CHECK(h.trees[0].threshold[0] == Approx(0.6).margin(0.01));
        }
    }
}

TEST_CASE("missing values go to the side a split learns for them", "[forest]") {
    auto p = planted(40000, 12);
    // x1 is missing on a quarter of the rows above 0.6: those keep their effect, so missing belongs on the right.
    for (std::size_t i = 0; i < p.x.rows; ++i) {
        if (p.x.values[i * 4 + 1] > 0.6F && i % 4 == 0) p.x.values[i * 4 + 1] = NAN;
    }
    const auto f = uf::fit_forest(p.x, p.y, p.arm, 2, stump(uf::Criterion::KL));
    REQUIRE(f.trees[0].feature[0] == 1);
    CHECK(f.trees[0].missing_left[0] == 0);
    const auto arms = uf::predict_arms(f, p.x, 1);
    for (std::size_t i = 0; i < 8; i += 4) CHECK(std::isfinite(arms[1][i]));
    // Missing on rows below 0.6 instead (no effect there): they belong on the left, against the default.
    auto q = planted(40000, 12);
    for (std::size_t i = 0; i < q.x.rows; ++i) {
        if (q.x.values[i * 4 + 1] <= 0.6F && i % 4 == 0) q.x.values[i * 4 + 1] = NAN;
    }
    const auto g = uf::fit_forest(q.x, q.y, q.arm, 2, stump(uf::Criterion::KL));
    REQUIRE(g.trees[0].feature[0] == 1);
    CHECK(g.trees[0].missing_left[0] == 1);
    CHECK(g.trees[0].threshold[0] == Approx(0.6).margin(0.01));
}

TEST_CASE("the forest refuses criteria the data cannot take", "[forest]") {
    const auto three = planted(2000, 2, 2);
    CHECK_THROWS_AS(uf::fit_forest(three.x, three.y, three.arm, 3, stump(uf::Criterion::DDP)), uplift::UsageError);
    const auto continuous = planted(2000, 3, 1, false);
    for (const auto c : {uf::Criterion::KL, uf::Criterion::ED, uf::Criterion::Chi}) {
        CHECK_THROWS_AS(uf::fit_forest(continuous.x, continuous.y, continuous.arm, 2, stump(c)), uplift::UsageError);
    }
}

TEST_CASE("the same seed gives the same forest at 1 and 2 threads, honest or not", "[forest][determinism]") {
    const auto p = planted(20000, 4);
    for (const bool honest : {false, true}) {
        uf::ForestOptions o;
        o.trees = 20;
        o.honest = honest;
        o.threads = 1;
        const auto one = uf::fit_forest(p.x, p.y, p.arm, 2, o);
        o.threads = 2;
        const auto two = uf::fit_forest(p.x, p.y, p.arm, 2, o);
        REQUIRE(uf::forest_to_json(one) == uf::forest_to_json(two));
        REQUIRE(uf::predict_arms(one, p.x, 1) == uf::predict_arms(two, p.x, 2));
        o.seed = 43;
        CHECK(uf::forest_to_json(uf::fit_forest(p.x, p.y, p.arm, 2, o)) != uf::forest_to_json(one));
    }
}

TEST_CASE("honest trees estimate their leaves on rows that did not choose the splits", "[forest]") {
    const auto p = planted(20000, 5);
    uf::ForestOptions o;
    o.trees = 5;
    o.row_subsample = 1.0;
    o.honest = false;
    const auto adaptive = uf::fit_forest(p.x, p.y, p.arm, 2, o);
    o.honest = true;
    const auto honest = uf::fit_forest(p.x, p.y, p.arm, 2, o);
    // The root's counts are its estimation rows: every row, or about half of them.
    const double all = adaptive.trees[0].count[0] + adaptive.trees[0].count[1];
    const double half = honest.trees[0].count[0] + honest.trees[0].count[1];
    CHECK(all == 20000);
    CHECK(half == Approx(10000).margin(300));
}

TEST_CASE("forest file: a saved forest loads to the same bytes and predictions, and damage is a model error", "[forest]") {
    const auto p = planted(8000, 6);
    uf::ForestOptions o;
    o.trees = 10;
    const auto f = uf::fit_forest(p.x, p.y, p.arm, 2, o);
    const auto text = uf::forest_to_json(f);
    const auto back = uf::forest_from_json(text, "forest.json");
    CHECK(uf::forest_to_json(back) == text);
    CHECK(uf::predict_arms(back, p.x, 1) == uf::predict_arms(f, p.x, 1));
    // A child pointing back to its parent would make the walk loop: refused.
    auto bad = text;
    const auto at = bad.find("\"right\":[");
    REQUIRE(at != std::string::npos);
    bad.replace(at, 10, "\"right\":[0");
    CHECK_THROWS_AS(uf::forest_from_json(bad, "forest.json"), uplift::ModelError);
    std::string newer = text;
    newer.replace(newer.find("\"version\":1"), 11, "\"version\":9");
    CHECK_THROWS_WITH(uf::forest_from_json(newer, "forest.json"), Catch::Contains("version 9"));
    CHECK_THROWS_AS(uf::forest_from_json("{", "forest.json"), uplift::ModelError);
}

TEST_CASE("train --learner forest: bundle round trip, byte-identical at 1 and 2 threads, tampering refused",
          "[forest][bundle]") {
    const auto data = test_support::offer_helps_x0(6000, 21);
    auto o = forest_options();
    o.gbm.threads = 1;
    const auto one = train_on(data, "one", o);
    o.gbm.threads = 2;
    const auto two = train_on(data, "two", o);
    REQUIRE(one.bundle.forest.has_value());
    REQUIRE(one.bundle.base_models.empty());
    // The offer helps where x0 > 0: the holdout ranks it, and x0 takes most of the split gain.
    REQUIRE(one.metrics.size() == 1);
    CHECK(*one.metrics[0].qini_auc > 0.05);
    REQUIRE(!one.gain.empty());
    CHECK(one.gain[0].feature == "x0");
    const auto dir = fresh_dir("bundles");
    one.bundle.save(dir / "one", false);
    two.bundle.save(dir / "two", false);
    CHECK(slurp(dir / "one" / "base" / "forest.json") == slurp(dir / "two" / "base" / "forest.json"));
    CHECK(slurp(dir / "one" / "model.json") == slurp(dir / "two" / "model.json"));
    const auto loaded = um::ModelBundle::load(dir / "one");
    REQUIRE(loaded.learner == um::LearnerKind::Forest);
    const auto a = um::score_table(one.bundle, data, nullptr);
    const auto b = um::score_table(loaded, data, nullptr);
    for (const char* column : {"p__control", "p__offer", "uplift__offer"}) {
        const auto va = a.column(column).double_values();
        const auto vb = b.column(column).double_values();
        REQUIRE(std::equal(va.begin(), va.end(), vb.begin()));
    }
    const auto manifest = slurp(dir / "one" / "model.json");
    CHECK(manifest.find("\"learner\": \"forest\"") != std::string::npos);
    CHECK(manifest.find("\"criterion\": \"ed\"") != std::string::npos);
    CHECK(manifest.find("\"num_rounds\"") == std::string::npos);  // boosting parameters do not apply
    // One changed byte in the forest file: the fingerprint no longer matches.
    const fs::path forest_file = dir / "one" / "base" / "forest.json";
    std::string text = slurp(forest_file);
    text[text.find("\"mean\":[") + 8] = text[text.find("\"mean\":[") + 8] == '0' ? '1' : '0';
    std::ofstream(forest_file, std::ios::binary) << text;
    try {
        (void)um::ModelBundle::load(dir / "one");
        FAIL("a tampered forest loaded");
    } catch (const uplift::Error& e) {
        CHECK(e.kind() == uplift::ErrorKind::Model);
        CHECK_THAT(e.what(), Catch::Contains("changed after training"));
    }
}

TEST_CASE("forest flags are refused for another learner, boosting flags for the forest", "[forest][params]") {
    const auto data = test_support::offer_helps_x0(600, 22);
    auto t = forest_options();
    t.learner = um::LearnerKind::T;
    t.forest = {};  // forest_options' leaf sizes would be named too
    t.forest.trees = 50;
    CHECK_THROWS_WITH(train_on(data, "foreign_t", t), Catch::Contains("--trees applies to --learner forest only"));
    auto f = forest_options();
    f.gbm.num_rounds = 10;
    CHECK_THROWS_WITH(train_on(data, "foreign_f", f), Catch::Contains("--rounds tunes the XGBoost learners"));
    auto ddp = forest_options();
    ddp.forest.criterion = uf::Criterion::DDP;
    CHECK_NOTHROW(train_on(data, "ddp_one_level", ddp));
}
