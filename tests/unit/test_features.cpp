#include <catch2/catch.hpp>

#include "support/experiments.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/features/flat_encoding.hpp"
#include "uplift/features/flat_stream.hpp"
#include "uplift/io/single_thread.hpp"
#include "uplift/io/table_io.hpp"
#include "support/scratch.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

using uplift::io::Column;
using uplift::io::Table;
namespace features = uplift::features;

namespace {

Table small_dataset() {
    return Table({Column::int64s("id", {1, 2, 3, 4, 5, 6}),
                  Column::strings("arm", {"c", "t", "c", "t", "c", "t"}),
                  Column::doubles("y", {0, 1, 0, 1, 1, 0}),
                  Column::doubles("age", {30, 40, 0, 25, 61, 33}, {1, 1, 0, 1, 1, 1}),
                  Column::strings("city", {"Oslo", "Rome", "Oslo", "Lima", "Oslo", "Rome"}, {1, 1, 1, 1, 1, 1}),
                  Column::strings("email", {"a@x", "b@x", "c@x", "d@x", "e@x", "f@x"})});
}

uplift::data::Roles small_roles() {
    uplift::data::Roles r;
    r.id = "id";
    r.treatment = "arm";
    r.control = "c";
    r.treatment_levels = {"t"};
    r.outcome = "y";
    r.features = {"age", "city", "email"};
    return r;
}

}  // namespace

TEST_CASE("numeric columns pass through, text columns become one indicator per level", "[features]") {
    std::vector<std::string> dropped;
    const auto spec = features::fit_flat_features(small_dataset(), small_roles(), {.max_levels = 3, .max_distinct_share = 0.5}, &dropped);
    // Levels by frequency, ties by name; the identifier-like column is dropped.
    REQUIRE(spec.names() == std::vector<std::string>{"age", "city=Oslo", "city=Rome", "city=Lima"});
    REQUIRE(dropped == std::vector<std::string>{"email"});
    const auto table = features::build_flat_features(small_dataset(), small_roles(), spec);
    REQUIRE(table.column_names() == std::vector<std::string>{"id", "arm", "y", "age", "city=Oslo", "city=Rome", "city=Lima"});
    REQUIRE_FALSE(table.column("age").is_valid(2));  // missing stays missing for XGBoost
    REQUIRE(table.column("city=Rome").double_values()[1] == 1.0);
    REQUIRE(table.column("city=Rome").double_values()[0] == 0.0);
    const auto roles = uplift::data::load_roles(table.metadata());
    REQUIRE(roles->features == spec.names());
    const auto back = uplift::artifacts::feature_spec_from_json(table.metadata().at(uplift::artifacts::feature_spec_key), "test");
    REQUIRE(back.names() == spec.names());
}

TEST_CASE("rare levels fold into __other__ and unseen levels are counted", "[features]") {
    const auto spec = features::fit_flat_features(small_dataset(), small_roles(), {.max_levels = 1, .max_distinct_share = 0.5});
    REQUIRE(spec.names() == std::vector<std::string>{"age", "city=Oslo", "city=__other__"});
    const auto spec2 = features::fit_flat_features(small_dataset(), small_roles(), {.max_levels = 3, .max_distinct_share = 0.5});
    const Table fresh({Column::doubles("age", {20, 50}), Column::strings("city", {"Paris", "Rome"})});
    features::EncodeStats stats;
    const auto cols = features::encode_features(fresh, spec2, &stats);
    REQUIRE(stats.unseen_levels.at("city") == 1);
    REQUIRE(cols[1].double_values()[0] == 0.0);  // Paris: all indicators 0
    REQUIRE(cols[2].double_values()[1] == 1.0);  // Rome
}

TEST_CASE("encoding input that lacks or mistypes a column is a model error", "[features]") {
    const auto spec = features::fit_flat_features(small_dataset(), small_roles(), {.max_levels = 3, .max_distinct_share = 0.5});
    const Table no_city({Column::doubles("age", {20})});
    REQUIRE_THROWS_AS(features::encode_features(no_city, spec, nullptr), uplift::ModelError);
    REQUIRE_THROWS_WITH(features::encode_features(no_city, spec, nullptr), Catch::Contains("'city'"));
    const Table text_age({Column::strings("age", {"old"}), Column::strings("city", {"Oslo"})});
    REQUIRE_THROWS_AS(features::encode_features(text_age, spec, nullptr), uplift::ModelError);
}

