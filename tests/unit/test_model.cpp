#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "uplift/core/errors.hpp"
#include "uplift/core/file_hash.hpp"
#include "uplift/core/random.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/model/bundle.hpp"
#include "uplift/model/scoring.hpp"
#include "uplift/model/split.hpp"
#include "uplift/model/train.hpp"
#include "support/experiments.hpp"

namespace fs = std::filesystem;
using uplift::io::Column;
using uplift::io::Table;

namespace {

Table synthetic_experiment(std::size_t n, std::uint64_t seed) { return test_support::offer_helps_x0(n, seed); }

fs::path fresh_dir(const std::string& name) { return test_support::fresh_dir("test_model", name); }

uplift::model::TrainResult train_small(const fs::path& dir) {
    const Table t = synthetic_experiment(4000, 1);
    uplift::io::write_table(t, dir / "train.parquet");
    uplift::model::TrainOptions o;
    o.seed = 3;
    o.gbm.num_rounds = 60;
    o.gbm.max_depth = 3;
    return uplift::model::train_uplift(t, dir / "train.parquet", o);
}

}  // namespace

TEST_CASE("stratified split keeps each stratum's share and is seeded", "[model]") {
    std::vector<int> strata;
    for (int i = 0; i < 1000; ++i) strata.push_back(i < 100 ? 1 : 0);
    const auto a = uplift::model::stratified_split(strata, 0.3, 5);
    const auto b = uplift::model::stratified_split(strata, 0.3, 5);
    const auto c = uplift::model::stratified_split(strata, 0.3, 6);
    REQUIRE(a.holdout == b.holdout);
    REQUIRE(a.holdout != c.holdout);
    REQUIRE(a.holdout.size() == 300);
    REQUIRE(std::count_if(a.holdout.begin(), a.holdout.end(), [](std::size_t i) { return i < 100; }) == 30);
    REQUIRE(a.train.size() + a.holdout.size() == 1000);
}

TEST_CASE("stratified folds are balanced within every stratum and seeded", "[model]") {
    std::vector<int> strata;
    for (int i = 0; i < 103; ++i) strata.push_back(i % 3 == 0 ? 1 : 0);
    const auto folds = uplift::model::stratified_folds(strata, 5, 11);
    REQUIRE(folds == uplift::model::stratified_folds(strata, 5, 11));
    std::map<std::pair<int, int>, int> count;
    for (std::size_t i = 0; i < strata.size(); ++i) ++count[{strata[i], folds[i]}];
    for (int s = 0; s < 2; ++s) {
        int lo = 1 << 30, hi = 0;
        for (int f = 0; f < 5; ++f) {
            lo = std::min(lo, count[{s, f}]);
            hi = std::max(hi, count[{s, f}]);
        }
        REQUIRE(hi - lo <= 1);
    }
}

TEST_CASE("cross-validation reports one value per fold and their mean", "[model]") {
    const auto dir = fresh_dir("cv");
    const Table t = synthetic_experiment(3000, 2);
    uplift::io::write_table(t, dir / "train.parquet");
    uplift::model::TrainOptions o;
    o.cv = 3;
    o.gbm.num_rounds = 30;
    const auto r = uplift::model::train_uplift(t, dir / "train.parquet", o);
    REQUIRE(r.cv.size() == 1);
    REQUIRE(r.cv[0].qini_auc.size() == 3);
    const double mean = (r.cv[0].qini_auc[0] + r.cv[0].qini_auc[1] + r.cv[0].qini_auc[2]) / 3;
    REQUIRE(r.cv[0].qini_auc_mean == Approx(mean).epsilon(1e-12));
    REQUIRE(r.cv[0].qini_auc_mean > 0.05);
}

TEST_CASE("the T-learner finds who the offer helps", "[model]") {
    const auto dir = fresh_dir("learn");
    const auto result = train_small(dir);
    REQUIRE(result.rows_holdout == 1200);
    REQUIRE(result.metrics.size() == 1);
    REQUIRE(result.metrics[0].qini_auc.value() > 0.1);
    const auto& s = result.holdout_scores;
    const auto uplift = s.column("uplift__offer").double_values();
    // The span views the table's buffer, so the table must outlive it (a temporary would leave it dangling).
    const Table truth = synthetic_experiment(4000, 1);
    const auto x0 = truth.column("x0").double_values();
    // Mean predicted uplift where the truth is 0.3 must clearly exceed where it is 0.
    double helped = 0, others = 0;
    int n_helped = 0, n_others = 0;
    const auto ids = s.column("id").int64_values();
    for (std::size_t i = 0; i < s.num_rows(); ++i) {
        if (x0[static_cast<std::size_t>(ids[i])] > 0) {
            helped += uplift[i];
            ++n_helped;
        } else {
            others += uplift[i];
            ++n_others;
        }
    }
    REQUIRE(helped / n_helped - others / n_others > 0.15);
    REQUIRE(s.has("p__control"));
    REQUIRE(s.has("best_offer"));
    REQUIRE(s.column("uplift").double_values()[0] == uplift[0]);
}

