// io::first_line_longer_than and throw_if_line_too_long: the real line of a CSV line too long for DuckDB.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "uplift/core/errors.hpp"
#include "uplift/io/csv_long_line.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
using uplift::io::first_line_longer_than;

namespace {

fs::path write(const std::string& name, const std::string& bytes) {
    static const fs::path dir = test_support::fresh_dir("test_long_line", "files");
    const fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}

}  // namespace

TEST_CASE("first_line_longer_than counts lines and bytes without their ending", "[io]") {
    const fs::path p = write("lf", "ab\nabcdef\r\nabc\n" + std::string(5, 'x'));
    CHECK(!first_line_longer_than(p, 6).has_value());  // "abcdef" before CRLF is 6 bytes
    const auto five = first_line_longer_than(p, 5);
    REQUIRE(five.has_value());
    CHECK(five->line == 2);
    CHECK(five->bytes == 6);
    const auto last = first_line_longer_than(write("last", "a\nb\n" + std::string(3, 'x')), 2);  // no final LF
    REQUIRE(last.has_value());
    CHECK(last->line == 3);
    CHECK(last->bytes == 3);
    // A line that runs over several read blocks (1 MiB each).
    const auto big = first_line_longer_than(write("big", "h\n" + std::string(3'000'000, 'y') + "\nz\n"), 2'000'000);
    REQUIRE(big.has_value());
    CHECK(big->line == 2);
    CHECK(big->bytes == 3'000'000);
}

TEST_CASE("throw_if_line_too_long names the file and the real line, and leaves other errors alone", "[io]") {
    const fs::path p = write("duckdb", "h\nok\n" + std::string(40, 'y') + "\n");
    const uplift::DataError duckdb("Invalid Input Error: CSV Error on Line: 1\nOriginal Line: yyy\nMaximum line size of "
                                   "20 bytes exceeded. Actual Size:41 bytes.");
    REQUIRE_THROWS_WITH(uplift::io::throw_if_line_too_long(duckdb, p, "export.csv"),
                        "'export.csv', line 3: the line is 40 bytes long, over the 20 bytes a CSV line may hold (a "
                        "field that size is a broken export: fix or remove the line)");
    REQUIRE_THROWS_AS(uplift::io::throw_if_line_too_long(duckdb, p, "export.csv"), uplift::DataError);
    CHECK_NOTHROW(uplift::io::throw_if_line_too_long(uplift::DataError("Conversion Error: x"), p, "export.csv"));
}