TEST_CASE("numbers-only datasets stream from Parquet to the same features build_flat_features gives", "[features]") {
    namespace fs = std::filesystem;
    const fs::path dir = test_support::fresh_dir("test_features", "flat_stream");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    Table dataset({Column::strings("id", {"007", "7", "x"}), Column::strings("arm", {"c", "t", "c"}),
                   Column::int64s("y", {0, 1, 1}),
                   Column::doubles("spend", {1.5, nan, 0.0}, {1, 1, 0}),  // a NaN and a NULL: both missing
                   Column::int64s("visits", {3, -2, 9007199254740993}),   // not exact as a double: rounded alike
                   Column::bools("member", {1, 0, 1})});
    auto roles = small_roles();
    roles.outcome = "y";
    roles.features = {"spend", "visits", "member"};
    uplift::data::store_roles(dataset.metadata(), roles);
    uplift::io::Session session({.threads = 2, .memory_limit = {}});
    const fs::path input = dir / "d.parquet";
    uplift::io::write_table(session, dataset, input);

    const auto schema = uplift::io::read_schema(session, input);
    REQUIRE(schema.num_rows() == 0);
    REQUIRE(schema.num_columns() == 6);
    const auto spec = features::fit_flat_features(schema, roles, {});
    REQUIRE(features::can_stream_flat_features(input, schema, spec));
    REQUIRE_FALSE(features::can_stream_flat_features(dir / "d.csv", schema, spec));  // CSV keeps the general path
    const auto metadata = features::flat_features_metadata(schema.metadata(), roles, spec);
    REQUIRE(features::write_flat_features_streaming(session, input, schema, roles, spec, metadata, dir / "s.parquet",
                                                    false) == 3);

    const auto expected = features::build_flat_features(uplift::io::read_table(session, input), roles, spec);
    const auto streamed = uplift::io::read_table(session, dir / "s.parquet");
    REQUIRE(streamed.column_names() == expected.column_names());
    for (const auto& name : expected.column_names()) {
        const auto& a = streamed.column(name);
        const auto& b = expected.column(name);
        REQUIRE(a.type() == b.type());
        for (std::size_t r = 0; r < 3; ++r) {
            INFO(name << " row " << r);
            REQUIRE(a.is_valid(r) == b.is_valid(r));
            REQUIRE(a.text_at(r) == b.text_at(r));
        }
    }
    REQUIRE_FALSE(streamed.column("spend").is_valid(1));  // NaN became a missing value
    REQUIRE(streamed.column("member").double_values()[1] == 0.0);
    REQUIRE(streamed.metadata().at(uplift::artifacts::feature_spec_key) ==
            expected.metadata().at(uplift::artifacts::feature_spec_key));
    fs::remove_all(dir);
}

TEST_CASE("features of a dataset of doubles keep its pages and write a new footer unless a value must change",
          "[features]") {
    // A DuckDB-written dataset whose features are DOUBLEs without NaN: the output's rows are its rows, so the
    // file is its pages with a footer holding the features' metadata. A NaN (which must become NULL) or an
    // integer feature (which must become a DOUBLE) takes DuckDB's copy instead.
    namespace fs = std::filesystem;
    const fs::path dir = test_support::fresh_dir("features", "pass_through");
    auto roles = small_roles();
    roles.features = {"x1", "x2"};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    uplift::io::Session session({.threads = 2, .memory_limit = {}});
    for (const std::string variant : {"doubles", "a NaN", "an integer"}) {
        INFO(variant);
        const std::size_t n = 5000;
        std::vector<std::string> ids, arms;
        std::vector<double> y, x1, x2;
        std::vector<std::int64_t> x2_int;
        for (std::size_t i = 0; i < n; ++i) {
            ids.push_back("0" + std::to_string(i));
            arms.push_back(i % 3 == 0 ? "t" : "c");
            y.push_back(static_cast<double>(i % 7 == 0));
            x1.push_back(variant == "a NaN" && i == 17 ? nan : static_cast<double>(i % 101) / 3.0);
            x2.push_back(static_cast<double>(i % 13));
            x2_int.push_back(static_cast<std::int64_t>(i % 13));
        }
        Table dataset({Column::strings("id", ids), Column::strings("arm", arms), Column::doubles("y", y),
                       Column::doubles("x1", x1),
                       variant == "an integer" ? Column::int64s("x2", x2_int) : Column::doubles("x2", x2)});
        uplift::data::store_roles(dataset.metadata(), roles);
        const fs::path input = dir / "d.parquet", out = dir / "f.parquet";
        uplift::io::write_table(session, dataset, input, {.overwrite = true});
        const auto schema = uplift::io::read_schema(session, input);
        const auto spec = features::fit_flat_features(schema, roles, {});
        const auto metadata = features::flat_features_metadata(schema.metadata(), roles, spec);
        fs::remove(out);
        REQUIRE(features::write_flat_features_streaming(session, input, schema, roles, spec, metadata, out, false) == n);

        const auto expected = features::build_flat_features(uplift::io::read_table(session, input), roles, spec);
        const auto written = uplift::io::read_table(session, out);
        REQUIRE(written.column_names() == expected.column_names());
        for (const auto& name : expected.column_names()) {
            REQUIRE(written.column(name).type() == expected.column(name).type());
            for (std::size_t r = 0; r < n; r += 17) {
                INFO(name << " row " << r);
                REQUIRE(written.column(name).is_valid(r) == expected.column(name).is_valid(r));
                REQUIRE(written.column(name).text_at(r) == expected.column(name).text_at(r));
            }
        }
        REQUIRE(written.metadata() == metadata);
        // The pages: the input's bytes up to its footer, exactly when nothing had to change.
        const std::string in_bytes = test_support::file_bytes(input), out_bytes = test_support::file_bytes(out);
        const std::size_t pages = test_support::parquet_footer_start(in_bytes);
        REQUIRE((out_bytes.compare(0, pages, in_bytes, 0, pages) == 0) == (variant == "doubles"));
        if (variant == "a NaN") REQUIRE_FALSE(written.column("x1").is_valid(17));
    }
    fs::remove_all(dir);
}

