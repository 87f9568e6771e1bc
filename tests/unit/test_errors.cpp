// Errors keep their kind across the DuckDB and XGBoost boundaries, and every file we write is checked:
// the exit code tells bad data (3) from a full disk (4) from a bug in our own SQL (1).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/duckdb_errors.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/model/xgb_handles.hpp"
#include "support/experiments.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
using uplift::ErrorKind;
using uplift::exit_code_of;

namespace {

fs::path fresh_dir(const std::string& name) { return test_support::fresh_dir("test_errors", name); }

/// The exit code `fn` fails with, and its message in `message`; -1 when it does not throw one of ours.
template <class Fn>
int exit_code_of_call(Fn&& fn, std::string* message = nullptr) {
    try {
        fn();
    } catch (const uplift::Error& e) {
        if (message != nullptr) *message = e.what();
        return exit_code_of(e.kind());
    }
    return -1;
}

}  // namespace

TEST_CASE("DuckDB error types map to our kinds in one table", "[errors]") {
    using uplift::io::detail::error_kind_of;
    for (auto type : {DUCKDB_ERROR_CONVERSION, DUCKDB_ERROR_OUT_OF_RANGE, DUCKDB_ERROR_INVALID_INPUT,
                      DUCKDB_ERROR_CONSTRAINT, DUCKDB_ERROR_DIVIDE_BY_ZERO}) {
        CHECK(error_kind_of(type) == ErrorKind::Data);
    }
    for (auto type : {DUCKDB_ERROR_IO, DUCKDB_ERROR_PERMISSION, DUCKDB_ERROR_HTTP, DUCKDB_ERROR_OUT_OF_MEMORY}) {
        CHECK(error_kind_of(type) == ErrorKind::Io);
    }
    for (auto type : {DUCKDB_ERROR_PARSER, DUCKDB_ERROR_BINDER, DUCKDB_ERROR_CATALOG, DUCKDB_ERROR_INTERNAL,
                      DUCKDB_ERROR_FATAL, DUCKDB_ERROR_INVALID, DUCKDB_ERROR_NOT_IMPLEMENTED}) {
        CHECK(error_kind_of(type) == ErrorKind::Internal);
    }
}

TEST_CASE("a DuckDB message's prefix names its type, for failures the C API gives no type", "[errors]") {
    using uplift::io::detail::error_type_of_message;
    CHECK(error_type_of_message("Conversion Error: Could not convert string 'abc' to INT32") ==
          DUCKDB_ERROR_CONVERSION);
    CHECK(error_type_of_message("Invalid Input Error: No magic bytes found") == DUCKDB_ERROR_INVALID_INPUT);
    CHECK(error_type_of_message("IO Error: No files found that match the pattern \"x\"") == DUCKDB_ERROR_IO);
    CHECK(error_type_of_message("Parser Error: syntax error at or near \"SELEC\"") == DUCKDB_ERROR_PARSER);
    CHECK(error_type_of_message("Binder Error: Referenced column \"nope\" not found") == DUCKDB_ERROR_BINDER);
    CHECK(error_type_of_message("Catalog Error: Table with name t does not exist!") == DUCKDB_ERROR_CATALOG);
    CHECK(error_type_of_message("INTERNAL Error: Attempted to access index 3") == DUCKDB_ERROR_INTERNAL);
    // No prefix, or one we do not know: treated as ours (exit 1), never blamed on the user.
    CHECK(error_type_of_message("something failed") == DUCKDB_ERROR_INVALID);
    CHECK(error_type_of_message("Frobnication Error: new in DuckDB 9") == DUCKDB_ERROR_INVALID);
    CHECK(error_type_of_message("") == DUCKDB_ERROR_INVALID);
}

TEST_CASE("a full disk is I/O whatever type DuckDB gives it", "[errors]") {
    std::string message;
    CHECK(exit_code_of_call([] {
              uplift::io::detail::throw_duckdb_error(DUCKDB_ERROR_INVALID_INPUT,
                                                     "Invalid Input Error: write failed: No space left on device", "");
          }, &message) == uplift::exit_code::io);
    CHECK(message == "Invalid Input Error: write failed: No space left on device");
    CHECK(exit_code_of_call([] { uplift::io::detail::throw_duckdb_error(DUCKDB_ERROR_BINDER, nullptr, "fallback"); },
                            &message) == uplift::exit_code::internal);
    CHECK(message == "fallback");
}

