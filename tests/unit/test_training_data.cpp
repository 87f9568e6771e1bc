// The lean training input (model/training_data.hpp): a file read a chunk at a time into a float matrix, the
// treatment kept as codes, gives what the table in memory gives, and train from the file the same model.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <numeric>

#include "support/experiments.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/model/design_matrix.hpp"
#include "uplift/model/train.hpp"
#include "uplift/model/training_data.hpp"

namespace fs = std::filesystem;
using uplift::io::Column;
using uplift::io::Table;
using uplift::model::TrainingData;

namespace {

/// offer_helps_x0 with a null among the features and a third, unselected treatment level.
Table experiment_with_gaps(std::size_t n) {
    Table t = test_support::offer_helps_x0(n, 11);
    auto arms = t.column("arm").string_values();
    for (std::size_t i = 0; i < n; i += 7) arms[i] = "other";
    t.replace_column(Column::strings("arm", arms));
    auto x1 = t.column("x1").to_doubles();
    std::vector<std::uint8_t> valid(n, 1);
    valid[3] = 0;
    t.replace_column(Column::doubles("x1", x1, valid));
    auto roles = uplift::data::require_roles(t, "t");
    roles.treatment_levels = {"offer", "other"};
    uplift::data::store_roles(t.metadata(), roles);
    return t;
}

}  // namespace

TEST_CASE("training data read in chunks equals the table's, its treatment kept as codes", "[training_data]") {
    const auto dir = test_support::fresh_dir("test_training_data", "chunks");
    const Table t = experiment_with_gaps(1000);
    uplift::io::write_table(t, dir / "f.parquet");
    const std::vector<std::string> names{"x0", "x1"};

    const TrainingData in_memory = uplift::model::training_data_of(t, names);
    uplift::io::Session session;
    // 128-row chunks: the file arrives in eight pieces, the last a partial one.
    const TrainingData read = uplift::model::read_training_data(session, dir / "f.parquet", names, "arm", 128);

    REQUIRE(read.x.rows == 1000);
    REQUIRE(read.x.cols == 2);
    CHECK(read.types == in_memory.types);
    REQUIRE(read.x.values.size() == in_memory.x.values.size());
    for (std::size_t i = 0; i < read.x.values.size(); ++i) {
        const float a = read.x.values[i], b = in_memory.x.values[i];
        CHECK(((std::isnan(a) && std::isnan(b)) || a == b));
    }
    CHECK(std::isnan(read.x.at(3, 1)));  // the null stays missing
    CHECK(read.x.at(5, 0) == static_cast<float>(t.column("x0").to_doubles()[5]));

    // The table keeps every other column but the coded treatment, with the file's metadata.
    CHECK(read.table.column_names() == std::vector<std::string>{"id", "y"});
    CHECK(read.table.metadata() == t.metadata());
    CHECK(in_memory.table.column_names() == std::vector<std::string>{"id", "arm", "y"});
    REQUIRE(read.coded.name == "arm");
    CHECK(read.coded.levels.size() == 3);
    std::vector<std::size_t> rows(1000);
    std::iota(rows.begin(), rows.end(), 0);
    CHECK(read.coded.take(rows).string_values() == t.column("arm").string_values());
    const std::vector<std::size_t> some{999, 0, 7};
    CHECK(read.coded.take(some).string_values() == std::vector<std::string>{t.column("arm").string_values()[999], "other", "other"});
}

