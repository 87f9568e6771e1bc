#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "uplift/core/errors.hpp"
#include "uplift/data/flat_csv.hpp"
#include "uplift/data/ingest_flat.hpp"
#include "uplift/io/table_io.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
using uplift::data::FlatIngestOptions;
using uplift::data::ingest_flat;

namespace {

const fs::path data_dir = UPLIFT_TEST_DATA_DIR;
const fs::path hillstrom = fs::path(UPLIFT_EXAMPLES_DATA_DIR) / "hillstrom.csv";

FlatIngestOptions hillstrom_options(const fs::path& input) {
    FlatIngestOptions o;
    o.input = input;
    o.treatment = "segment";
    o.control = "No E-Mail";
    o.outcome = "visit";
    o.drop = {"conversion", "spend"};
    return o;
}

FlatIngestOptions simple_options(const fs::path& input, const std::string& id = "") {
    FlatIngestOptions o;
    o.input = input;
    o.treatment = "arm";
    o.control = "c";
    o.outcome = "y";
    o.id = id;
    return o;
}

fs::path write_file(const std::string& name, const std::string& text) {
    static const fs::path dir = test_support::fresh_dir("test_data", "files");
    std::ofstream(dir / name, std::ios::binary) << text;
    return dir / name;
}

}  // namespace

TEST_CASE("ingest keeps, rejects and excludes rows so that counts add up", "[data]") {
    uplift::io::Session s;
    auto o = hillstrom_options(data_dir / "one_bad_row.csv");
    const auto r = ingest_flat(s, o);
    const auto& sum = r.summary;
    REQUIRE(sum.rows_in == 3000);
    REQUIRE(sum.rows_rejected == 2);
    REQUIRE(sum.rows_kept + sum.rows_rejected + sum.rows_excluded == sum.rows_in);
    REQUIRE(r.dataset.num_rows() == static_cast<std::size_t>(sum.rows_kept));
    REQUIRE(r.rejects.num_rows() == 2);
    REQUIRE(r.rejects.column("row").int64_values()[0] == 1501);
    REQUIRE(r.rejects.column("column").string_values()[0] == "visit");
    REQUIRE(r.rejects.column("value").string_values()[0] == "maybe");
    REQUIRE(r.rejects.column("reason").string_values()[0] == "not a number");
    REQUIRE(r.rejects.column("row").int64_values()[1] == 2001);
    REQUIRE(r.rejects.column("reason").string_values()[1] == "expected 12 columns, found 3");
    // Row ids are the source data-row numbers: the kept row after the first reject is data row 1501.
    const auto ids = r.dataset.column("row_id").int64_values();
    REQUIRE(ids[0] == 1);
    REQUIRE(std::find(ids.begin(), ids.end(), 1500) == ids.end());  // data row 1500 is line 1501, rejected
    REQUIRE(std::find(ids.begin(), ids.end(), 1501) != ids.end());
}

TEST_CASE("ingest records roles, drops leaking columns and detects a binary outcome", "[data]") {
    uplift::io::Session s;
    auto o = hillstrom_options(data_dir / "one_bad_row.csv");
    o.treatment_levels = {"Womens E-Mail"};
    const auto r = ingest_flat(s, o);
    const auto roles = uplift::data::load_roles(r.dataset.metadata());
    REQUIRE(roles);
    REQUIRE(roles->treatment_levels == std::vector<std::string>{"Womens E-Mail"});
    REQUIRE(roles->outcome_type == uplift::data::OutcomeType::Binary);
    REQUIRE(roles->id == "row_id");
    REQUIRE_FALSE(r.dataset.has("spend"));
    REQUIRE_FALSE(r.dataset.has("conversion"));
    REQUIRE(r.summary.rows_excluded == r.summary.excluded_per_level.at("Mens E-Mail"));
    REQUIRE(r.summary.rows_kept + r.summary.rows_rejected + r.summary.rows_excluded == r.summary.rows_in);
    REQUIRE(r.dataset.column("recency").type() == uplift::io::ColumnType::Double);
    REQUIRE(r.dataset.column("channel").type() == uplift::io::ColumnType::String);
    REQUIRE(r.dataset.metadata().contains(uplift::artifacts::provenance_key));
}

