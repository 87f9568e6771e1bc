#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <numeric>

#include "uplift/core/errors.hpp"
#include "uplift/data/ingest_flat.hpp"
#include "uplift/io/table_io.hpp"

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
    const fs::path dir = fs::temp_directory_path() / "upliftctl_test_data";
    fs::create_directories(dir);
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