TEST_CASE("Session failures keep DuckDB's kind: bad value 3, missing file 4, our SQL 1", "[errors][io]") {
    uplift::io::Session session;
    std::string message;

    SECTION("a value that does not cast is bad data") {
        CHECK(exit_code_of_call([&] { session.query("SELECT CAST('abc' AS INTEGER) AS x"); }, &message) ==
              uplift::exit_code::data);
        CHECK_THAT(message, Catch::Contains("Could not convert string 'abc'"));
        CHECK(exit_code_of_call([&] { session.execute("SELECT CAST('abc' AS INTEGER)"); }) == uplift::exit_code::data);
        CHECK_THROWS_AS(session.execute_rows("SELECT CAST('abc' AS INTEGER)"), uplift::DataError);
    }
    SECTION("a bad value far into a streamed result is bad data too") {
        const auto sql = "SELECT CAST(CASE WHEN i = 9000 THEN 'abc' ELSE '1' END AS INTEGER) AS x FROM range(10000) t(i)";
        CHECK(exit_code_of_call([&] { session.query_chunks(sql, 100, [](uplift::io::Table&&) {}); }) ==
              uplift::exit_code::data);
    }
    SECTION("reading a missing file is I/O, in a prepared query and in a plain statement") {
        const std::string missing = (fresh_dir("missing") / "no_such.csv").string();
        CHECK(exit_code_of_call([&] { session.query("SELECT * FROM read_csv('" + missing + "')"); }, &message) ==
              uplift::exit_code::io);
        CHECK_THAT(message, Catch::Contains("no_such.csv"));
        CHECK(exit_code_of_call([&] { session.execute("CREATE VIEW v AS SELECT * FROM read_csv('" + missing + "')"); }) ==
              uplift::exit_code::io);
        CHECK(exit_code_of_call([&] {
                  session.query_chunks("SELECT * FROM read_csv('" + missing + "')", 10, [](uplift::io::Table&&) {});
              }) == uplift::exit_code::io);
    }
    SECTION("a syntax error in SQL we generated is our bug") {
        CHECK(exit_code_of_call([&] { session.query("SELEC 1"); }, &message) == uplift::exit_code::internal);
        CHECK_THAT(message, Catch::StartsWith("Parser Error:"));
        CHECK_THROWS_AS(session.execute("SELEC 1"), uplift::InternalError);
    }
    SECTION("an unknown column or table in SQL we generated is our bug") {
        CHECK(exit_code_of_call([&] { session.query("SELECT nope FROM (SELECT 1 AS a)"); }) ==
              uplift::exit_code::internal);
        CHECK_THROWS_AS(session.execute("SELECT nope FROM (SELECT 1 AS a)"), uplift::InternalError);
        CHECK_THROWS_AS(session.query("SELECT * FROM no_such_table"), uplift::InternalError);
        const uplift::io::Table t({uplift::io::Column::int64s("a", {1, 2})});
        CHECK_THROWS_AS(session.append_rows("no_such_table", t), uplift::InternalError);
    }
    SECTION("an appender failure keeps the type its error data carries") {
        session.execute("CREATE TABLE strict (a BIGINT NOT NULL)");
        const uplift::io::Table with_null({uplift::io::Column::int64s("a", {1, 2}, {1, 0})});
        CHECK(exit_code_of_call([&] { session.append_rows("strict", with_null); }, &message) ==
              uplift::exit_code::data);
        CHECK_THAT(message, Catch::Contains("NOT NULL"));
    }
    SECTION("COPY into a folder that does not exist, or cannot be written, is I/O") {
        const fs::path dir = fresh_dir("copy");
        CHECK(exit_code_of_call([&] {
                  session.execute("COPY (SELECT 1 AS a) TO '" + (dir / "no_such" / "x.parquet").string() + "'");
              }, &message) == uplift::exit_code::io);
        CHECK_THAT(message, Catch::Contains("x.parquet"));
        // A regular file where a folder should be: refused even for root, who ignores permission bits.
        uplift::io::write_file(dir / "file", "x");
        CHECK(exit_code_of_call([&] {
                  session.execute("COPY (SELECT 1 AS a) TO '" + (dir / "file" / "x.csv").string() + "'");
              }) == uplift::exit_code::io);
        if (::geteuid() != 0) {
            const fs::path read_only = dir / "read_only";
            fs::create_directories(read_only);
            ::chmod(read_only.c_str(), 0555);
            CHECK(exit_code_of_call([&] {
                      session.execute("COPY (SELECT 1 AS a) TO '" + (read_only / "x.parquet").string() + "'");
                  }) == uplift::exit_code::io);
            ::chmod(read_only.c_str(), 0755);
        }
        CHECK_FALSE(fs::exists(dir / "no_such"));
    }
}