TEST_CASE("ingest of the full Hillstrom file (mixed line endings) with a spend outcome", "[data]") {
    uplift::io::Session s;
    auto o = hillstrom_options(hillstrom);
    o.outcome = "spend";
    o.drop = {"visit", "conversion"};
    const auto r = ingest_flat(s, o);
    REQUIRE(r.summary.rows_in == 64000);
    REQUIRE(r.summary.rows_kept == 64000);
    REQUIRE(r.summary.outcome_type == "continuous");
    const auto spend = r.dataset.column("spend").double_values();
    const double total = std::accumulate(spend.begin(), spend.end(), 0.0);
    REQUIRE(total == Approx(67258.13).epsilon(1e-9));  // sum of the spend column, computed with awk
}

TEST_CASE("ingest fails with one line naming file, line, column and value", "[data]") {
    uplift::io::Session s;
    auto o = hillstrom_options(data_dir / "outcome_words.csv");
    REQUIRE_THROWS_AS(ingest_flat(s, o), uplift::DataError);
    REQUIRE_THROWS_WITH(ingest_flat(s, o), Catch::Contains("outcome_words.csv', line 3, column 'visit', value 'yes'") &&
                                               Catch::Contains("200 of 300 rows"));
    o.max_reject_rate = 0.7;  // the guard is a choice of the user
    REQUIRE(ingest_flat(s, o).summary.rows_rejected == 200);
}

TEST_CASE("ingest role errors", "[data]") {
    uplift::io::Session s;
    auto o = hillstrom_options(data_dir / "one_bad_row.csv");
    SECTION("no control rows") {
        o.control = "Nobody";
        REQUIRE_THROWS_WITH(ingest_flat(s, o), Catch::Contains("no rows with the control level 'Nobody'"));
    }
    SECTION("unknown treatment level") {
        o.treatment_levels = {"SMS"};
        REQUIRE_THROWS_WITH(ingest_flat(s, o), Catch::Contains("no rows with level 'SMS'"));
    }
    SECTION("unknown column") {
        o.outcome = "visits";
        REQUIRE_THROWS_AS(ingest_flat(s, o), uplift::DataError);
    }
    SECTION("only a control level") {
        const auto f = write_file("only_control.csv", "arm,y,x\nc,0,1\nc,1,2\nc,0,3\n");
        auto p = simple_options(f);
        REQUIRE_THROWS_WITH(ingest_flat(s, p), Catch::Contains("holds only the control level"));
    }
    SECTION("a binary outcome type that does not hold") {
        const auto f = write_file("not_binary.csv", "arm,y,x\nc,0,1\nt,2,2\nc,1,3\nt,0,4\n");
        auto p = simple_options(f);
        p.outcome_type = uplift::data::OutcomeType::Binary;
        p.max_reject_rate = 0.5;
        const auto r = ingest_flat(s, p);
        REQUIRE(r.summary.rows_rejected == 1);
        REQUIRE(r.rejects.column("reason").string_values()[0] == "not 0 or 1 (--outcome-type binary)");
    }
}

TEST_CASE("ingest rejects missing and duplicate ids and keeps integer ids as integers", "[data]") {
    uplift::io::Session s;
    const auto f = write_file("ids.csv", "id,arm,y\n10,c,0\n11,t,1\n10,t,0\n,c,1\n12,c,1\n13,t,0\n");
    auto o = simple_options(f, "id");
    o.id_type = uplift::data::IdType::Integer;
    o.max_reject_rate = 0.5;
    const auto r = ingest_flat(s, o);
    REQUIRE(r.summary.rows_rejected == 2);
    REQUIRE(r.rejects.column("reason").string_values()[0] == "duplicate id (first seen at line 2)");
    REQUIRE(r.rejects.column("reason").string_values()[1] == "missing id");
    REQUIRE(r.dataset.column("id").type() == uplift::io::ColumnType::Int64);
    REQUIRE(r.dataset.column("id").int64_values()[2] == 12);
}

