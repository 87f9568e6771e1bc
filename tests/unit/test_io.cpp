#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "support/tables.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/io/temporal.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
using uplift::io::Column;
using uplift::io::ColumnType;
using uplift::io::Table;

namespace {

fs::path fresh_dir(const std::string& name) { return test_support::fresh_dir("test_io", name); }

Table sample_table() {
    const std::int64_t big = std::numeric_limits<std::int64_t>::max() - 7;
    Table t({
        Column::int64s("id", {big, -big, 0, 42}),
        Column::doubles("amount", {1.5, 0.1, -2.25e10, 0.0}, {1, 1, 1, 0}),
        Column::strings("name", {"Ёлка", "a,b \"quoted\"", "", "日本語"}, {1, 1, 0, 1}),
        Column::bools("flag", {1, 0, 1, 0}, {1, 0, 1, 1}),
        Column::dates("day", {0, 19000, -1, 20000}, {1, 1, 1, 0}),
        Column::timestamps("ts", {0, 1'700'000'000'123'456, -1'000'000, 86'400'000'000}),
    });
    t.metadata()["upliftctl.roles"] = R"({"treatment":"segment","it's":"quoted"})";
    return t;
}

}  // namespace

TEST_CASE("Parquet round trip keeps types, nulls, unicode, 64-bit ints, dates and metadata", "[io]") {
    const fs::path dir = fresh_dir("parquet");
    const Table t = sample_table();
    uplift::io::write_table(t, dir / "t.parquet");
    const Table back = uplift::io::read_table(dir / "t.parquet");
    test_support::require_same_values(t, back);
    REQUIRE(back.metadata() == t.metadata());
    REQUIRE(back.column("id").int64_values()[0] == std::numeric_limits<std::int64_t>::max() - 7);
}

TEST_CASE("CSV round trip keeps values, nulls and metadata (sidecar)", "[io]") {
    const fs::path dir = fresh_dir("csv");
    const Table t = sample_table();
    uplift::io::write_table(t, dir / "t.csv");
    REQUIRE(fs::exists(dir / "t.csv.meta.json"));
    const Table back = uplift::io::read_table(dir / "t.csv");
    REQUIRE(back.metadata() == t.metadata());
    // CSV has no types: DuckDB sniffs them back, and every value must read the same.
    REQUIRE(back.num_rows() == t.num_rows());
    REQUIRE(back.column("id").type() == ColumnType::Int64);
    REQUIRE(back.column("day").type() == ColumnType::Date);
    REQUIRE(back.column("amount").type() == ColumnType::Double);
    for (const char* name : {"id", "amount", "name", "day", "ts"}) {
        for (std::size_t i = 0; i < t.num_rows(); ++i) {
            INFO(name << " row " << i);
            REQUIRE(back.column(name).text_at(i) == t.column(name).text_at(i));
        }
    }
}

TEST_CASE("a CSV intermediate reads back with the column types its sidecar records, not DuckDB's guesses", "[io]") {
    const fs::path dir = fresh_dir("csv_types");
    // Digits-only text ids, and a text column whose first thousands of values look like numbers: DuckDB's
    // sampling would make both numbers (the second then fails to read at its first word).
    std::vector<std::string> ids, codes;
    std::vector<double> x;
    for (int i = 0; i < 30000; ++i) {
        ids.push_back(std::to_string(1000 + i));
        codes.push_back(i < 25000 ? std::to_string(i % 7) : "code-" + std::to_string(i));
        x.push_back(i * 0.5);
    }
    Table t({Column::strings("id", ids), Column::strings("code", codes), Column::doubles("x", x)});
    t.metadata()["upliftctl.roles"] = R"({"id":"id"})";
    uplift::io::write_table(t, dir / "t.csv");
    const Table back = uplift::io::read_table(dir / "t.csv");
    REQUIRE(back.column("id").type() == ColumnType::String);
    REQUIRE(back.column("code").type() == ColumnType::String);
    REQUIRE(back.column("x").type() == ColumnType::Double);
    REQUIRE(back.column("code").text_at(29999) == "code-29999");
    REQUIRE(back.metadata() == t.metadata());  // the types describe the file: not part of the table's metadata
    std::size_t rows = 0;
    uplift::io::Session session;
    uplift::io::read_table_chunks(session, dir / "t.csv", 4096, [&](Table&& chunk) {
        REQUIRE(chunk.column("id").type() == ColumnType::String);
        rows += chunk.num_rows();
    });
    REQUIRE(rows == 30000);
}

