// score_file (chunked reading, scoring and writing) against score_table + write_table on the whole table.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "support/experiments.hpp"
#include "support/tables.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/core/random.hpp"
#include "uplift/data/roles.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/io/table_writer.hpp"
#include "uplift/model/score_stream.hpp"
#include "uplift/model/scoring.hpp"
#include "uplift/model/train.hpp"

namespace fs = std::filesystem;
using uplift::io::Column;
using uplift::io::Table;

namespace {

/// The shared experiment (offer helps where x0 > 0), ids from 1000.
Table experiment(std::size_t n, std::uint64_t seed) { return test_support::offer_helps_x0(n, seed, 1000); }

fs::path fresh_dir(const std::string& name) { return test_support::fresh_dir("test_stream", name); }

std::string bytes_of(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// Same values (test_support::require_same_values) and the same metadata.
void require_same_table(const Table& a, const Table& b) {
    test_support::require_same_values(a, b);
    REQUIRE(a.metadata() == b.metadata());
}

}  // namespace

TEST_CASE("read_table_chunks hands out the file in order, in pieces of at most N rows", "[io]") {
    const auto dir = fresh_dir("chunks");
    const Table t = experiment(50, 2);
    uplift::io::write_table(t, dir / "t.csv");
    uplift::io::write_table(t, dir / "t.parquet");
    for (const char* name : {"t.csv", "t.parquet"}) {
        for (std::size_t n : {1u, 7u, 50u, 4096u}) {
            INFO(name << " chunk " << n);
            uplift::io::Session session;
            std::vector<std::int64_t> ids;
            std::size_t calls = 0;
            const auto rows = uplift::io::read_table_chunks(session, dir / name, n, [&](Table&& chunk) {
                ++calls;
                REQUIRE(chunk.num_rows() >= 1);
                REQUIRE(chunk.num_rows() <= n);
                REQUIRE(chunk.metadata() == t.metadata());
                const auto v = chunk.column("id").int64_values();
                ids.insert(ids.end(), v.begin(), v.end());
            });
            REQUIRE(rows == 50);
            REQUIRE(calls == (50 + n - 1) / n);
            REQUIRE(ids == std::vector<std::int64_t>(t.column("id").int64_values().begin(),
                                                     t.column("id").int64_values().end()));
        }
    }
    SECTION("an empty file still gives its columns, once") {
        uplift::io::write_table(experiment(0, 2), dir / "empty.parquet");
        uplift::io::Session session;
        std::size_t calls = 0;
        uplift::io::read_table_chunks(session, dir / "empty.parquet", 10, [&](Table&& chunk) {
            ++calls;
            REQUIRE(chunk.num_rows() == 0);
            REQUIRE(chunk.has("x1"));
        });
        REQUIRE(calls == 1);
    }
}

TEST_CASE("score_file equals score_table on the whole table, whatever the chunk size", "[model]") {
    const auto dir = fresh_dir("score");
    const Table train = experiment(1500, 1);
    uplift::io::write_table(train, dir / "train.parquet");
    uplift::model::TrainOptions o;
    o.seed = 3;
    o.gbm.num_rounds = 20;
    o.gbm.max_depth = 3;
    auto bundle = uplift::model::train_uplift(train, dir / "train.parquet", o).bundle;
    // One XGBoost thread: OpenMP's spin-waiting makes many tiny predictions slow on a busy 2-core machine.
    for (auto& base : bundle.base_models) base.model.set_threads(1);

    // With an id column, and without one: then row numbers must run over the whole file, not per chunk.
    for (const bool with_id : {true, false}) {
        INFO("input with id column: " << with_id);
        Table input = experiment(30, 9);
        if (!with_id) input.drop_column("id");
        uplift::io::write_table(input, dir / "in.parquet", {.overwrite = true});
        const uplift::io::Metadata extra{{"upliftctl.test", "streamed"}};

        // The whole table scored at once, with its drift report: chunks must count the same rows into the same bins.
        uplift::model::ScoreStats whole;
        REQUIRE(bundle.drift_reference);
        whole.drift = std::make_shared<uplift::eval::DriftCounter>(*bundle.drift_reference);
        Table expected = uplift::model::score_table(bundle, uplift::io::read_table(dir / "in.parquet"), &whole);
        for (const auto& [k, v] : extra) expected.metadata()[k] = v;
        expected.metadata()[uplift::artifacts::drift_metadata_key] = uplift::artifacts::to_json(whole.drift->report());
        // The scores' origin: every row checked against the fitted rows (none of them, this is a new sample).
        uplift::artifacts::store_scores_info(expected.metadata(),
                                             uplift::model::scores_info_for_input(bundle, dir / "in.parquet", {}, whole.fitted));
        REQUIRE(whole.fitted.checked == (with_id ? 30 : 0));
        uplift::io::write_table(expected, dir / "expected.parquet", {.overwrite = true});
        uplift::io::write_table(expected, dir / "expected.csv", {.overwrite = true});

        for (std::size_t n : {1u, 7u, 1000u}) {
            INFO("chunk rows " << n);
            for (const char* ext : {".parquet", ".csv"}) {
                const fs::path out = dir / (std::string("out") + ext);
                const auto stats = uplift::model::score_file(bundle, dir / "in.parquet", out, extra,
                                                             {.chunk_rows = n,
                                                              .threads = 1,
                                                              .overwrite = true,
                                                              .score = {},
                                                              .drift = {},
                                                              .progress = {}});
                REQUIRE(stats.rows == 30);
                require_same_table(uplift::io::read_table(out), expected);
                // The very bytes write_table gives for the whole table (and the same CSV sidecar).
                REQUIRE(bytes_of(out) == bytes_of(dir / (std::string("expected") + ext)));
            }
            REQUIRE(bytes_of(dir / "out.csv.meta.json") == bytes_of(dir / "expected.csv.meta.json"));
        }
        if (!with_id) {
            const Table out = uplift::io::read_table(dir / "out.parquet");
            const auto ids = out.column("id").int64_values();
            REQUIRE(ids.front() == 1);
            REQUIRE(ids.back() == 30);
        }
    }
    // A chunk the model refuses (scored while the next is read) stops the run with its own kind, naming the
    // input, and leaves no output.
    {
        Table input = experiment(30, 9);
        input.drop_column(bundle.roles.features.front());
        uplift::io::write_table(input, dir / "lacking.parquet", {.overwrite = true});
        const fs::path out = dir / "lacking.scores.parquet";
        uplift::model::ScoreFileOptions one_row;
        one_row.chunk_rows = 1;
        one_row.threads = 1;
        REQUIRE_THROWS_AS(uplift::model::score_file(bundle, dir / "lacking.parquet", out, {}, one_row),
                          uplift::ModelError);
        REQUIRE_THROWS_WITH(uplift::model::score_file(bundle, dir / "lacking.parquet", out, {}, one_row),
                            Catch::Contains("lacking.parquet': the input lacks 1 feature(s)"));
        REQUIRE_FALSE(fs::exists(out));
        fs::remove(dir / "lacking.parquet");
    }
    // Nothing left beside the output: no spool database, WAL or temporary file.
    for (const auto& entry : fs::directory_iterator(dir)) {
        REQUIRE(entry.path().filename().string().rfind(".", 0) != 0);
    }
}

TEST_CASE("TableWriter refuses an existing output and chunks whose columns differ", "[io]") {
    const auto dir = fresh_dir("writer");
    uplift::io::write_table(experiment(3, 1), dir / "exists.parquet");
    REQUIRE_THROWS_AS(uplift::io::TableWriter(dir / "exists.parquet"), uplift::UsageError);
    uplift::io::TableWriter writer(dir / "new.parquet", {.overwrite = false, .threads = 1});
    writer.append(experiment(3, 1));
    Table other = experiment(3, 1);
    other.drop_column("x1");
    REQUIRE_THROWS_AS(writer.append(other), uplift::InternalError);
}

TEST_CASE("TableWriter's restart drops every appended row and the next chunk may have other columns", "[io]") {
    const auto dir = fresh_dir("writer_restart");
    uplift::io::TableWriter writer(dir / "restarted.parquet", {.overwrite = false, .threads = 1});
    writer.append(experiment(5, 1));
    writer.append(experiment(4, 2));
    writer.restart();
    REQUIRE(writer.rows() == 0);
    Table other = experiment(3, 3);
    other.drop_column("x1");
    writer.append(other);
    writer.finish({});
    const Table back = uplift::io::read_table(dir / "restarted.parquet");
    REQUIRE(back.num_rows() == 3);
    REQUIRE(back.column_names() == other.column_names());
    REQUIRE(back.column(other.column_names().back()).text_at(2) == other.column(other.column_names().back()).text_at(2));
}