TEST_CASE("ingest reads Parquet input too, numbering rows from 1", "[data]") {
    uplift::io::Session s;
    const auto csv = write_file("pq_source.csv", "arm,y,x\nc,0,1\nt,1,2\nc,oops,3\nt,0,4\nc,1,5\n");
    const fs::path pq = csv.parent_path() / "pq_source.parquet";
    fs::remove(pq);
    auto raw = uplift::io::read_table(s, csv);
    uplift::io::write_table(s, raw, pq);
    auto o = simple_options(pq);
    o.max_reject_rate = 0.5;
    const auto r = ingest_flat(s, o);
    REQUIRE(r.summary.rows_in == 5);
    REQUIRE(r.rejects.column("row").int64_values()[0] == 3);
}

TEST_CASE("ingest keeps text ids byte for byte: 01, 1 and 001 are three clients", "[data]") {
    uplift::io::Session s;
    const auto f = write_file("text_ids.csv",
                              "id,arm,y\n01,c,0\n1,t,1\n001,c,1\n\" A7\",t,0\nA7,c,0\n\"A7 \",t,1\n0000002051,t,0\n01,t,1\n");
    auto o = simple_options(f, "id");
    o.max_reject_rate = 0.5;
    const auto r = ingest_flat(s, o);
    REQUIRE(r.summary.rows_rejected == 1);
    REQUIRE(r.rejects.column("reason").string_values()[0] == "duplicate id (first seen at line 2)");
    REQUIRE(r.rejects.column("row").int64_values()[0] == 9);
    const auto& ids = r.dataset.column("id");
    REQUIRE(ids.type() == uplift::io::ColumnType::String);
    REQUIRE(ids.string_values() == std::vector<std::string>{"01", "1", "001", " A7", "A7", "A7 ", "0000002051"});

    SECTION("--trim-ids makes ' A7' and 'A7 ' repeats of 'A7'") {
        o.trim_ids = true;
        const auto t = ingest_flat(s, o);
        REQUIRE(t.summary.rows_rejected == 3);
    }
    SECTION("--id-type integer makes 1 and 001 repeats of 01, and A7 not an id") {
        o.id_type = uplift::data::IdType::Integer;
        o.max_reject_rate = 1;
        const auto t = ingest_flat(s, o);
        REQUIRE(t.dataset.column("id").int64_values().size() == 2);  // 01 and 0000002051
        REQUIRE(t.summary.rejects_per_reason.at("not an integer id (--id-type integer)") == 3);
    }
}

TEST_CASE("a value that does not fit its column rejects its row and never retypes the column", "[data]") {
    uplift::io::Session s;
    const auto f = write_file("one_word.csv", "arm,y,x,w\nc,0,1.5,a\nt,1,n/a,b\nc,1,2,c\nt,0,3,4\n");
    auto o = simple_options(f);
    o.max_reject_rate = 0.5;
    auto r = ingest_flat(s, o);
    REQUIRE(r.dataset.column("x").type() == uplift::io::ColumnType::Double);
    REQUIRE(r.dataset.column("w").type() == uplift::io::ColumnType::String);  // mostly text: text
    REQUIRE(r.summary.rows_rejected == 1);
    REQUIRE(r.rejects.column("row").int64_values()[0] == 3);
    REQUIRE(r.rejects.column("column").string_values()[0] == "x");
    REQUIRE(r.rejects.column("value").string_values()[0] == "n/a");

    SECTION("--na-values reads the word as missing") {
        o.csv.na_values = {"n/a"};
        r = ingest_flat(s, o);
        REQUIRE(r.summary.rows_rejected == 0);
        REQUIRE_FALSE(r.dataset.column("x").is_valid(1));
    }
}

