#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "uplift/io/csv_file_scan.hpp"
#include "uplift/io/csv_source.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
using uplift::io::scan_csv_file;

namespace {

fs::path write_file(const std::string& name, const std::string& text) {
    static const fs::path dir = test_support::fresh_dir("test_csv_scan", "files");
    std::ofstream(dir / name, std::ios::binary) << text;
    return dir / name;
}

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("an unclosed quote is the mistake of its own line only", "[io]") {
    // Line 3 opens a quote that the quote of line 5 would "close", followed by text: line 3 alone is bad.
    const auto f = write_file("unclosed.csv", "a,b,c\n1,x,2\n2,\"oops,3\n3,y,4\n4,\"q,r\",5\n5,z,6\n");
    const auto scan = scan_csv_file(f, ',');
    REQUIRE(scan.unclosed_quote_lines == std::vector<std::int64_t>{3});
    REQUIRE(scan.lines == 6);
    REQUIRE(scan.non_record_lines.empty());
}

TEST_CASE("an unclosed quote at the end of the file, and a legal field spanning lines", "[io]") {
    const auto f = write_file("spans.csv", "a,b\n1,\"two\nlines\"\n\n2,\"never closed\n3,x\n");
    const auto scan = scan_csv_file(f, ',');
    REQUIRE(scan.unclosed_quote_lines == std::vector<std::int64_t>{5});
    REQUIRE(scan.non_record_lines == std::vector<std::int64_t>{3, 4});  // the field's second line, a blank line
}

TEST_CASE("a quoted field may not run on for ever", "[io]") {
    std::string text = "a,b\n1,\"open\n";
    for (int i = 0; i < 50; ++i) text += "2,x\n";
    const auto scan = scan_csv_file(write_file("long.csv", text), ',', '"', 10);
    REQUIRE(scan.unclosed_quote_lines == std::vector<std::int64_t>{2});
}

TEST_CASE("the copy isolates an unclosed quote and keeps line numbers", "[io]") {
    const auto f = write_file("isolate.csv", "a,b\r\n1,\"x\r\n2,y\r\n3,\"z\"\"w\"\r\n");
    const uplift::io::CsvSource source(f, {.delimiter = ',', .isolate_unclosed_quotes = true});
    REQUIRE(source.normalised());
    REQUIRE(source.unclosed_quote_lines().at(2) == "1,\"x");
    REQUIRE(read_all(source.scan_path()) == "a,b\n?\n2,y\n3,\"z\"\"w\"\n");
}

TEST_CASE("header fields and UTF-8 checks", "[io]") {
    REQUIRE(uplift::io::split_csv_line("a,\"b,c\",\"d\"\"e\"\r", ',') == std::vector<std::string>{"a", "b,c", "d\"e"});
    REQUIRE(uplift::io::split_csv_line("a;b", ';') == std::vector<std::string>{"a", "b"});
    REQUIRE_FALSE(uplift::io::first_invalid_utf8("caf\xC3\xA9 \xE6\x97\xA5"));
    REQUIRE(uplift::io::first_invalid_utf8("caf\xE9,x") == 3u);
    REQUIRE(uplift::io::first_invalid_utf8("\xC0\xAF") == 0u);  // overlong '/'
}

TEST_CASE("a record with a trailing empty field past the header is found and isolated", "[io]") {
    // DuckDB's reader drops the empty fifth field of `2,C,0,6,` and keeps the row: the scan must see it.
    const std::string text = "id,t,y,x\r\n1,T,1,5\r\n2,C,0,6,\r\n3,\"T\",1,\r\n4,\"a\nb\",0,8,\r\n5,C,0,,\r\n";
    const auto f = write_file("trailing.csv", text);
    REQUIRE(scan_csv_file(f, ',').trailing_field_lines.empty());  // without the header's count: not looked for
    const auto scan = scan_csv_file(f, ',', '"', 1000, 4);
    // Line 4 ends in an empty fourth field (fine); the record of lines 5-6 spans lines (left to DuckDB).
    REQUIRE(scan.trailing_field_lines == std::vector<std::int64_t>{3, 7});
    const uplift::io::CsvSource source(f, {.delimiter = ',', .isolate_unclosed_quotes = true, .header_fields = 4});
    REQUIRE(source.trailing_field_lines().at(3) == "2,C,0,6,");
    REQUIRE(source.trailing_field_lines().at(7) == "5,C,0,,");
}

TEST_CASE("a NUL byte is found with its line: a reject of that line, or an error naming it", "[io]") {
    const auto f = write_file("nul.csv", std::string("a,b\n1,x\n2,y\0z\n3,w\n", 18));
    const auto scan = scan_csv_file(f, ',');
    REQUIRE(scan.nul_lines == std::vector<std::pair<std::int64_t, std::size_t>>{{3, 4}});
    const uplift::io::CsvSource isolated(f, {.delimiter = ',', .isolate_unclosed_quotes = true});
    REQUIRE(isolated.nul_lines().at(3) == std::pair<std::size_t, std::string>{4, "2,y\\x00z"});
    REQUIRE(read_all(isolated.scan_path()) == "a,b\n1,x\n?\n3,w\n");
    REQUIRE_THROWS_WITH(uplift::io::CsvSource(f), Catch::Contains("nul.csv', line 3: byte 4 of the line is a NUL"));
}
