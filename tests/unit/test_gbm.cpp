#include "uplift/core/errors.hpp"
#include "uplift/model/gbm.hpp"
#include "uplift/model/xgb_params.hpp"

#include <catch2/catch.hpp>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using uplift::model::DenseMatrix;
using uplift::model::Gbm;
using uplift::model::GbmParams;
using uplift::model::Objective;

namespace {

constexpr std::size_t kCols = 4;

struct Dataset {
    DenseMatrix x;
    std::vector<float> y;
};

/// Features uniform in [-1, 1] with ~2% missing. The label depends on feature 2 (mostly) and
/// feature 0, so the importance test can tell "informative" from "first column".
Dataset make_data(Objective objective, std::size_t rows, unsigned seed, bool pure_noise = false) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::uniform_real_distribution<float> u01(0.0f, 1.0f);
    std::normal_distribution<float> noise(0.0f, 0.3f);
    Dataset d;
    d.x.rows = rows;
    d.x.cols = kCols;
    d.x.values.resize(rows * kCols);
    for (float& v : d.x.values) v = u01(rng) < 0.02f ? std::numeric_limits<float>::quiet_NaN() : u(rng);
    for (std::size_t r = 0; r < rows; ++r) {
        const float x0 = std::isnan(d.x.at(r, 0)) ? 0.0f : d.x.at(r, 0);
        const float x2 = std::isnan(d.x.at(r, 2)) ? 0.0f : d.x.at(r, 2);
        const float f = 3.0f * x2 + std::sin(3.0f * x0);
        if (objective == Objective::Binary) {
            const float p = pure_noise ? 0.5f : 1.0f / (1.0f + std::exp(-2.0f * f));
            d.y.push_back(u01(rng) < p ? 1.0f : 0.0f);
        } else {
            d.y.push_back(pure_noise ? noise(rng) : f + noise(rng));
        }
    }
    return d;
}

GbmParams fast_params(Objective objective) {
    GbmParams p;
    p.objective = objective;
    p.num_rounds = 60;
    p.max_depth = 3;
    p.learning_rate = 0.2;
    p.early_stopping_rounds = 0;
    p.threads = 1;
    return p;
}

Gbm train(const Dataset& d, const GbmParams& p, const Dataset* valid = nullptr) {
    return Gbm::train(d.x, d.y, {}, valid != nullptr ? &valid->x : nullptr,
                      valid != nullptr ? std::span<const float>(valid->y) : std::span<const float>(), p);
}