TEST_CASE("decimal commas and another delimiter", "[data]") {
    uplift::io::Session s;
    const auto f = write_file("semicolon.csv", "arm;y;x\nc;0;1055,35\nt;1,5;NA\nc;1;7\n");
    auto o = simple_options(f);
    o.csv.delimiter = ';';
    o.csv.decimal = ',';
    o.csv.na_values = {"NA"};
    const auto r = ingest_flat(s, o);
    REQUIRE(r.summary.rows_rejected == 0);
    REQUIRE(r.dataset.column("x").double_values()[0] == 1055.35);
    REQUIRE(r.dataset.column("y").double_values()[1] == 1.5);
    SECTION("without --delimiter the error says how the header reads") {
        const auto p = simple_options(f);
        REQUIRE_THROWS_WITH(ingest_flat(s, p), Catch::Contains("is the file separated by ';'? (--delimiter ';')"));
    }
}

TEST_CASE("inf, nan and values beyond the float range are rejects naming the column", "[data]") {
    uplift::io::Session s;
    const auto f = write_file("inf.csv", "arm,y,x\nc,0,1\nt,1,inf\nc,1,1e308\nt,0,-1e39\nc,1e300,2\nt,0,3\nc,1,4\n");
    auto o = simple_options(f);
    o.max_reject_rate = 1;
    const auto r = ingest_flat(s, o);
    REQUIRE(r.summary.rows_rejected == 4);
    const auto& rows = r.rejects.column("row").int64_values();
    REQUIRE(std::vector<std::int64_t>(rows.begin(), rows.end()) == std::vector<std::int64_t>{3, 4, 5, 6});
    REQUIRE(r.rejects.column("column").string_values() == std::vector<std::string>{"x", "x", "x", "y"});
    REQUIRE(r.rejects.column("reason").string_values()[0] == "not a finite number");
    REQUIRE(r.rejects.column("reason").string_values()[1].starts_with("out of range"));
}

TEST_CASE("an unclosed quote rejects its own line, named, and the lines after it are read", "[data]") {
    uplift::io::Session s;
    const auto f = write_file("quote.csv", "arm,y,x\nc,0,\"a b\"\nt,1,\"open\nc,1,x\nt,0,\"z\"\n\nc,1,w\n");
    auto o = simple_options(f);
    o.max_reject_rate = 1;
    const auto r = ingest_flat(s, o);
    REQUIRE(r.summary.rows_in == 5);
    REQUIRE(r.summary.rows_rejected == 1);
    REQUIRE(r.rejects.column("row").int64_values()[0] == 3);
    REQUIRE(r.rejects.column("raw").string_values()[0] == "t,1,\"open");
    REQUIRE(r.rejects.column("reason").string_values()[0].starts_with("unclosed quote"));
    // Rows after the bad line and the blank line keep their source lines in the row ids.
    const auto ids = r.dataset.column("row_id").int64_values();
    REQUIRE(std::vector<std::int64_t>(ids.begin(), ids.end()) == std::vector<std::int64_t>{1, 3, 4, 6});
}

TEST_CASE("header problems are one clear data error", "[data]") {
    uplift::io::Session s;
    const auto check = [&](const std::string& name, const std::string& text, const std::string& phrase) {
        const auto o = simple_options(write_file(name, text));
        try {
            ingest_flat(s, o);
            FAIL("no error for " << name);
        } catch (const uplift::Error& e) {
            REQUIRE_THAT(e.what(), Catch::Contains(phrase));
            REQUIRE(e.kind() == (name == "latin1.csv" ? uplift::ErrorKind::Io : uplift::ErrorKind::Data));
        }
    };
    check("empty.csv", "", "is empty: no header line and no rows");
    check("dup.csv", "arm,y,x,y\nc,0,1,1\nt,1,2,0\n", "column name 'y' is given twice (columns 2 and 4)");
    check("latin1.csv", "arm,y,caf\xE9\nc,0,1\nt,1,2\n", "byte 0xE9 at position 10 is not UTF-8");
}

