// io::ParquetPartsWriter (through io::TableWriter, which every streamed Parquet output uses) and io::ParquetJoin:
// rows that arrive in pieces are encoded a row group at a time on worker threads and joined in order. Checked with
// DuckDB's reader and against the one-shot writers: the file holds the rows and metadata given, its row groups are
// the writer's own size, and its bytes depend neither on how the rows were cut nor on the thread count.

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "support/experiments.hpp"
#include "support/parquet_queries.hpp"
#include "support/tables.hpp"
#include "uplift/io/parquet_concat.hpp"
#include "uplift/io/parquet_footer.hpp"
#include "uplift/io/parquet_parts_writer.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/single_thread.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/io/table_writer.hpp"

namespace fs = std::filesystem;
using test_support::query_number;
using test_support::row_group_count;
using uplift::io::Column;
using uplift::io::quote_literal;
using uplift::io::Table;

namespace {

constexpr std::size_t group = uplift::io::parquet_writer_row_group_rows;

/// `n` rows: ids, doubles with nulls and both signs of zero, a text column of few values (dictionary pages).
Table rows(std::size_t n) {
    std::vector<std::int64_t> id(n);
    std::vector<double> x(n);
    std::vector<std::uint8_t> valid(n, 1);
    std::vector<std::string> store(n);
    for (std::size_t i = 0; i < n; ++i) {
        id[i] = static_cast<std::int64_t>(1000 + i);
        x[i] = i % 97 == 0 ? (i % 2 == 0 ? 0.0 : -0.0) : std::sin(static_cast<double>(i)) * 100.0;
        if (i % 13 == 0) valid[i] = 0;
        store[i] = fmt::format("store{}", i % 17);
    }
    return Table({Column::int64s("id", std::move(id)), Column::doubles("x", std::move(x), std::move(valid)),
                  Column::strings("store", std::move(store))});
}

/// Rows [from, to) of `t`.
Table slice(const Table& t, std::size_t from, std::size_t to) {
    std::vector<std::size_t> index;
    for (std::size_t i = from; i < to; ++i) index.push_back(i);
    return t.take(index);
}

/// `t` written through a TableWriter in pieces that end at `cuts` (and at the end), on `threads` threads.
fs::path write_in_pieces(const Table& t, const fs::path& path, const std::vector<std::size_t>& cuts, int threads,
                         const uplift::io::Metadata& metadata) {
    uplift::io::TableWriter writer(path, {.overwrite = true, .threads = threads});
    std::size_t from = 0;
    for (const std::size_t cut : cuts) {
        writer.append(slice(t, from, cut));
        from = cut;
    }
    writer.append(slice(t, from, t.num_rows()));
    writer.finish(metadata);
    return path;
}

}  // namespace

TEST_CASE("rows streamed in pieces become row groups of the writer's size, the same bytes however cut", "[io]") {
    const auto dir = test_support::fresh_dir("parts_writer", "pieces");
    const std::size_t n = 2 * group + 54321;
    const Table t = rows(n);
    const uplift::io::Metadata metadata = {{"upliftctl.roles", "{\"id\":\"id\"}"}, {"why", "a test"}};
    const fs::path whole = write_in_pieces(t, dir / "whole.parquet", {}, 2, metadata);

    const Table back = uplift::io::read_table(whole);
    test_support::require_same_values(back, t);
    REQUIRE(back.metadata() == metadata);
    uplift::io::Session s({.threads = 1, .memory_limit = {}});
    REQUIRE(row_group_count(s, whole) == 3);
    REQUIRE(query_number(s, fmt::format("SELECT max(row_group_num_rows) AS n FROM parquet_metadata({})",
                                        quote_literal(whole.string()))) == static_cast<double>(group));
    // Every row where it was, and the signs of zero kept (a dictionary would keep whichever it met first).
    REQUIRE(query_number(s, fmt::format("SELECT count(*) AS n FROM read_parquet({}, file_row_number = true) WHERE "
                                        "id <> 1000 + file_row_number",
                                        quote_literal(whole.string()))) == 0);
    REQUIRE(query_number(s, fmt::format("SELECT count(*) AS n FROM read_parquet({}) WHERE x = 0 AND "
                                        "signbit(x) AND (id - 1000) % 2 = 1",
                                        quote_literal(whole.string()))) > 0);

    const std::string bytes = test_support::file_bytes(whole);
    // Pieces of one row, pieces that end exactly at or just past a row group, an empty piece, many small ones.
    const std::vector<std::vector<std::size_t>> cuts = {
        {1}, {group}, {group - 1, group + 1, 2 * group}, {5000, 5000, 200000}, {50000, 100000, 150000, 200000, 250000}};
    for (std::size_t k = 0; k < cuts.size(); ++k) {
        for (const int threads : {1, 2, 3}) {
            INFO("cuts " << k << ", threads " << threads);
            const fs::path again = write_in_pieces(t, dir / "again.parquet", cuts[k], threads, metadata);
            REQUIRE(test_support::file_bytes(again) == bytes);
        }
    }
    // Through scratch files instead of pipes (where /proc is not mounted): the same bytes, and no file left.
    {
        const fs::path routed = dir / "routed.parquet";
        uplift::io::ParquetPartsWriter parts(routed, 2, routed, uplift::io::PartRoute::File);
        parts.append(slice(t, 0, 100000));
        parts.append(slice(t, 100000, n));
        parts.write(metadata);
        REQUIRE(test_support::file_bytes(routed) == bytes);
        fs::remove(routed);
    }
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) REQUIRE(e.path().extension() == ".parquet");
    // A file of fewer rows than a row group is one part.
    const fs::path small = write_in_pieces(slice(t, 0, 1000), dir / "small.parquet", {10, 500}, 2, {});
    REQUIRE(row_group_count(s, small) == 1);
    test_support::require_same_values(uplift::io::read_table(small), slice(t, 0, 1000));
    REQUIRE(uplift::io::read_table(small).metadata().empty());
}