TEST_CASE("a file DuckDB cannot open is unreadable input, a bug in our SQL stays a bug", "[errors][io]") {
    std::string message;
    const auto rethrow = [&](const uplift::Error& e) {
        return exit_code_of_call([&] { uplift::io::throw_unreadable(e, "/tmp/copy.csv", "data.csv"); }, &message);
    };
    CHECK(rethrow(uplift::DataError("Invalid Input Error: No magic bytes found at end of file '/tmp/copy.csv'\nmore")) ==
          uplift::exit_code::io);
    CHECK(message == "cannot read 'data.csv': Invalid Input Error: No magic bytes found at end of file 'data.csv'");
    CHECK(rethrow(uplift::IoError("IO Error: No files found")) == uplift::exit_code::io);
    CHECK(rethrow(uplift::InternalError("Binder Error: Referenced column \"x\" not found")) ==
          uplift::exit_code::internal);
    CHECK_THAT(message, Catch::StartsWith("cannot read 'data.csv': Binder Error"));
}

TEST_CASE("write_file checks every step and names the file and the reason", "[errors][io]") {
    const fs::path dir = fresh_dir("write_file");
    std::string message;
    SECTION("a full device") {
        REQUIRE(fs::exists("/dev/full"));  // Linux's always-full device
        CHECK(exit_code_of_call([] { uplift::io::write_file("/dev/full", "bytes", "shown.json"); }, &message) ==
              uplift::exit_code::io);
        CHECK(message == "cannot write 'shown.json': No space left on device");
        uplift::io::FileWriter file("/dev/full");
        CHECK_THROWS_AS(file.write(std::string(1 << 16, 'x')), uplift::IoError);
    }
    SECTION("a missing folder") {
        CHECK(exit_code_of_call([&] { uplift::io::write_file(dir / "no_such" / "f.txt", "x"); }, &message) ==
              uplift::exit_code::io);
        CHECK_THAT(message, Catch::Contains("f.txt': No such file or directory"));
        CHECK_THROWS_AS(uplift::io::write_text_atomic(dir / "no_such" / "f.txt", "x", false), uplift::IoError);
    }
    SECTION("the bytes arrive whole") {
        std::string big(3 << 20, 'a');
        big.back() = 'z';
        uplift::io::write_file(dir / "big.txt", big);
        CHECK(fs::file_size(dir / "big.txt") == big.size());
    }
    SECTION("a folder path that cannot be created") {
        uplift::io::write_file(dir / "plain", "x");
        CHECK_THROWS_AS(uplift::io::create_directories(dir / "plain" / "sub"), uplift::IoError);
    }
    SECTION("a range of another file, copied by the kernel or refused for the caller to copy") {
        std::string source(5 << 20, '\0');
        for (std::size_t i = 0; i < source.size(); ++i) source[i] = static_cast<char>('a' + i % 23);
        uplift::io::write_file(dir / "source.bin", source);
        uplift::io::FileWriter out(dir / "copy.bin");
        out.write("head");
        REQUIRE(out.append_range_of(dir / "source.bin", 1000, source.size() - 7));
        out.write("tail");
        out.close();
        CHECK(test_support::file_bytes(dir / "copy.bin") == "head" + source.substr(1000, source.size() - 1007) + "tail");
        // From a character device the kernel copies nothing: false, and nothing written.
        uplift::io::FileWriter other(dir / "other.bin");
        CHECK_FALSE(other.append_range_of("/dev/zero", 0, 100));
        CHECK_THROWS_AS(other.append_range_of(dir / "no_such.bin", 0, 1), uplift::IoError);
        other.close();
        CHECK(fs::file_size(dir / "other.bin") == 0);
        // Nor into a character device (a disk that is full): false, and the caller's write reports it.
        uplift::io::FileWriter full("/dev/full");
        CHECK_FALSE(full.append_range_of(dir / "source.bin", 0, 100));
    }
}