TEST_CASE("the columns first, then chosen rows' features: the whole read's table, codes and matrix rows", "[training_data]") {
    const auto dir = test_support::fresh_dir("test_training_data", "routed");
    const Table t = experiment_with_gaps(1000);
    uplift::io::write_table(t, dir / "f.parquet");
    const std::vector<std::string> names{"x0", "x1"};
    uplift::io::Session session;
    const TrainingData whole = uplift::model::read_training_data(session, dir / "f.parquet", names, "arm", 128);
    const TrainingData columns = uplift::model::read_training_columns(session, dir / "f.parquet", names, "arm", 128);
    CHECK(columns.x.rows == 0);
    CHECK(columns.x.cols == 2);
    CHECK(columns.names == whole.names);
    CHECK(columns.types == whole.types);
    CHECK(columns.table.column_names() == whole.table.column_names());
    CHECK(columns.table.metadata() == whole.table.metadata());
    CHECK(std::ranges::equal(columns.table.column("id").int64_values(), whole.table.column("id").int64_values()));
    CHECK(columns.coded.levels == whole.coded.levels);
    CHECK(columns.coded.codes == whole.coded.codes);

    // Every third row to matrix 1, rows ending in 5 to none, the others to matrix 0.
    std::vector<std::int8_t> destination(1000);
    std::vector<std::vector<std::size_t>> expected(2);
    for (std::size_t r = 0; r < 1000; ++r) {
        destination[r] = r % 10 == 5 ? -1 : r % 3 == 0 ? 1 : 0;
        if (destination[r] >= 0) expected[static_cast<std::size_t>(destination[r])].push_back(r);
    }
    const auto parts = uplift::model::read_feature_rows(session, dir / "f.parquet", names, destination, 2, 128);
    REQUIRE(parts.size() == 2);
    for (std::size_t k = 0; k < 2; ++k) {
        const auto want = uplift::model::take_rows(whole.x, expected[k]);
        REQUIRE(parts[k].rows == expected[k].size());
        REQUIRE(parts[k].cols == 2);
        REQUIRE(parts[k].values.size() == want.values.size());
        for (std::size_t i = 0; i < want.values.size(); ++i) {
            const float a = parts[k].values[i], b = want.values[i];
            CHECK(((std::isnan(a) && std::isnan(b)) || a == b));
        }
    }
    CHECK(std::isnan(parts[1].at(1, 1)));  // row 3, whose x1 is null, is the second row of matrix 1

    // A routing for another number of rows is a bug of the caller, said as such.
    const std::vector<std::int8_t> short_routing(999, 0);
    CHECK_THROWS_AS(uplift::model::read_feature_rows(session, dir / "f.parquet", names, short_routing, 1, 128),
                    uplift::InternalError);
    const std::vector<std::int8_t> long_routing(1001, 0);
    CHECK_THROWS_AS(uplift::model::read_feature_rows(session, dir / "f.parquet", names, long_routing, 1, 128),
                    uplift::InternalError);
}

TEST_CASE("a null treatment survives the codes as a null", "[training_data]") {
    uplift::model::CodedText coded;
    coded.name = "arm";
    coded.levels = {"a", "b"};
    coded.codes = {1, -1, 0};
    const Column c = coded.take(std::vector<std::size_t>{0, 1, 2});
    CHECK(c.string_values() == std::vector<std::string>{"b", "", "a"});
    CHECK(c.is_valid(0));
    CHECK_FALSE(c.is_valid(1));
    CHECK_FALSE(coded.take(std::vector<std::size_t>{0, 2}).has_nulls());
}

TEST_CASE("train from the file gives the model and holdout of train from the table", "[training_data]") {
    const auto dir = test_support::fresh_dir("test_training_data", "train");
    const Table t = experiment_with_gaps(3000);
    uplift::io::write_table(t, dir / "f.parquet");
    uplift::model::TrainOptions o;
    o.seed = 5;
    o.gbm.num_rounds = 20;
    o.gbm.max_depth = 3;
    o.gbm.threads = 1;
    o.treatment_levels = {"offer"};  // the rows of "other" are set aside
    for (const int oof : {0, 3}) {  // with out-of-fold scores the matrix is kept to the end; without, released early
        o.oof_folds = oof;
        const auto from_table = uplift::model::train_uplift(t, dir / "f.parquet", o);
        const auto from_file = uplift::model::train_uplift_file(dir / "f.parquet", o);
        REQUIRE(from_file.bundle.base_models.size() == from_table.bundle.base_models.size());
        for (std::size_t m = 0; m < from_file.bundle.base_models.size(); ++m) {
            CHECK(from_file.bundle.base_models[m].model.to_json() == from_table.bundle.base_models[m].model.to_json());
        }
        CHECK(from_file.bundle.feature_types == from_table.bundle.feature_types);
        CHECK(from_file.rows_excluded == from_table.rows_excluded);
        CHECK(from_file.rows_excluded > 0);
        const auto& a = from_file.holdout_scores;
        const auto& b = from_table.holdout_scores;
        REQUIRE(a.column_names() == b.column_names());
        CHECK(a.column("arm").string_values() == b.column("arm").string_values());
        CHECK(std::ranges::equal(a.column("id").int64_values(), b.column("id").int64_values()));
        CHECK(std::ranges::equal(a.column("uplift").double_values(), b.column("uplift").double_values()));
        CHECK(from_file.out_of_fold_scores.num_rows() == from_table.out_of_fold_scores.num_rows());
    }
}