TEST_CASE("the streamed features of a dataset are the same bytes at 1 and 2 threads whatever its row groups",
          "[features]") {
    namespace fs = std::filesystem;
    const fs::path dir = test_support::fresh_dir("test_features", "flat_stream_threads");
    auto roles = small_roles();  // the columns below are id, arm (c/t) and y, as there
    roles.features = {"x1", "x2"};
    const std::string rows =
        "SELECT 'c' || range::VARCHAR AS id, CASE WHEN range % 3 = 0 THEN 't' ELSE 'c' END AS arm, "
        "(range % 7 = 0)::BIGINT AS y, hash(range) % 1000 / 7.0 AS x1, (range * 31 % 101)::BIGINT AS x2 "
        "FROM range(300000)";
    // Ours: a parallel COPY of a table (the writer's row groups); theirs: another writer's row group size. x2 is
    // an integer, which must become a DOUBLE, so DuckDB copies the rows (they do not pass through as they are).
    const fs::path ours = dir / "ours.parquet", theirs = dir / "theirs.parquet";
    {
        uplift::io::Session writer({.threads = 2, .memory_limit = {}});
        writer.execute("CREATE TABLE d AS " + rows);
        writer.execute(fmt::format("COPY d TO '{}' (FORMAT parquet, COMPRESSION zstd)", ours.string()));
        writer.execute(fmt::format("COPY d TO '{}' (FORMAT parquet, ROW_GROUP_SIZE 50000)", theirs.string()));
    }
    for (const fs::path& input : {ours, theirs}) {
        INFO(input.filename().string());
        std::vector<std::string> outputs;
        for (const int threads : {1, 2}) {
            uplift::io::Session session({.threads = threads, .memory_limit = {}});
            REQUIRE(uplift::io::copy_of_scan_is_thread_independent(session, input) == (input == ours));
            const auto schema = uplift::io::read_schema(session, input);
            const auto spec = features::fit_flat_features(schema, roles, {});
            const auto metadata = features::flat_features_metadata(schema.metadata(), roles, spec);
            const fs::path out = dir / fmt::format("f{}_{}", threads, input.filename().string());
            REQUIRE(features::write_flat_features_streaming(session, input, schema, roles, spec, metadata, out, false) ==
                    300000);
            outputs.push_back(test_support::file_bytes(out));
            // The session's own thread count is given back after a guarded copy.
            REQUIRE(session.query("SELECT current_setting('threads') AS n").column("n").number_at(0) == threads);
        }
        REQUIRE(outputs[0].size() > 100000);
        REQUIRE(outputs[0] == outputs[1]);
    }
    {
        uplift::io::Session session({.threads = 1, .memory_limit = {}});
        REQUIRE_FALSE(uplift::io::copy_of_scan_is_thread_independent(session, dir / "missing.parquet"));
    }
    fs::remove_all(dir);
}
