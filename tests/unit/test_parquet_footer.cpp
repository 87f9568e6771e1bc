// io::copy_parquet_with_metadata: a Parquet file's pages copied and its footer written anew with other
// key-value metadata. Checked against DuckDB's own writer: the copy of a file must be the very bytes DuckDB
// writes for the same rows with the new metadata, and read back to the same rows.

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/experiments.hpp"
#include "uplift/core/errors.hpp"
#include "uplift/io/parquet_footer.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/sql.hpp"

namespace fs = std::filesystem;

namespace {

/// DuckDB's COPY of table t to `path`, with `kv` (a DuckDB KV_METADATA body; empty: none), on one thread.
void copy_t(uplift::io::Session& s, const fs::path& path, const std::string& kv) {
    s.execute(fmt::format("COPY t TO {} (FORMAT parquet, COMPRESSION zstd{})", uplift::io::quote_literal(path.string()),
                          kv.empty() ? "" : ", KV_METADATA {" + kv + "}"));
}

std::size_t rows_differing(uplift::io::Session& s, const fs::path& a, const fs::path& b) {
    const auto q = [&](const fs::path& x, const fs::path& y) {
        return s.query(fmt::format("SELECT count(*) AS n FROM (SELECT * FROM read_parquet({}) EXCEPT ALL SELECT * FROM "
                                   "read_parquet({}))",
                                   uplift::io::quote_literal(x.string()), uplift::io::quote_literal(y.string())))
            .column("n")
            .number_at(0);
    };
    return static_cast<std::size_t>(q(a, b) + q(b, a));
}

}  // namespace

TEST_CASE("a Parquet file copied with new metadata is the file DuckDB writes with that metadata", "[io]") {
    const auto dir = test_support::fresh_dir("parquet_footer", "copies");
    uplift::io::Session s({.threads = 1, .memory_limit = {}});
    // Several row groups, nulls, text and numbers: the pages the copy keeps and the footer describes.
    s.execute("CREATE TABLE t AS SELECT 'c' || range::VARCHAR AS id, (range % 3 = 0)::BIGINT AS y, "
              "CASE WHEN range % 11 = 0 THEN NULL ELSE hash(range) % 1000 / 7.0 END AS x "
              "FROM range(300000)");
    const std::string big(100'000, 'v');  // a value longer than any the footer held
    const uplift::io::Metadata wanted = {{"upliftctl.roles", "{\"id\": \"id\"}"}, {"z.long", big}, {"a", ""}};
    // In key order, as a Metadata map gives them to DuckDB's writer too.
    const std::string wanted_kv = fmt::format("'a': '', 'upliftctl.roles': '{{\"id\": \"id\"}}', 'z.long': '{}'", big);
    copy_t(s, dir / "expected.parquet", wanted_kv);

    for (const std::string& before : {std::string("'old': 'gone', 'upliftctl.roles': 'old roles'"), std::string()}) {
        INFO("the source's metadata: " << (before.empty() ? "none" : before));
        copy_t(s, dir / "source.parquet", before);
        REQUIRE(uplift::io::copy_parquet_with_metadata(dir / "source.parquet", dir / "copy.parquet", wanted));
        REQUIRE(test_support::file_bytes(dir / "copy.parquet") == test_support::file_bytes(dir / "expected.parquet"));
        REQUIRE(rows_differing(s, dir / "copy.parquet", dir / "source.parquet") == 0);
        const auto kv = s.query(fmt::format("SELECT key::VARCHAR AS k, value::VARCHAR AS v FROM parquet_kv_metadata({}) "
                                            "ORDER BY k",
                                            uplift::io::quote_literal((dir / "copy.parquet").string())));
        REQUIRE(kv.num_rows() == 3);
        REQUIRE(kv.column("k").text_at(2) == "z.long");
        REQUIRE(kv.column("v").text_at(2) == big);
    }

    // No metadata at all: the field goes, as in DuckDB's COPY without KV_METADATA.
    copy_t(s, dir / "plain.parquet", "");
    REQUIRE(uplift::io::copy_parquet_with_metadata(dir / "expected.parquet", dir / "stripped.parquet", {}));
    REQUIRE(test_support::file_bytes(dir / "stripped.parquet") == test_support::file_bytes(dir / "plain.parquet"));
    fs::remove_all(dir);
}

TEST_CASE("a file whose footer cannot be rewritten is refused and nothing is written", "[io]") {
    const auto dir = test_support::fresh_dir("parquet_footer", "refused");
    uplift::io::Session s({.threads = 1, .memory_limit = {}});
    s.execute("CREATE TABLE t AS SELECT range AS x FROM range(1000)");
    copy_t(s, dir / "good.parquet", "");
    const std::string good = test_support::file_bytes(dir / "good.parquet");
    const auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir / name, std::ios::binary) << text;
        return dir / name;
    };
    std::string encrypted = good;
    encrypted.replace(encrypted.size() - 4, 4, "PARE");
    std::string damaged = good;
    const std::size_t footer_start = test_support::parquet_footer_start(good);
    const std::size_t footer_size = good.size() - 8 - footer_start;
    damaged.replace(footer_start, footer_size, std::string(footer_size, '\xff'));
    for (const auto& [name, text] :
         {std::pair{"encrypted.parquet", encrypted}, std::pair{"damaged.parquet", damaged},
          std::pair{"short.parquet", std::string("PAR1PAR1")}, std::pair{"text.parquet", std::string(100, 'x')},
          std::pair{"long_length.parquet", good.substr(0, good.size() - 8) + std::string("\xff\xff\xff\x7f", 4) + "PAR1"}}) {
        INFO(name);
        REQUIRE_FALSE(uplift::io::copy_parquet_with_metadata(write(name, text), dir / "out.parquet", {{"k", "v"}}));
        REQUIRE_FALSE(fs::exists(dir / "out.parquet"));
    }
    REQUIRE_THROWS_AS(uplift::io::copy_parquet_with_metadata(dir / "missing.parquet", dir / "out.parquet", {}),
                      uplift::IoError);
    fs::remove_all(dir);
}