double auc(const std::vector<double>& score, const std::vector<float>& y) {
    std::vector<std::size_t> idx(score.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
    // Mann-Whitney U with average ranks for ties.
    double rank_sum = 0, positives = 0;
    for (std::size_t i = 0; i < idx.size();) {
        std::size_t j = i;
        while (j < idx.size() && score[idx[j]] == score[idx[i]]) ++j;
        const double avg_rank = (static_cast<double>(i + j) + 1.0) / 2.0;
        for (std::size_t k = i; k < j; ++k) {
            if (y[idx[k]] == 1.0f) {
                rank_sum += avg_rank;
                positives += 1;
            }
        }
        i = j;
    }
    const double negatives = static_cast<double>(y.size()) - positives;
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

double rmse(const std::vector<double>& pred, const std::vector<float>& y) {
    double s = 0;
    for (std::size_t i = 0; i < y.size(); ++i) s += (pred[i] - y[i]) * (pred[i] - y[i]);
    return std::sqrt(s / static_cast<double>(y.size()));
}

std::string read_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// A fresh directory removed at scope exit, unique per process and per use.
struct TempDir {
    fs::path path;
    TempDir() {
        static std::atomic<int> counter{0};
        path = fs::temp_directory_path() /
               ("upliftctl_test_gbm_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

}  // namespace

TEST_CASE("Binary GBM learns a synthetic function", "[gbm]") {
    const auto train_set = make_data(Objective::Binary, 1500, 1);
    const auto test_set = make_data(Objective::Binary, 1000, 2);
    const Gbm model = train(train_set, fast_params(Objective::Binary));
    const auto pred = model.predict(test_set.x);
    REQUIRE(pred.size() == test_set.x.rows);
    CHECK(std::all_of(pred.begin(), pred.end(), [](double p) { return p > 0 && p < 1; }));
    CHECK(auc(pred, test_set.y) > 0.85);  // a constant scores 0.5; the Bayes rate is about 0.93
    CHECK(model.objective() == Objective::Binary);
    CHECK(model.num_features() == static_cast<int>(kCols));
    CHECK(model.num_rounds() == 60);
    CHECK(model.best_iteration() == 59);
    CHECK_FALSE(model.best_score().has_value());
}

TEST_CASE("Regression GBM learns a synthetic function", "[gbm]") {
    const auto train_set = make_data(Objective::Regression, 1500, 3);
    const auto test_set = make_data(Objective::Regression, 1000, 4);
    const Gbm model = train(train_set, fast_params(Objective::Regression));
    const auto pred = model.predict(test_set.x);
    const double mean = std::accumulate(test_set.y.begin(), test_set.y.end(), 0.0) / 1000.0;
    const double constant_rmse = rmse(std::vector<double>(1000, mean), test_set.y);
    CHECK(rmse(pred, test_set.y) < 0.3 * constant_rmse);
    CHECK(model.objective() == Objective::Regression);
}

TEST_CASE("Sample weights change the model", "[gbm]") {
    const auto d = make_data(Objective::Regression, 400, 5);
    std::vector<float> w(d.x.rows, 1.0f);
    for (std::size_t i = 0; i < w.size(); i += 3) w[i] = 5.0f;
    const auto p = fast_params(Objective::Regression);
    const auto unweighted = Gbm::train(d.x, d.y, {}, nullptr, {}, p).predict(d.x);
    const auto weighted = Gbm::train(d.x, d.y, w, nullptr, {}, p).predict(d.x);
    CHECK(unweighted != weighted);
}

TEST_CASE("Save/load round trip keeps predictions and metadata", "[gbm]") {
    TempDir dir;
    const auto d = make_data(Objective::Binary, 600, 6);
    const auto v = make_data(Objective::Binary, 300, 7);
    auto p = fast_params(Objective::Binary);
    p.early_stopping_rounds = 10;
    const Gbm model = train(d, p, &v);
    const fs::path file = dir.path / "model.json";
    model.save(file);
    CHECK(read_bytes(file) == model.to_json());
    // Only the final file remains: the temp file was renamed over it.
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);

    const Gbm loaded = Gbm::load(file);
    CHECK(loaded.predict(v.x) == model.predict(v.x));
    CHECK(loaded.best_iteration() == model.best_iteration());
    CHECK(loaded.best_score() == model.best_score());
    CHECK(loaded.num_rounds() == model.num_rounds());
    CHECK(loaded.num_features() == model.num_features());
    CHECK(loaded.objective() == Objective::Binary);
    CHECK(loaded.validation_history().empty());
    CHECK(loaded.to_json() == model.to_json());

    // Saving over an existing file replaces it.
    loaded.save(file);
    CHECK(read_bytes(file) == model.to_json());

    const Gbm regression = train(make_data(Objective::Regression, 300, 8), fast_params(Objective::Regression));
    regression.save(dir.path / "reg.json");
    CHECK(Gbm::load(dir.path / "reg.json").objective() == Objective::Regression);
}

TEST_CASE("Same data and seed give identical predictions and model bytes", "[gbm]") {
    TempDir dir;
    const auto d = make_data(Objective::Binary, 800, 9);
    const auto v = make_data(Objective::Binary, 300, 10);
    auto p = fast_params(Objective::Binary);
    p.early_stopping_rounds = 10;
    for (const int threads : {1, 2}) {
        CAPTURE(threads);
        p.threads = threads;
        const Gbm a = train(d, p, &v);
        const Gbm b = train(d, p, &v);
        CHECK(a.predict(v.x) == b.predict(v.x));
        a.save(dir.path / "a.json");
        b.save(dir.path / "b.json");
        CHECK(read_bytes(dir.path / "a.json") == read_bytes(dir.path / "b.json"));
    }

    SECTION("whatever the thread count") {
        p.threads = 1;
        const Gbm one = train(d, p, &v);
        p.threads = 2;
        const Gbm two = train(d, p, &v);
        CHECK(one.predict(v.x) == two.predict(v.x));
        CHECK(one.to_json() == two.to_json());
    }
    SECTION("a different seed gives a different model") {
        const Gbm a = train(d, p, &v);
        p.seed = 7;
        const Gbm b = train(d, p, &v);
        CHECK(a.to_json() != b.to_json());
    }
}

TEST_CASE("Training on named rows gives the model of their copy", "[gbm]") {
    // More rows than one of the quantile DMatrix's batches (65,536), so the batches' seams are crossed;
    // the rows are named out of order, as a stratified split names them.
    const auto d = make_data(Objective::Binary, 150000, 17);
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < d.x.rows; r += 3) rows.push_back(r);
    for (std::size_t r = 1; r < d.x.rows; r += 3) rows.push_back(r);
    std::mt19937 rng(5);
    std::shuffle(rows.begin() + 1000, rows.end() - 1000, rng);
    DenseMatrix copy;
    copy.rows = rows.size();
    copy.cols = d.x.cols;
    std::vector<float> y, w;
    for (std::size_t r : rows) {
        for (std::size_t c = 0; c < d.x.cols; ++c) copy.values.push_back(d.x.at(r, c));
        y.push_back(d.y[r]);
        w.push_back(0.5f + static_cast<float>(r % 3));
    }
    auto p = fast_params(Objective::Binary);
    p.num_rounds = 15;
    p.threads = 2;
    p.subsample = 0.8;  // the row sample follows the rows' order, so it too must match
    const uplift::model::MatrixRows named{.x = d.x, .rows = rows, .all = false};
    SECTION("hist, the default: binned from the named rows") {
        CHECK(Gbm::train(named, y, w, nullptr, {}, p).to_json() == Gbm::train(copy, y, w, nullptr, {}, p).to_json());
    }
    SECTION("hist with --xgb max_bin") {
        p.extra = {{"max_bin", "32"}};
        const auto coarse = Gbm::train(named, y, w, nullptr, {}, p);
        CHECK(coarse.to_json() == Gbm::train(copy, y, w, nullptr, {}, p).to_json());
        p.extra.clear();
        CHECK(coarse.to_json() != Gbm::train(named, y, w, nullptr, {}, p).to_json());
    }
    SECTION("another tree method: the rows gathered") {
        p.extra = {{"tree_method", "approx"}};
        CHECK(Gbm::train(named, y, w, nullptr, {}, p).to_json() == Gbm::train(copy, y, w, nullptr, {}, p).to_json());
    }
    SECTION("an infinite value among the named rows is reported at its position") {
        auto bad = d;
        bad.x.values[rows[7] * bad.x.cols + 1] = std::numeric_limits<float>::infinity();
        const uplift::model::MatrixRows named_bad{.x = bad.x, .rows = rows, .all = false};
        CHECK_THROWS_WITH(Gbm::train(named_bad, y, w, nullptr, {}, p), Catch::Contains("column 1 of row 7"));
    }
}

TEST_CASE("Early stopping stops on noise and keeps the best round", "[gbm]") {
    TempDir dir;
    for (const auto objective : {Objective::Binary, Objective::Regression}) {
        CAPTURE(static_cast<int>(objective));
        const auto d = make_data(objective, 500, 11, /*pure_noise=*/true);
        const auto v = make_data(objective, 300, 12, /*pure_noise=*/true);
        auto p = fast_params(objective);
        p.num_rounds = 200;
        p.early_stopping_rounds = 5;
        const Gbm model = train(d, p, &v);
        const auto& history = model.validation_history();
        REQUIRE(history.size() < 200);
        CHECK(static_cast<int>(history.size()) == model.best_iteration() + 1 + p.early_stopping_rounds);
        CHECK(model.num_rounds() == model.best_iteration() + 1);
        REQUIRE(model.best_score().has_value());
        CHECK(*model.best_score() == *std::min_element(history.begin(), history.end()));

        model.save(dir.path / "m.json");
        const Gbm loaded = Gbm::load(dir.path / "m.json");
        CHECK(loaded.best_iteration() == model.best_iteration());
        CHECK(loaded.num_rounds() == model.num_rounds());
        CHECK(loaded.best_score() == model.best_score());
        CHECK(loaded.predict(v.x) == model.predict(v.x));
    }
}

TEST_CASE("Without a validation set every round is kept", "[gbm]") {
    const auto d = make_data(Objective::Binary, 300, 13, /*pure_noise=*/true);
    auto p = fast_params(Objective::Binary);
    p.num_rounds = 15;
    p.early_stopping_rounds = 3;
    const Gbm model = train(d, p);
    CHECK(model.num_rounds() == 15);
    CHECK(model.best_iteration() == 14);
    CHECK(model.validation_history().empty());
}

TEST_CASE("Gain importance ranks the informative feature first", "[gbm]") {
    const auto d = make_data(Objective::Regression, 1000, 14);
    const Gbm model = train(d, fast_params(Objective::Regression));
    const auto importance = model.gain_importance();
    REQUIRE(importance.size() == kCols);
    CHECK(importance[0].first == 2);
    CHECK(importance[1].first == 0);
    CHECK(importance[0].second > importance[1].second);
    CHECK(importance[1].second > importance[2].second);
    for (std::size_t i = 1; i < importance.size(); ++i) CHECK(importance[i - 1].second >= importance[i].second);
}

TEST_CASE("Bad training input throws", "[gbm]") {
    const auto d = make_data(Objective::Binary, 50, 15);
    const auto p = fast_params(Objective::Binary);
    auto y = d.y;

    SECTION("label count differs from row count") {
        y.pop_back();
        CHECK_THROWS_AS(Gbm::train(d.x, y, {}, nullptr, {}, p), uplift::DataError);
    }
    SECTION("NaN label") {
        y[3] = std::numeric_limits<float>::quiet_NaN();
        CHECK_THROWS_AS(Gbm::train(d.x, y, {}, nullptr, {}, p), uplift::DataError);
    }
    SECTION("infinite label, also for regression") {
        y[3] = std::numeric_limits<float>::infinity();
        CHECK_THROWS_AS(Gbm::train(d.x, y, {}, nullptr, {}, fast_params(Objective::Regression)),
                        uplift::DataError);
    }
    SECTION("binary label outside {0, 1}") {
        y[7] = 0.5f;
        CHECK_THROWS_WITH(Gbm::train(d.x, y, {}, nullptr, {}, p), Catch::Contains("row 7"));
        CHECK_THROWS_AS(Gbm::train(d.x, y, {}, nullptr, {}, p), uplift::DataError);
        y[7] = 2.0f;
        CHECK_THROWS_AS(Gbm::train(d.x, y, {}, nullptr, {}, p), uplift::DataError);
    }
    SECTION("zero rows") {
        const DenseMatrix empty{0, kCols, {}};
        CHECK_THROWS_AS(Gbm::train(empty, {}, {}, nullptr, {}, p), uplift::DataError);
    }
    SECTION("infinite feature") {
        auto x = d.x;
        x.values[5 * kCols + 1] = -std::numeric_limits<float>::infinity();
        CHECK_THROWS_WITH(Gbm::train(x, y, {}, nullptr, {}, p), Catch::Contains("column 1 of row 5"));
    }
    SECTION("bad weights") {
        std::vector<float> w(d.x.rows, 1.0f);
        w[2] = -1.0f;
        CHECK_THROWS_AS(Gbm::train(d.x, y, w, nullptr, {}, p), uplift::DataError);
        w.pop_back();
        CHECK_THROWS_AS(Gbm::train(d.x, y, w, nullptr, {}, p), uplift::DataError);
    }
    SECTION("validation set with other columns or labels") {
        const DenseMatrix narrow{2, kCols - 1, std::vector<float>(2 * (kCols - 1), 0.0f)};
        const std::vector<float> vy{0.0f, 1.0f};
        CHECK_THROWS_AS(Gbm::train(d.x, y, {}, &narrow, vy, p), uplift::DataError);
        CHECK_THROWS_AS(Gbm::train(d.x, y, {}, &d.x, vy, p), uplift::DataError);
    }
    SECTION("inconsistent matrix is a bug") {
        auto x = d.x;
        x.values.pop_back();
        CHECK_THROWS_AS(Gbm::train(x, y, {}, nullptr, {}, p), uplift::InternalError);
    }
    SECTION("out-of-range parameters") {
        auto bad = p;
        bad.num_rounds = 0;
        CHECK_THROWS_AS(Gbm::train(d.x, y, {}, nullptr, {}, bad), uplift::UsageError);
        bad = p;
        bad.subsample = 0;
        CHECK_THROWS_AS(Gbm::train(d.x, y, {}, nullptr, {}, bad), uplift::UsageError);
        bad = p;
        bad.extra = {{"objective", "count:poisson"}};
        CHECK_THROWS_AS(Gbm::train(d.x, y, {}, nullptr, {}, bad), uplift::UsageError);
    }
    SECTION("a key XGBoost does not know (it would ignore it) is refused, naming the nearest known one") {
        auto bad = p;
        bad.extra = {{"max_bins", "64"}};
        CHECK_THROWS_WITH(Gbm::train(d.x, y, {}, nullptr, {}, bad),
                          Catch::Contains("--xgb max_bins=64: 'max_bins' is not a parameter") &&
                              Catch::Contains("the nearest known one is 'max_bin'"));
        bad.extra = {{"nosuchparam", "1"}};
        CHECK_THROWS_AS(Gbm::train(d.x, y, {}, nullptr, {}, bad), uplift::UsageError);
        for (const auto& key : uplift::model::known_xgb_params()) CHECK(key != "objective");
    }
    SECTION("a parameter XGBoost refuses (from --xgb) is a usage error, not bad data") {
        auto bad = p;
        bad.extra = {{"tree_method", "no_such_method"}};
        CHECK_THROWS_AS(Gbm::train(d.x, y, {}, nullptr, {}, bad), uplift::UsageError);
    }
}

TEST_CASE("Bad models and mismatched prediction input throw ModelError", "[gbm]") {
    TempDir dir;
    const auto d = make_data(Objective::Binary, 100, 16);
    auto p = fast_params(Objective::Binary);
    p.num_rounds = 5;
    const Gbm model = train(d, p);

    SECTION("feature count mismatch names both counts") {
        const DenseMatrix narrow{3, kCols - 1, std::vector<float>(3 * (kCols - 1), 0.0f)};
        CHECK_THROWS_AS(model.predict(narrow), uplift::ModelError);
        CHECK_THROWS_WITH(model.predict(narrow), Catch::Contains("expects 4") && Catch::Contains("got 3"));
    }
    SECTION("zero rows predict nothing") {
        CHECK(model.predict(DenseMatrix{0, kCols, {}}).empty());
    }
    SECTION("missing file") {
        const auto file = dir.path / "no_such_model.json";
        CHECK_THROWS_AS(Gbm::load(file), uplift::ModelError);
        CHECK_THROWS_WITH(Gbm::load(file), Catch::Contains("no_such_model.json"));
    }
    SECTION("corrupt files") {
        const auto json = model.to_json();
        for (const std::string& content :
             {std::string(), std::string("not a model"), json.substr(0, json.size() / 2), std::string("{\"a\": 1}")}) {
            const auto file = dir.path / "corrupt.json";
            std::ofstream(file, std::ios::binary) << content;
            CHECK_THROWS_AS(Gbm::load(file), uplift::ModelError);
            CHECK_THROWS_WITH(Gbm::load(file), Catch::Contains("corrupt.json"));
        }
    }
    SECTION("unwritable destination is an I/O error") {
        CHECK_THROWS_AS(model.save(dir.path / "no_such_dir" / "m.json"), uplift::IoError);
    }
}

TEST_CASE("DenseMatrix::at is row-major and checked", "[gbm]") {
    const DenseMatrix m{2, 3, {0, 1, 2, 3, 4, 5}};
    CHECK(m.at(1, 0) == 3.0f);
    CHECK(m.at(0, 2) == 2.0f);
    CHECK_THROWS_AS(m.at(2, 0), uplift::InternalError);
    CHECK_THROWS_AS(m.at(0, 3), uplift::InternalError);
}
