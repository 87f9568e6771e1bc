// The fitted-rows record: score labels rows the model was fitted on as in_sample, whatever file they come in.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "support/experiments.hpp"
#include "uplift/artifacts/scores_info.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/model/bundle.hpp"
#include "uplift/model/fitted_rows.hpp"
#include "uplift/model/score_stream.hpp"
#include "uplift/model/train.hpp"

namespace fs = std::filesystem;
namespace um = uplift::model;
using uplift::artifacts::ScoredAs;
using uplift::io::Column;
using uplift::io::Table;

namespace {

um::DenseMatrix matrix(std::size_t rows, std::size_t cols, float offset) {
    um::DenseMatrix x;
    x.rows = rows;
    x.cols = cols;
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t c = 0; c < cols; ++c) x.values.push_back(offset + static_cast<float>(r * cols + c));
    }
    return x;
}

uplift::artifacts::ScoresInfo scored(const um::ModelBundle& bundle, const Table& input, const fs::path& dir,
                                     const std::string& name) {
    uplift::io::write_table(input, dir / (name + ".csv"));  // CSV: other bytes than the training Parquet
    return um::score_file(bundle, dir / (name + ".csv"), dir / (name + ".scores.parquet"), {}).scores_info;
}

}  // namespace

TEST_CASE("row hashes tell rows apart by every value and the id, and not by zero's sign or NaN's bits",
          "[model][fitted_rows]") {
    um::DenseMatrix x = matrix(2, 3, 0);
    const Column ids = Column::strings("id", {"A7", "01"});
    const Column other_ids = Column::strings("id", {"A7 ", "1"});
    CHECK(um::row_hash(x, 0, &ids, 0) != um::row_hash(x, 1, &ids, 1));
    CHECK(um::row_hash(x, 0, &ids, 0) != um::row_hash(x, 0, &other_ids, 0));
    CHECK(um::row_hash(x, 1, &ids, 1) != um::row_hash(x, 1, &other_ids, 1));
    CHECK(um::row_hash(x, 0, &ids, 0) != um::row_hash(x, 0, nullptr, 0));
    const auto before = um::row_hash(x, 0, nullptr, 0);
    x.values[0] = -0.0f;
    CHECK(um::row_hash(x, 0, nullptr, 0) == before);
    x.values[1] = std::numeric_limits<float>::quiet_NaN();
    const auto nan = um::row_hash(x, 0, nullptr, 0);
    x.values[1] = -std::numeric_limits<float>::quiet_NaN();
    CHECK(um::row_hash(x, 0, nullptr, 0) == nan);
}

TEST_CASE("a large fit keeps a deterministic sample of its hashes, and counts the same way", "[model][fitted_rows]") {
    const auto x = matrix(250'000, 2, 0);
    const auto fitted = um::fitted_rows_of(x, nullptr, {});
    CHECK(fitted.rows == 250'000);
    CHECK(fitted.sample_one_in == 3);
    CHECK(fitted.hashes.size() > 75'000);
    CHECK(fitted.hashes.size() < 92'000);
    um::FittedRowCount same;
    um::count_fitted_rows(fitted, x, nullptr, same);
    CHECK(same.checked == static_cast<std::int64_t>(fitted.hashes.size()));
    CHECK(same.fitted == same.checked);
    um::FittedRowCount other;
    um::count_fitted_rows(fitted, matrix(30'000, 2, 1e7f), nullptr, other);
    CHECK(other.checked > 8'000);
    CHECK(other.fitted == 0);
}

TEST_CASE("score labels fitted rows in_sample in any file, and new rows new", "[model][fitted_rows]") {
    const auto dir = test_support::fresh_dir("test_fitted_rows", "score");
    const Table train = test_support::offer_helps_x0(1500, 1, 1000);
    uplift::io::write_table(train, dir / "train.parquet");
    um::TrainOptions o;
    o.seed = 3;
    o.gbm.num_rounds = 10;
    o.gbm.max_depth = 3;
    o.oof_folds = 0;
    const auto result = um::train_uplift(train, dir / "train.parquet", o);
    result.bundle.save(dir / "model", false);
    const auto bundle = um::ModelBundle::load(dir / "model");
    REQUIRE(bundle.fitted_rows.has_value());
    CHECK(bundle.fitted_rows->rows == result.rows_train);
    CHECK(bundle.fitted_rows->with_id);

    SECTION("a copy of the training rows in another format") {
        const auto info = scored(bundle, train, dir, "copy");
        CHECK(info.scored_as == ScoredAs::InSample);
        CHECK(info.checked_rows == 1500);
        CHECK(info.fitted_rows == result.rows_train);
    }
    SECTION("the holdout rows alone, and a new campaign, are new") {
        const auto held = result.holdout_scores.column("id").int64_values();
        const std::set<std::int64_t> holdout_ids(held.begin(), held.end());
        std::vector<std::size_t> rows;
        const auto ids = train.column("id").int64_values();
        for (std::size_t r = 0; r < train.num_rows(); ++r) {
            if (holdout_ids.contains(ids[r])) rows.push_back(r);
        }
        const auto holdout = scored(bundle, train.take(rows), dir, "holdout");
        CHECK(holdout.scored_as == ScoredAs::New);
        CHECK(holdout.checked_rows == static_cast<std::int64_t>(rows.size()));
        CHECK(holdout.fitted_rows == 0);
        const auto fresh = scored(bundle, test_support::offer_helps_x0(800, 9, 1000), dir, "fresh");
        CHECK(fresh.scored_as == ScoredAs::New);
        CHECK(fresh.fitted_rows == 0);
    }
    SECTION("the same clients with other values are new rows") {
        // Same ids, next month's feature values: not what the model was fitted on.
        const auto next = scored(bundle, test_support::offer_helps_x0(1500, 2, 1000), dir, "next");
        CHECK(next.scored_as == ScoredAs::New);
        CHECK(next.fitted_rows == 0);
    }
    SECTION("a fitted-rows file changed after training is refused") {
        {
            std::fstream f(dir / "model" / um::fitted_rows_file, std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(40);
            f.put('\x7f');
        }
        CHECK_THROWS_AS(um::ModelBundle::load(dir / "model"), uplift::ModelError);
    }
}
