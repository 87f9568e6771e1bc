#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/io/csv_line_finder.hpp"
#include "support/scratch.hpp"

// Test names start with "ingest line finder" so the ingest tests (ctest -R ingest) include them.

namespace fs = std::filesystem;
using uplift::io::CsvLineFinder;
using uplift::io::CsvLineScan;

namespace {

fs::path write_file(const std::string& name, const std::string& bytes) {
    static const fs::path dir = test_support::fresh_dir("test_line_finder", "files");
    const fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}

/// (line, id) of each match, for comparing with hand-known positions.
std::vector<std::pair<std::int64_t, std::size_t>> matches_of(const CsvLineScan& scan) {
    std::vector<std::pair<std::int64_t, std::size_t>> out;
    for (const auto& m : scan.matches) out.emplace_back(m.line, m.id);
    return out;
}

using Matches = std::vector<std::pair<std::int64_t, std::size_t>>;

}  // namespace

TEST_CASE("ingest line finder: a row's unquoted line text joins its fields, empty for null", "[io][ingest]") {
    using uplift::io::unquoted_csv_line;
    CHECK(unquoted_csv_line({"a", std::nullopt, "2019-01-01 10:00:00", ""}) == "a,,2019-01-01 10:00:00,");
    CHECK(unquoted_csv_line({std::nullopt}) == "");
    // Fields a writer must quote: their line text cannot be known.
    CHECK(!unquoted_csv_line({"a", "b,c"}));
    CHECK(!unquoted_csv_line({"say \"hi\"", "b"}));
    CHECK(!unquoted_csv_line({"a\rb"}));
    CHECK(!unquoted_csv_line({"a\nb"}));
}

TEST_CASE("ingest line finder: matches sit on their hand-counted lines of an LF file, header excluded",
          "[io][ingest]") {
    const auto p = write_file("lf.csv", "a,b\nx,1\ny,2\nx,1\nz,3\nx,1\n");
    CsvLineFinder f;
    REQUIRE(f.add("x,1", 7));
    REQUIRE(f.add("z,3", 9));
    REQUIRE(f.add("a,b", 1));  // the header's text: line 1 is never a data row
    const auto scan = f.scan(p);
    // "x,1" repeats on lines 2, 4 and 6: each line is one match.
    CHECK(matches_of(scan) == Matches{{2, 7}, {4, 7}, {5, 9}, {6, 7}});
    CHECK(scan.lines == 6);
    CHECK(!scan.quote_spans_lines);
}

TEST_CASE("ingest line finder: CRLF lines and a last line without LF match", "[io][ingest]") {
    const auto p = write_file("crlf.csv", "a,b\r\nx,1\r\ny,2\r\nz,3");
    CsvLineFinder f;
    REQUIRE(f.add("y,2", 0));
    REQUIRE(f.add("z,3", 1));
    const auto scan = f.scan(p);
    CHECK(matches_of(scan) == Matches{{3, 0}, {4, 1}});
    CHECK(scan.lines == 4);
}

TEST_CASE("ingest line finder: only whole lines match, not a prefix, suffix or longer line", "[io][ingest]") {
    const auto p = write_file("partial.csv", "h\nx,1,\nx,1\n,x,1\nx,10\nx,1 \n");
    CsvLineFinder f;
    REQUIRE(f.add("x,1", 0));
    CHECK(matches_of(f.scan(p)) == Matches{{3, 0}});
}

TEST_CASE("ingest line finder: a quoted line matches nothing, a line with an open quote is flagged",
          "[io][ingest]") {
    CsvLineFinder f;
    REQUIRE(f.add("x,1", 0));
    // Balanced quotes: each line is still one record; "x",1 is not the text x,1.
    const auto balanced = f.scan(write_file("balanced.csv", "h\n\"x\",1\nx,1\n\"a \"\"b\"\"\",2\n"));
    CHECK(matches_of(balanced) == Matches{{3, 0}});
    CHECK(!balanced.quote_spans_lines);
    // A quoted field running over a line break: the x,1 inside it is no record of its own.
    const auto spanning = f.scan(write_file("spanning.csv", "h\n\"note\nx,1\nend\",2\n"));
    CHECK(spanning.quote_spans_lines);
}

TEST_CASE("ingest line finder: a header-only or empty file has no matches", "[io][ingest]") {
    CsvLineFinder f;
    REQUIRE(f.add("a,b", 0));
    const auto header_only = f.scan(write_file("header_only.csv", "a,b\n"));
    CHECK(header_only.matches.empty());
    CHECK(header_only.lines == 1);
    const auto empty = f.scan(write_file("empty.csv", ""));
    CHECK(empty.matches.empty());
    CHECK(empty.lines == 0);
}

TEST_CASE("ingest line finder: a line cut by the end of a read block still matches on its own line",
          "[io][ingest]") {
    // The file is read in 1 MiB blocks: put the matching line across the first boundary, after lines of
    // known count, and another one at the very end.
    const std::size_t block = std::size_t{1} << 20;
    std::string bytes = "h\n";
    const std::string filler = "f,0000000000\n";  // 13 bytes
    std::int64_t lines = 1;
    while (bytes.size() + filler.size() < block - 3) {
        bytes += filler;
        ++lines;
    }
    const std::string target = "x,1234567890";
    bytes += target + "\n";  // starts 3 bytes or less before the boundary
    const std::int64_t target_line = ++lines;
    REQUIRE(bytes.size() > block);
    REQUIRE(bytes.size() - target.size() - 1 < block);
    bytes += filler + target + "\n";
    lines += 2;
    CsvLineFinder f;
    REQUIRE(f.add(target, 5));
    const auto scan = f.scan(write_file("blocks.csv", bytes));
    CHECK(matches_of(scan) == Matches{{target_line, 5}, {lines, 5}});
    CHECK(scan.lines == lines);
}

TEST_CASE("ingest line finder: a text is looked for once, and never one with a line break", "[io][ingest]") {
    CsvLineFinder f;
    CHECK(f.add("x,1", 0));
    CHECK(!f.add("x,1", 1));  // one line could not tell the two rows apart
    CHECK(!f.add("x\n1", 2));
    CHECK(!f.add("x\r", 3));
    CHECK(f.size() == 1);
    CHECK_THROWS_AS(f.scan("/nonexistent/upliftctl/file.csv"), uplift::IoError);
}

TEST_CASE("ingest line finder: the first line comes without byte order mark or line ending", "[io][ingest]") {
    using uplift::io::first_csv_line;
    CHECK(first_csv_line(write_file("bom.csv", "\xEF\xBB\xBF" "a,b\r\nx,1\r\n")) == "a,b");
    CHECK(first_csv_line(write_file("plain.csv", "a,b")) == "a,b");
    CHECK(first_csv_line(write_file("none.csv", "")) == "");
}