TEST_CASE("XGBoost failures keep their kind: a bad model file 5, rejected data 3, our misuse 1", "[errors][model]") {
    namespace xgb = uplift::model::xgb;
    CHECK(xgb::error_kind_of(xgb::Subject::model_file) == ErrorKind::Model);
    CHECK(xgb::error_kind_of(xgb::Subject::data) == ErrorKind::Data);
    CHECK(xgb::error_kind_of(xgb::Subject::parameters) == ErrorKind::Usage);
    CHECK(xgb::error_kind_of(xgb::Subject::ours) == ErrorKind::Internal);
    std::string message;

    SECTION("a model XGBoost cannot load") {
        CHECK(exit_code_of_call([] { xgb::Booster::from_buffer(R"({"learner": 42})"); }, &message) ==
              uplift::exit_code::model);
        CHECK_THAT(message, Catch::StartsWith("xgboost: loading a model:"));
    }
    SECTION("an infinite value XGBoost rejects") {
        const std::vector<float> values{1.0F, std::numeric_limits<float>::infinity(), 2.0F, 3.0F};
        CHECK(exit_code_of_call([&] { xgb::DMatrix::from_dense(values, 2, 2, 1); }) == uplift::exit_code::data);
    }
    SECTION("a call we got wrong on a booster we trained") {
        const std::vector<float> values{0.0F, 1.0F, 2.0F, 3.0F, 4.0F, 5.0F};
        auto data = xgb::DMatrix::from_dense(values, 6, 1, 1);
        data.set_float_info("label", std::vector<float>{0, 1, 0, 1, 0, 1});
        const xgb::DMatrix* cache[] = {&data};
        auto booster = xgb::Booster::create(cache);
        booster.set_param("objective", "binary:logistic");
        booster.update_one_iter(0, data);
        // A reversed slice is our bug (exit 1); it is refused before XGBoost, which would leak on it.
        CHECK(exit_code_of_call([&] { booster.slice(5, 2); }) == uplift::exit_code::internal);
        // A parameter value XGBoost refuses (only --xgb can pass one) is refused before any round.
        booster.set_param("tree_method", "no_such_method");
        CHECK(exit_code_of_call([&] { booster.check_parameters(); }, &message) == uplift::exit_code::usage);
        CHECK_THAT(message, Catch::Contains("no_such_method"));
        // Labels that do not fit the rows are data XGBoost rejects.
        auto short_labels = xgb::DMatrix::from_dense(values, 6, 1, 1);
        CHECK(exit_code_of_call([&] { short_labels.set_float_info("label", std::vector<float>{0, 1, 0, 1}); }) ==
              uplift::exit_code::data);
        // A label the objective cannot take is refused only when fitting: data too.
        auto bad_labels = xgb::DMatrix::from_dense(values, 6, 1, 1);
        bad_labels.set_float_info("label", std::vector<float>{0, 1, 0, 1, 0, 7});
        const xgb::DMatrix* bad_cache[] = {&bad_labels};
        auto second = xgb::Booster::create(bad_cache);
        second.set_param("objective", "binary:logistic");
        CHECK(exit_code_of_call([&] { second.update_one_iter(0, bad_labels); }) == uplift::exit_code::data);
    }
}