TEST_CASE("a saved bundle scores exactly as the trained one, tampering is detected", "[model]") {
    const auto dir = fresh_dir("bundle");
    const auto result = train_small(dir);
    result.bundle.save(dir / "model", false);
    const auto loaded = uplift::model::ModelBundle::load(dir / "model");
    const Table t = synthetic_experiment(500, 9);
    const auto a = uplift::model::score_table(result.bundle, t, nullptr);
    const auto b = uplift::model::score_table(loaded, t, nullptr);
    REQUIRE(std::equal(a.column("uplift").double_values().begin(), a.column("uplift").double_values().end(),
                       b.column("uplift").double_values().begin()));

    SECTION("a changed base model file") {
        std::ofstream(dir / "model" / "base" / "outcome_1.json", std::ios::app) << " ";
        REQUIRE_THROWS_WITH(uplift::model::ModelBundle::load(dir / "model"), Catch::Contains("changed after training"));
    }
    SECTION("a model whose fingerprints are the older FNV-1a ones still loads and knows its training file") {
        // What upliftctl wrote before XXH3: 16 hex digits of 64-bit FNV-1a, for every fingerprint model.json holds.
        const auto fnv_of_file = [](const fs::path& file) {
            std::ifstream in(file, std::ios::binary);
            const std::string bytes((std::istreambuf_iterator<char>(in)), {});
            return fmt::format("{:016x}", uplift::fnv1a(uplift::fnv1a_offset, bytes.data(), bytes.size()));
        };
        auto manifest = nlohmann::json::parse(std::ifstream(dir / "model" / "model.json"));
        REQUIRE(manifest["training_data_fingerprint"].get<std::string>().size() == 32);
        manifest["training_data_fingerprint"] = fnv_of_file(dir / "train.parquet");
        for (auto& base : manifest["base_models"]) base["fingerprint"] = fnv_of_file(dir / "model" / base["file"].get<std::string>());
        REQUIRE(manifest.contains("fitted_rows"));
        manifest["fitted_rows"]["fingerprint"] = fnv_of_file(dir / "model" / manifest["fitted_rows"]["file"].get<std::string>());
        std::ofstream(dir / "model" / "model.json", std::ios::trunc) << manifest.dump(2);
        const auto old = uplift::model::ModelBundle::load(dir / "model");
        const auto info = uplift::model::scores_info_for_input(old, dir / "train.parquet", {}, {});
        CHECK(info.scored_as == uplift::artifacts::ScoredAs::InSample);
        std::ofstream(dir / "model" / "base" / "outcome_1.json", std::ios::app) << " ";
        REQUIRE_THROWS_WITH(uplift::model::ModelBundle::load(dir / "model"), Catch::Contains("changed after training"));
    }
    SECTION("an unknown format version") {
        std::ifstream in(dir / "model" / "model.json");
        std::string text((std::istreambuf_iterator<char>(in)), {});
        in.close();
        text.replace(text.find("\"format_version\": 2"), 19, "\"format_version\": 99");
        std::ofstream(dir / "model" / "model.json", std::ios::trunc) << text;
        REQUIRE_THROWS_AS(uplift::model::ModelBundle::load(dir / "model"), uplift::ModelError);
        REQUIRE_THROWS_WITH(uplift::model::ModelBundle::load(dir / "model"),
                            Catch::Contains("format version 99") && Catch::Contains("reads version 2"));
        try {
            (void)uplift::model::ModelBundle::load(dir / "model");
        } catch (const uplift::Error& e) {
            CHECK(uplift::exit_code_of(e.kind()) == uplift::exit_code::model);
        }
    }
    SECTION("garbage instead of model.json") {
        std::ofstream(dir / "model" / "model.json", std::ios::trunc) << "{not json";
        REQUIRE_THROWS_AS(uplift::model::ModelBundle::load(dir / "model"), uplift::ModelError);
    }
    SECTION("input without a feature") {
        const Table no_x1({Column::int64s("id", {1}), Column::doubles("x0", {0.5})});
        REQUIRE_THROWS_WITH(uplift::model::score_table(loaded, no_x1, nullptr), Catch::Contains("x1"));
    }
    SECTION("refuses to overwrite") {
        REQUIRE_THROWS_AS(result.bundle.save(dir / "model", false), uplift::UsageError);
    }
}

TEST_CASE("training is deterministic for a seed", "[model]") {
    const auto a = train_small(fresh_dir("det_a"));
    const auto b = train_small(fresh_dir("det_b"));
    REQUIRE(a.bundle.base_models[1].model.to_json() == b.bundle.base_models[1].model.to_json());
}