TEST_CASE("CSV to Parquet to CSV gives the same bytes", "[io]") {
    const fs::path dir = fresh_dir("chain");
    const Table t = sample_table();
    uplift::io::write_table(t, dir / "a.csv");
    uplift::io::write_table(uplift::io::read_table(dir / "a.csv"), dir / "b.parquet");
    uplift::io::write_table(uplift::io::read_table(dir / "b.parquet"), dir / "c.csv");
    const auto slurp = [](const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    REQUIRE(slurp(dir / "a.csv") == slurp(dir / "c.csv"));
}

TEST_CASE("writes refuse to overwrite without the flag and leave no temporary behind", "[io]") {
    const fs::path dir = fresh_dir("overwrite");
    const Table t = sample_table();
    uplift::io::write_table(t, dir / "t.parquet");
    REQUIRE_THROWS_AS(uplift::io::write_table(t, dir / "t.parquet"), uplift::UsageError);
    REQUIRE_NOTHROW(uplift::io::write_table(t, dir / "t.parquet", {.overwrite = true}));
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
    REQUIRE(files == 1);
}

TEST_CASE("a failed atomic output leaves nothing under the final name", "[io]") {
    const fs::path dir = fresh_dir("atomic");
    {
        uplift::io::AtomicOutput out(dir / "x.txt", false);
        std::ofstream(out.temp_path()) << "partial";
        // no commit: as if the run failed here
    }
    REQUIRE(fs::is_empty(dir));
}

TEST_CASE("reading errors name the file", "[io]") {
    const fs::path dir = fresh_dir("errors");
    REQUIRE_THROWS_WITH(uplift::io::read_table(dir / "missing.parquet"), Catch::Contains("missing.parquet"));
    REQUIRE_THROWS_AS(uplift::io::read_table(dir / "missing.parquet"), uplift::IoError);
    REQUIRE_THROWS_AS(uplift::io::read_table(dir / "table.xlsx"), uplift::UsageError);
    std::ofstream(dir / "garbage.parquet") << "not parquet at all";
    REQUIRE_THROWS_AS(uplift::io::read_table(dir / "garbage.parquet"), uplift::IoError);
    REQUIRE_THROWS_AS(uplift::io::write_table(sample_table(), dir / "no_such_dir" / "t.parquet"), uplift::IoError);
}

TEST_CASE("session queries normalise exotic types", "[io]") {
    uplift::io::Session s;
    const Table t = s.query("SELECT 1::INTEGER AS i, 2.5::DECIMAL(4,1) AS d, 1.5::FLOAT AS f, [1,2] AS l, "
                            "TIMESTAMPTZ '2024-01-01 00:00:00+00' AS tz");
    REQUIRE(t.column("i").type() == ColumnType::Int64);
    REQUIRE(t.column("d").type() == ColumnType::Double);
    REQUIRE(t.column("d").double_values()[0] == 2.5);
    REQUIRE(t.column("f").type() == ColumnType::Double);
    REQUIRE(t.column("l").type() == ColumnType::String);
    REQUIRE(t.column("tz").type() == ColumnType::Timestamp);
    REQUIRE_THROWS_AS(s.query("SELECT * FROM no_such_table"), uplift::InternalError);
}

TEST_CASE("dates format and parse in ISO form", "[io]") {
    REQUIRE(uplift::io::format_date(0) == "1970-01-01");
    REQUIRE(uplift::io::format_date(-1) == "1969-12-31");
    REQUIRE(uplift::io::format_timestamp(1'700'000'000'123'456) == "2023-11-14 22:13:20.123456");
    std::int32_t days = 0;
    REQUIRE(uplift::io::parse_date("2019-03-18", days));
    REQUIRE(uplift::io::format_date(days) == "2019-03-18");
    REQUIRE_FALSE(uplift::io::parse_date("2019-02-30", days));
    REQUIRE_FALSE(uplift::io::parse_date("yesterday", days));
}

TEST_CASE("tables reject mismatched columns", "[io]") {
    REQUIRE_THROWS_AS(Table({Column::int64s("a", {1, 2}), Column::int64s("a", {3, 4})}), uplift::DataError);
    REQUIRE_THROWS_AS(Table({Column::int64s("a", {1, 2}), Column::int64s("b", {3})}), uplift::InternalError);
    const Table t({Column::int64s("a", {1, 2, 3})});
    REQUIRE_THROWS_WITH(t.column("b"), Catch::Contains("no column 'b'") && Catch::Contains("a"));
}

TEST_CASE("an interrupted run's temporary folder tree is removed", "[io][atomic]") {
    const auto dir = fresh_dir("pending");
    {
        uplift::io::AtomicOutput out(dir / "model", false);
        std::filesystem::create_directories(out.temp_path() / "base" / "deeper");
        std::ofstream(out.temp_path() / "model.json") << "{}";
        std::ofstream(out.temp_path() / "base" / "a.json") << "{}";
        std::ofstream(out.temp_path() / "base" / "deeper" / "b.json") << "{}";
        REQUIRE(std::filesystem::exists(out.temp_path()));
        uplift::io::remove_pending_outputs();  // what the SIGINT handler calls
        REQUIRE_FALSE(std::filesystem::exists(out.temp_path()));
    }
    REQUIRE(std::filesystem::is_empty(dir));
    std::filesystem::remove_all(dir);
}

TEST_CASE("concat_rows puts the parts' rows one after the other, nulls and types kept", "[io][table]") {
    using uplift::io::Column;
    using uplift::io::Table;
    Table a({Column::strings("id", {"a", "b"}), Column::doubles("x", {1.0, 2.0})}, {{"k", "v"}});
    Table b({Column::strings("id", {"c"}), Column::doubles("x", {3.0}, {0})});
    const std::vector<Table> parts{a, b};
    const Table all = uplift::io::concat_rows(parts);
    REQUIRE(all.num_rows() == 3);
    CHECK(all.column("id").string_values() == std::vector<std::string>{"a", "b", "c"});
    CHECK(all.column("x").double_values()[1] == 2.0);
    CHECK(all.column("x").is_valid(1));
    CHECK_FALSE(all.column("x").is_valid(2));
    CHECK(all.metadata().at("k") == "v");
    Table other({Column::strings("id", {"d"}), Column::strings("x", {"no"})});
    const std::vector<Table> mismatched{a, other};
    CHECK_THROWS_AS(uplift::io::concat_rows(mismatched), uplift::InternalError);
}

TEST_CASE("concat_rows_taken is concat_rows then take, built a column at a time", "[io][table]") {
    using uplift::io::Column;
    using uplift::io::Table;
    Table a({Column::strings("id", {"a", "b"}), Column::doubles("x", {1.0, 2.0})}, {{"k", "v"}});
    Table b({Column::strings("id", {"c"}), Column::doubles("x", {3.0}, {0})});
    const std::vector<std::size_t> order{2, 0, 1};
    const Table all = uplift::io::concat_rows_taken({a, b}, order);
    const Table expected = uplift::io::concat_rows(std::vector<Table>{a, b}).take(order);
    REQUIRE(all.num_rows() == 3);
    REQUIRE(all.num_columns() == 2);
    CHECK(all.columns()[0].name() == "id");
    CHECK(all.column("id").string_values() == expected.column("id").string_values());
    CHECK(all.column("x").double_values()[1] == expected.column("x").double_values()[1]);
    CHECK_FALSE(all.column("x").is_valid(0));
    CHECK(all.column("x").is_valid(1));
    CHECK(all.metadata().at("k") == "v");
    Table other({Column::strings("id", {"d"}), Column::strings("x", {"no"})});
    CHECK_THROWS_AS(uplift::io::concat_rows_taken({a, other}, std::vector<std::size_t>{0}), uplift::InternalError);
}

TEST_CASE("a bit-flipped Parquet file is unreadable (exit 4), not an internal error", "[io]") {
    const fs::path dir = fresh_dir("bitflip");
    std::vector<double> values(20000);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i % 977) * 1.25;
    uplift::io::write_table(Table({Column::doubles("x", values)}), dir / "t.parquet");
    std::string bytes;
    {
        std::ifstream in(dir / "t.parquet", std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    for (std::size_t i = bytes.size() / 3; i < bytes.size() / 3 + 2000 && i + 8 < bytes.size(); ++i) bytes[i] ^= 0x5a;
    std::ofstream(dir / "bad.parquet", std::ios::binary) << bytes;
    REQUIRE_THROWS_AS(uplift::io::read_table(dir / "bad.parquet"), uplift::IoError);
    REQUIRE_THROWS_WITH(uplift::io::read_table(dir / "bad.parquet"), Catch::StartsWith("cannot read '"));
}

TEST_CASE("a session told to report progress passes DuckDB's estimate for the running statement", "[io][progress]") {
    const auto dir = fresh_dir("progress");
    const std::string csv = (dir / "big.csv").string();
    uplift::io::Session session({.threads = 2, .memory_limit = {}});
    session.execute("COPY (SELECT i, i * 3 AS j, 'client' || i AS name FROM range(6000000) r(i)) TO '" + csv + "'");
    std::vector<std::pair<std::uint64_t, std::uint64_t>> told;
    session.set_progress([&](std::uint64_t done, std::uint64_t total) { told.emplace_back(done, total); });
    // A file scan reports how far it is; long enough (about a second) for the 200 ms poll to see it.
    const std::string scan = "SELECT count(DISTINCT name) AS n FROM read_csv('" + csv + "')";
    REQUIRE(session.query(scan).num_rows() == 1);
    REQUIRE_FALSE(told.empty());
    for (const auto& [done, total] : told) {
        CHECK(total == 1000);
        CHECK(done < 1000);
    }
    told.clear();
    session.set_progress({});
    session.query(scan);
    CHECK(told.empty());
}