TEST_CASE("a streamed Parquet file without rows has its columns, and a restart drops what was written", "[io]") {
    const auto dir = test_support::fresh_dir("parts_writer", "empty");
    {
        uplift::io::TableWriter writer(dir / "empty.parquet", {.overwrite = false, .threads = 2});
        writer.append(rows(0));
        writer.finish({{"k", "v"}});
    }
    const Table empty = uplift::io::read_table(dir / "empty.parquet");
    REQUIRE(empty.num_rows() == 0);
    REQUIRE(empty.column_names() == std::vector<std::string>{"id", "x", "store"});
    REQUIRE(empty.metadata() == uplift::io::Metadata{{"k", "v"}});

    uplift::io::TableWriter writer(dir / "restarted.parquet", {.overwrite = false, .threads = 2});
    writer.append(rows(group + 10));  // a whole row group already handed to the workers
    writer.restart();
    const Table few = slice(rows(20), 5, 20);
    writer.append(few);
    writer.finish({});
    test_support::require_same_values(uplift::io::read_table(dir / "restarted.parquet"), few);
    // Nothing but the file is left in the folder.
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
    REQUIRE(entries == 2);
}

TEST_CASE("ParquetJoin joins parts held in memory as concat_parquet joins their files", "[io]") {
    const auto dir = test_support::fresh_dir("parts_writer", "join");
    uplift::io::Session s({.threads = 1, .memory_limit = {}});
    s.execute("CREATE TABLE t AS SELECT range AS i, 'store' || (range % 17)::VARCHAR AS store FROM range(5000)");
    std::vector<fs::path> parts;
    for (const auto& [from, to] : std::vector<std::pair<int, int>>{{0, 1000}, {1000, 1000}, {1000, 5000}}) {
        parts.push_back(dir / fmt::format("p{}.parquet", parts.size()));
        s.execute(fmt::format("COPY (SELECT * FROM t WHERE i >= {} AND i < {} ORDER BY i) TO {} (FORMAT parquet, "
                              "KV_METADATA {{'old': 'gone'}})",
                              from, to, quote_literal(parts.back().string())));
    }
    const uplift::io::Metadata metadata = {{"new", "kept"}};
    REQUIRE(uplift::io::concat_parquet(parts, dir / "files.parquet", {}, metadata));
    {
        uplift::io::ParquetJoin join(dir / "memory.parquet");
        for (const auto& p : parts) REQUIRE(join.add(test_support::file_bytes(p)));
        REQUIRE(join.finish(metadata));
    }
    REQUIRE(test_support::file_bytes(dir / "memory.parquet") == test_support::file_bytes(dir / "files.parquet"));
    const Table back = uplift::io::read_table(dir / "memory.parquet");
    REQUIRE(back.num_rows() == 5000);
    REQUIRE(back.metadata() == metadata);
    REQUIRE(query_number(s, fmt::format("SELECT count(*) AS n FROM (SELECT * FROM read_parquet({}) EXCEPT ALL SELECT * "
                                        "FROM t)",
                                        quote_literal((dir / "memory.parquet").string()))) == 0);
    // One part with new metadata: the same bytes as the footer rewrite that features uses.
    REQUIRE(uplift::io::concat_parquet({parts[2]}, dir / "one.parquet", {}, metadata));
    REQUIRE(uplift::io::copy_parquet_with_metadata(parts[2], dir / "rewritten.parquet", metadata));
    REQUIRE(test_support::file_bytes(dir / "one.parquet") == test_support::file_bytes(dir / "rewritten.parquet"));
    // Bytes that are no Parquet file are refused, and so is every part after them.
    uplift::io::ParquetJoin refused(dir / "refused.parquet");
    REQUIRE(refused.add(test_support::file_bytes(parts[0])));
    REQUIRE_FALSE(refused.add("not a parquet file"));
    REQUIRE_FALSE(refused.add(test_support::file_bytes(parts[1])));
    REQUIRE_FALSE(refused.finish());
}