TEST_CASE("a data line that is not UTF-8 is a reject of that line, saying so", "[data]") {
    uplift::io::Session s;
    const auto f = write_file("latin1_row.csv", "arm,y,x\nc,0,caf\xE9\nt,1,b\nc,1,c\nt,0,d\n");
    auto o = simple_options(f);
    o.max_reject_rate = 0.5;
    const auto r = ingest_flat(s, o);
    REQUIRE(r.summary.rows_rejected == 1);
    REQUIRE(r.rejects.column("row").int64_values()[0] == 2);
    REQUIRE(r.rejects.column("reason").string_values()[0] == "not valid UTF-8 (a Latin-1 file? --encoding latin-1)");
}

namespace {

/// Every value of a table as text, column by column: two tables compare equal cell by cell.
std::vector<std::vector<std::string>> cells(const std::vector<uplift::io::Table>& chunks) {
    std::vector<std::vector<std::string>> out;
    for (const auto& chunk : chunks) {
        if (out.empty()) out.resize(chunk.num_columns());
        REQUIRE(chunk.num_columns() == out.size());
        for (std::size_t j = 0; j < chunk.num_columns(); ++j) {
            const auto& c = chunk.columns()[j];
            for (std::size_t i = 0; i < c.size(); ++i) {
                out[j].push_back(c.name() + "=" + (c.is_valid(i) ? c.text_at(i) : std::string("NULL")));
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE("the streamed ingest keeps, rejects and numbers rows exactly as the one-table ingest", "[data]") {
    uplift::io::Session s;
    // Repeated ids (one after a rejected row), a value of the wrong type, a line of the wrong width, a blank
    // line, a record spanning two lines, an arm not selected, a missing outcome: lines move against positions.
    const std::string text =
        "id,arm,y,x,w\n1,c,0,1.5,a\n2,t,1,2,b\n\n3,c,1,x3,c\n2,t,0,3,d\n4,s,1,4,e\n5,c,,5,f\n"
        "6,t,1,6,\"two\nlines\"\n7,t,1\n8,c,0,8,h\n1,t,1,9,i\n9,c,1,10,j\n10,t,0,11,k\n11,c,1,12,l\n";
    const auto f = write_file("streamed.csv", text);
    for (const bool with_id : {true, false}) {
        auto o = simple_options(f, with_id ? "id" : "");
        o.treatment_levels = {"t"};
        o.max_reject_rate = 1;
        const auto whole = ingest_flat(s, o);
        REQUIRE(whole.summary.rows_rejected == (with_id ? 5 : 3));
        for (const std::size_t chunk_rows : {std::size_t{1}, std::size_t{3}, std::size_t{1000}}) {
            CAPTURE(with_id, chunk_rows);
            std::vector<uplift::io::Table> chunks;
            const auto streamed = uplift::data::ingest_flat_streamed(
                s, o, [&](uplift::io::Table&& c) { chunks.push_back(std::move(c)); }, [&] { chunks.clear(); },
                chunk_rows);
            // Without an id a CSV's rows are numbered by line, known at the end: one chunk.
            if (!with_id) REQUIRE(chunks.size() == 1);
            if (with_id && chunk_rows == 1) REQUIRE(chunks.size() > 5);
            REQUIRE(cells(chunks) == cells({whole.dataset}));
            REQUIRE(streamed.dataset_metadata == whole.dataset.metadata());
            REQUIRE(streamed.summary == whole.summary);
            REQUIRE(cells({streamed.rejects}) == cells({whole.rejects}));
        }
    }
    // And the one-table ingest's figures themselves, by hand: lines 5 (x3), 6 (id 2 again), 8 (no outcome),
    // 11 (three fields), 13 (id 1 again, first seen at line 2); line 7 is the excluded arm 's'.
    auto o = simple_options(f, "id");
    o.treatment_levels = {"t"};
    o.max_reject_rate = 1;
    const auto r = ingest_flat(s, o);
    const auto rows = r.rejects.column("row").int64_values();
    REQUIRE(std::vector<std::int64_t>(rows.begin(), rows.end()) == std::vector<std::int64_t>{5, 6, 8, 11, 13});
    REQUIRE(r.rejects.column("reason").string_values()[1] == "duplicate id (first seen at line 3)");
    REQUIRE(r.rejects.column("reason").string_values()[4] == "duplicate id (first seen at line 2)");
    REQUIRE(r.summary.rows_excluded == 1);
}

TEST_CASE("a CSV whose first rows are all numbers is still typed by all its values", "[data]") {
    // The first 10,000 rows are numbers in x and z, and the read takes them as numbers at once; the rows
    // after them decide. x takes the type more than half of its values have, as a count of every value would
    // say: 10,000 numbers of 20,000 values is text (the read starts again, nothing rejected), 10,001 numbers
    // of 20,001 is a number (each word a reject). z is a number throughout.
    uplift::io::Session s;
    for (const int numbers : {10'000, 10'001}) {
        CAPTURE(numbers);
        std::string text = "id,arm,y,x,z\n";
        const int rows = numbers + 10'000;
        for (int i = 1; i <= rows; ++i) {
            const std::string x = i <= numbers ? std::to_string(i) + ".5" : "w" + std::to_string(i);
            text += fmt::format("{},{},{},{},{}\n", i, i % 2 ? "c" : "t", i % 3 == 0, x, i % 7);
        }
        const auto f = write_file("late_words.csv", text);
        auto o = simple_options(f, "id");
        o.max_reject_rate = 1;
        const bool text_wins = numbers == 10'000;
        const auto whole = ingest_flat(s, o);
        REQUIRE(whole.dataset.column("x").type() ==
                (text_wins ? uplift::io::ColumnType::String : uplift::io::ColumnType::Double));
        REQUIRE(whole.dataset.column("z").type() == uplift::io::ColumnType::Double);
        REQUIRE(whole.summary.rows_rejected == (text_wins ? 0 : 10'000));
        REQUIRE(whole.dataset.num_rows() == static_cast<std::size_t>(text_wins ? rows : numbers));
        if (!text_wins) REQUIRE(whole.rejects.column("reason").string_values()[0] == "not a valid DOUBLE");
        // Streamed, the sink is told to start again exactly when the first read's types do not hold, and ends
        // with the one-table ingest's rows.
        std::vector<uplift::io::Table> chunks;
        int restarts = 0;
        const auto streamed = uplift::data::ingest_flat_streamed(
            s, o, [&](uplift::io::Table&& c) { chunks.push_back(std::move(c)); },
            [&] {
                ++restarts;
                chunks.clear();
            },
            3'000);
        REQUIRE(restarts == (text_wins ? 1 : 0));
        REQUIRE(cells(chunks) == cells({whole.dataset}));
        REQUIRE(streamed.summary == whole.summary);
        REQUIRE(cells({streamed.rejects}) == cells({whole.rejects}));
    }
}

TEST_CASE("the streamed ingest of a Parquet input without an id numbers rows from 1", "[data]") {
    uplift::io::Session s;
    const auto csv = write_file("streamed_src.csv", "arm,y,x\nc,0,1\nt,1,2\nc,x,3\nt,0,4\nc,1,5\n");
    const auto parquet = csv.parent_path() / "streamed_src.parquet";
    s.execute("COPY (SELECT * FROM read_csv('" + csv.string() + "', all_varchar = true)) TO '" + parquet.string() +
              "' (FORMAT parquet)");
    auto o = simple_options(parquet);
    o.max_reject_rate = 1;
    std::vector<uplift::io::Table> chunks;
    const auto streamed = uplift::data::ingest_flat_streamed(
        s, o, [&](uplift::io::Table&& c) { chunks.push_back(std::move(c)); }, [&] { chunks.clear(); }, 2);
    REQUIRE(chunks.size() == 3);
    REQUIRE(cells(chunks) == cells({ingest_flat(s, o).dataset}));
    REQUIRE(cells(chunks)[0] == std::vector<std::string>{"row_id=1", "row_id=2", "row_id=4", "row_id=5"});
    REQUIRE(streamed.rejects.column("row").int64_values()[0] == 3);
}

TEST_CASE("a sink's error ends the streamed ingest as thrown, while the next chunk is being read", "[data]") {
    // The sink runs beside the read: its error on the second chunk surfaces at a later chunk or at the end,
    // unwrapped (not as a read failure of the input), from a CSV and from a Parquet input.
    uplift::io::Session s;
    std::string text = "id,arm,y,x\n";
    for (int i = 1; i <= 20; ++i) text += std::to_string(i) + (i % 2 ? ",c," : ",t,") + std::to_string(i % 3 == 0) + ",1.5\n";
    const auto csv = write_file("sink_error.csv", text);
    const auto parquet = csv.parent_path() / "sink_error.parquet";
    s.execute("COPY (SELECT * FROM read_csv('" + csv.string() + "', all_varchar = true)) TO '" + parquet.string() +
              "' (FORMAT parquet)");
    for (const auto& input : {csv, parquet}) {
        CAPTURE(input);
        const auto o = simple_options(input, "id");
        int calls = 0;
        const auto failing = [&](uplift::io::Table&&) {
            if (++calls == 2) throw uplift::IoError("disk full while appending");
        };
        CHECK_THROWS_MATCHES(uplift::data::ingest_flat_streamed(s, o, failing, [] {}, 3), uplift::IoError,
                             Catch::Matchers::Message("disk full while appending"));
        CHECK(calls == 2);  // no chunk after the failing one reached the sink
    }
}

TEST_CASE("lines_of_rows matches a line-by-line walk", "[data]") {
    const std::vector<std::int64_t> skipped = {1, 2, 3, 7, 8, 12, 20};
    // The brute force: every line from 2 that is not skipped, in order.
    std::vector<std::int64_t> data_lines;
    for (std::int64_t line = 2; line < 40; ++line) {
        if (std::find(skipped.begin(), skipped.end(), line) == skipped.end()) data_lines.push_back(line);
    }
    std::vector<std::int64_t> all(data_lines.size());
    std::iota(all.begin(), all.end(), 0);
    REQUIRE(uplift::data::lines_of_rows(all, skipped) == data_lines);
    REQUIRE(uplift::data::lines_of_rows({0, 5, 6, 20}, skipped) ==
            std::vector<std::int64_t>{data_lines[0], data_lines[5], data_lines[6], data_lines[20]});
    REQUIRE(uplift::data::lines_of_rows({}, skipped).empty());
}

TEST_CASE("rejects after a record spanning lines name their own line", "[data]") {
    // DuckDB numbers its rejects without the continuation lines of quoted line breaks; the rejects file
    // must give the file's lines: "3,c" is line 5, the unclosed quote line 10, the repeated id 1 line 12.
    uplift::io::Session s;
    const auto f = write_file("spanning.csv", "id,arm,y,w\n1,c,0,a\n2,t,1,\"x\ny\"\n3,c\n\n4,t,0,\"p\nq\nr\"\n"
                                              "5,c,1,\"open\n6,t,0,b\n1,c,1,c\n7,t,1,d\n");
    auto o = simple_options(f, "id");
    o.max_reject_rate = 1;
    const auto r = ingest_flat(s, o);
    const auto rows = r.rejects.column("row").int64_values();
    REQUIRE(std::vector<std::int64_t>(rows.begin(), rows.end()) == std::vector<std::int64_t>{5, 10, 12});
    REQUIRE(r.rejects.column("reason").string_values()[0] == "expected 4 columns, found 2");
    REQUIRE(r.rejects.column("raw").string_values()[0] == "3,c");
    REQUIRE(r.rejects.column("reason").string_values()[1].starts_with("unclosed quote"));
    REQUIRE(r.rejects.column("reason").string_values()[2] == "duplicate id (first seen at line 2)");
    REQUIRE(r.dataset.column("id").string_values() == std::vector<std::string>{"1", "2", "4", "6", "7"});
}
