// io::concat_parquet: Parquet files written in parts joined into one without decoding a page. Checked with
// DuckDB's reader: the joined file holds every part's rows in order, its statistics and bloom filters still
// answer filters, and a part the join cannot take leaves no file.

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/experiments.hpp"
#include "support/parquet_queries.hpp"
#include "uplift/io/parquet_concat.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/sql.hpp"

namespace fs = std::filesystem;
using test_support::query_number;
using test_support::row_group_count;
using uplift::io::quote_literal;

namespace {

/// Rows [from, to) of table t, written by DuckDB on one thread.
fs::path write_part(uplift::io::Session& s, const fs::path& path, int from, int to) {
    s.execute(fmt::format("COPY (SELECT * FROM t WHERE i >= {} AND i < {} ORDER BY i) TO {} (FORMAT parquet, "
                          "COMPRESSION zstd)",
                          from, to, quote_literal(path.string())));
    return path;
}

}  // namespace

TEST_CASE("Parquet parts joined hold their rows in order and answer filters", "[io]") {
    const auto dir = test_support::fresh_dir("parquet_concat", "joined");
    uplift::io::Session s({.threads = 1, .memory_limit = {}});
    // Text with few values (dictionary pages and bloom filters), unique text, nulls, doubles and timestamps.
    s.execute("CREATE TABLE t AS SELECT range AS i, 'c' || range::VARCHAR AS id, 'store' || (range % 17)::VARCHAR AS "
              "store, CASE WHEN range % 11 = 0 THEN NULL ELSE hash(range) % 1000 / 7.0 END AS x, "
              "TIMESTAMP '2019-01-01' + to_seconds(range * 37) AS at FROM range(300000)");
    // Uneven parts, several row groups in one, and an empty one between others.
    const std::vector<fs::path> parts = {write_part(s, dir / "p0.parquet", 0, 1000),
                                         write_part(s, dir / "p1.parquet", 1000, 251000),
                                         write_part(s, dir / "p2.parquet", 251000, 251000),
                                         write_part(s, dir / "p3.parquet", 251000, 300000)};
    const fs::path joined = dir / "joined.parquet";
    REQUIRE(uplift::io::concat_parquet(parts, joined));
    const std::string file = quote_literal(joined.string());

    REQUIRE(query_number(s, fmt::format("SELECT count(*) AS n FROM read_parquet({})", file)) == 300000);
    // Every row where it was: the row's position in the file is its i.
    REQUIRE(query_number(s, fmt::format("SELECT count(*) AS n FROM read_parquet({}, file_row_number = true) WHERE "
                                        "file_row_number <> i",
                                        file)) == 0);
    REQUIRE(query_number(s, fmt::format("SELECT count(*) AS n FROM (SELECT * FROM read_parquet({}) EXCEPT ALL "
                                        "SELECT * FROM t)",
                                        file)) == 0);
    // The row groups are the parts' own, renumbered, each with its own statistics.
    std::size_t groups_in_parts = 0;
    for (const auto& p : parts) groups_in_parts += row_group_count(s, p);
    REQUIRE(row_group_count(s, joined) == groups_in_parts);
    REQUIRE(query_number(s, fmt::format("SELECT max(stats_max_value::BIGINT) AS n FROM parquet_metadata({}) WHERE "
                                        "path_in_schema = 'i'",
                                        file)) == 299999);
    // Filters that the statistics and bloom filters serve (their offsets moved with the pages).
    REQUIRE(query_number(s, fmt::format("SELECT count(*) AS n FROM read_parquet({}) WHERE i BETWEEN 250990 AND 251010",
                                        file)) == 21);
    REQUIRE(query_number(s, fmt::format("SELECT count(*) AS n FROM read_parquet({}) WHERE store = 'store5'", file)) ==
            query_number(s, "SELECT count(*) AS n FROM t WHERE store = 'store5'"));
    // A bloom filter read at a wrong offset would not exclude an absent value from every row group.
    REQUIRE(query_number(s, fmt::format("SELECT count(*) FILTER (WHERE bloom_filter_excludes) AS n FROM "
                                        "parquet_bloom_probe({}, 'store', 'store5')",
                                        file)) == 0);
    REQUIRE(query_number(s, fmt::format("SELECT count(*) FILTER (WHERE NOT bloom_filter_excludes) AS n FROM "
                                        "parquet_bloom_probe({}, 'store', 'no such store')",
                                        file)) == 0);
    REQUIRE(query_number(s, fmt::format("SELECT count(*) AS n FROM parquet_bloom_probe({}, 'store', 'store5')",
                                        file)) == static_cast<double>(groups_in_parts));
    REQUIRE(query_number(s, fmt::format("SELECT count(*) AS n FROM read_parquet({}) WHERE id = 'c260000'", file)) == 1);

    // The same parts give the same bytes; one part gives its own.
    REQUIRE(uplift::io::concat_parquet(parts, dir / "again.parquet"));
    REQUIRE(test_support::file_bytes(dir / "again.parquet") == test_support::file_bytes(joined));
    REQUIRE(uplift::io::concat_parquet({parts[1]}, dir / "one.parquet"));
    REQUIRE(test_support::file_bytes(dir / "one.parquet") == test_support::file_bytes(parts[1]));
    fs::remove_all(dir);
}

TEST_CASE("parts that cannot be joined are refused and nothing is written", "[io]") {
    const auto dir = test_support::fresh_dir("parquet_concat", "refused");
    uplift::io::Session s({.threads = 1, .memory_limit = {}});
    s.execute("CREATE TABLE t AS SELECT range AS i, range * 2 AS j FROM range(1000)");
    const fs::path a = write_part(s, dir / "a.parquet", 0, 500);
    s.execute(fmt::format("COPY (SELECT i, j::DOUBLE AS j FROM t WHERE i >= 500) TO {} (FORMAT parquet)",
                          quote_literal((dir / "other_schema.parquet").string())));
    s.execute(fmt::format("COPY (SELECT * FROM t WHERE i >= 500) TO {} (FORMAT parquet, KV_METADATA {{'k': 'v'}})",
                          quote_literal((dir / "other_metadata.parquet").string())));
    {
        std::ofstream(dir / "text.parquet") << "not a parquet file";
    }
    for (const char* other : {"other_schema.parquet", "other_metadata.parquet", "text.parquet"}) {
        INFO(other);
        REQUIRE_FALSE(uplift::io::concat_parquet({a, dir / other}, dir / "out.parquet"));
        REQUIRE_FALSE(fs::exists(dir / "out.parquet"));
    }
    fs::remove_all(dir);
}
