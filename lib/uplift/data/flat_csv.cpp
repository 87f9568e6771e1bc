#include "uplift/data/flat_csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <optional>
#include <set>
#include <utility>

#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/core/step_timer.hpp"
#include "uplift/core/throw_error.hpp"
#include "uplift/io/csv_file_scan.hpp"
#include "uplift/io/csv_line_finder.hpp"
#include "uplift/io/csv_source.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/io/table_io.hpp"

namespace uplift::data {

namespace fs = std::filesystem;

namespace {

constexpr const char* reject_errors_table = "upliftctl_reject_errors";

/// DuckDB's copy of a rejected line may carry the line break of a CRLF file.
std::string trim_line_breaks(const std::string& s) {
    const auto b = s.find_first_not_of("\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of("\r\n") - b + 1);
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// The text of a value as a DOUBLE under the dialect's decimal mark, or NULL (SQL).
std::string as_double(const std::string& column, const io::CsvDialect& d) {
    if (d.decimal == '.') return fmt::format("try_cast({} AS DOUBLE)", column);
    return fmt::format("CASE WHEN contains({0}, '.') THEN NULL ELSE try_cast(replace({0}, ',', '.') AS DOUBLE) END",
                       column);
}

/// A hint for a value that is not a number: the flag that would read it.
std::string number_hint(const std::string& value, const io::CsvDialect& d) {
    static const std::regex decimal_comma(R"re([+-]?[0-9]*,[0-9]+)re");
    static const std::regex word(R"re([A-Za-z/#.\- ]+)re");
    if (value.size() > 64) return "";  // std::regex recurses per character: keep long values away from it
    if (d.decimal == '.' && std::regex_match(value, decimal_comma)) return " (a decimal comma? --decimal ',')";
    if (std::regex_match(value, word)) return " (a missing-value word? see --na-values)";
    return "";
}

std::string latin1_to_utf8(const std::string& s) {
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) {
            out.push_back(ch);
        } else {
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return out;
}

struct ColumnCounts {
    double values = 0, numbers = 0, booleans = 0, dates = 0, timestamps = 0, decimal_commas = 0;
};

/// The type most of a column's values have; text unless more than half of them are one other type.
std::string majority_type(const ColumnCounts& c) {
    if (c.values == 0) return "VARCHAR";
    if (2 * c.numbers > c.values) return "DOUBLE";
    if (2 * c.booleans > c.values) return "BOOLEAN";
    if (2 * c.timestamps > c.values) return c.dates == c.timestamps ? "DATE" : "TIMESTAMP";
    return "VARCHAR";
}

/// The value and type of DuckDB's `Could not convert string "<value>" to '<TYPE>'`, found without std::regex,
/// which recurses per character and overflows the stack on a 10 MB value.
std::optional<std::pair<std::string, std::string>> cast_value(const std::string& message) {
    static const std::string open = "Could not convert string \"";
    const auto b = message.find(open);
    const auto e = message.rfind("\" to '");
    if (b == std::string::npos || e == std::string::npos || e < b + open.size()) return std::nullopt;
    const auto type_end = message.find('\'', e + 6);
    if (type_end == std::string::npos) return std::nullopt;
    return std::pair{message.substr(b + open.size(), e - b - open.size()), message.substr(e + 6, type_end - e - 6)};
}

/// Rows DuckDB could not parse (wrong column count, a value of the wrong type, bad UTF-8), one per line.
std::vector<Reject> read_reject_errors(io::Session& session, const io::CsvSource& source, const io::CsvDialect& d,
                                       std::size_t header_fields) {
    const io::Table e = session.query(fmt::format(
        "SELECT line, column_name, error_type, error_message, csv_line FROM {} ORDER BY line, column_idx",
        reject_errors_table));
    static const std::regex column_count(R"re(Expected Number of Columns: (\d+) Found: (\d+))re");
    std::vector<Reject> out;
    for (std::size_t i = 0; i < e.num_rows(); ++i) {
        const auto line = source.line_of_reader_line(static_cast<std::int64_t>(e.column("line").number_at(i)));
        if (!out.empty() && out.back().row == line) continue;  // first error of a line says enough
        Reject r;
        r.row = line;
        r.raw = trim_line_breaks(e.column("csv_line").text_at(i));
        const std::string type = e.column("error_type").text_at(i);
        const std::string message = e.column("error_message").text_at(i);
        std::smatch m;
        const auto cast = type == "CAST" ? cast_value(message) : std::nullopt;
        if (const auto it = source.unclosed_quote_lines().find(line); it != source.unclosed_quote_lines().end()) {
            r.raw = it->second;
            r.reason = "unclosed quote: a field opened with '\"' on this line is never closed";
        } else if (const auto nul = source.nul_lines().find(line); nul != source.nul_lines().end()) {
            r.raw = nul->second.second;
            r.reason = fmt::format("byte {} is a NUL (0x00): not text (a damaged or binary file?)", nul->second.first);
        } else if (const auto extra = source.trailing_field_lines().find(line);
                   extra != source.trailing_field_lines().end()) {
            r.raw = extra->second;
            r.reason = fmt::format("{} fields, the header has {} (the last one is empty: a trailing '{}')",
                                   header_fields + 1, header_fields, d.delimiter);
        } else if (cast) {
            r.column = e.column("column_name").text_at(i);
            r.value = cast->first;
            r.reason = fmt::format("not a valid {}", cast->second);
            if (cast->second == "DOUBLE") r.reason += number_hint(r.value, d);
        } else if (message.size() < 4096 && std::regex_search(message, m, column_count)) {
            r.reason = fmt::format("expected {} columns, found {}", m[1].str(), m[2].str());
        } else if (type == "INVALID UNICODE" || type == "INVALID ENCODING") {
            r.reason = d.encoding == "utf-8" ? "not valid UTF-8 (a Latin-1 file? --encoding latin-1)"
                                             : "not valid text in the --encoding";
        } else {
            r.reason = fmt::format("{}: {}", type, message.substr(0, message.find('\n')));
        }
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace

std::vector<std::string> flat_csv_header(const fs::path& path, const io::CsvDialect& dialect) {
    const std::string file = path.string();
    const std::string header = io::first_csv_line(path);
    std::error_code ec;
    if (header.find_first_not_of(" \t\r") == std::string::npos) {
        const auto size = fs::file_size(path, ec);
        if (ec || size <= header.size() + 4) {
            throw DataError(fmt::format("'{}' is empty: no header line and no rows", file));
        }
        throw DataError(fmt::format("'{}', line 1: the header line is blank; the first line must name the columns",
                                    file));
    }
    if (const auto nul = header.find('\0'); nul != std::string::npos) io::throw_nul_byte(path, 1, nul + 1);
    if (dialect.encoding == "utf-8") {
        if (const auto at = io::first_invalid_utf8(header)) {
            // Not text in the encoding at all: an unreadable input (4), like a file with no CSV dialect.
            throw IoError(fmt::format(
                "cannot read '{}': line 1 (the header): byte 0x{:02X} at position {} is not UTF-8; the file is in another "
                "encoding (Latin-1 or Windows-1252?): pass --encoding latin-1 or convert it (iconv -f latin1 -t utf-8)",
                file, static_cast<unsigned char>(header[*at]), *at + 1));
        }
    }
    auto names = io::split_csv_line(header, dialect.delimiter);
    if (dialect.encoding == "latin-1") {
        for (auto& n : names) n = latin1_to_utf8(n);  // DuckDB converts the rows; the names must match them
    }
    std::map<std::string, std::size_t> seen;  // DuckDB's names are case-insensitive, so 'Y' repeats 'y'
    for (std::size_t j = 0; j < names.size(); ++j) {
        if (names[j].empty()) {
            throw DataError(fmt::format("'{}', line 1 (the header): column {} has no name; every column needs one",
                                        file, j + 1));
        }
        const auto [it, inserted] = seen.emplace(lower(names[j]), j);
        if (!inserted) {
            throw DataError(fmt::format("'{}', line 1 (the header): column name '{}' is given twice (columns {} and "
                                        "{}); rename one, each column needs its own name",
                                        file, names[j], it->second + 1, j + 1));
        }
    }
    return names;
}

struct FlatCsvReader::Impl {
    io::Session& session;
    fs::path path;
    io::CsvDialect dialect;
    std::vector<std::string> names;
    std::vector<std::string> used;
    io::CsvSource source;
    std::vector<std::string> typed;  ///< the feature columns, typed by what their values are
    std::map<std::string, std::string> types;
    /// Typed DOUBLE on a prefix's evidence, pending the read's confirmation (FlatCsvReader::types_confirmed),
    /// and the values the read returned for each of them.
    bool types_guessed = false;
    std::vector<std::int64_t> values_read;

    std::string scan_with(const std::map<std::string, std::string>& column_types, const std::string& extra) const {
        std::string columns;
        for (const auto& n : names) {
            const auto it = column_types.find(n);
            columns += fmt::format("{}{}: '{}'", columns.empty() ? "" : ", ", io::quote_literal(n),
                                   it == column_types.end() ? "VARCHAR" : it->second);
        }
        return fmt::format("read_csv({}, {}, {})", io::quote_literal(source.scan_path().string()),
                           io::read_csv_options(dialect, "{" + columns + "}", source.longest_record()), extra);
    }

    /// One row of counts over `scan`: `per_column` expressions (given the quoted column) for each of `columns`.
    io::Table count_values(const std::string& scan, const std::vector<std::string>& columns,
                           const std::vector<std::string>& per_column) const {
        std::string counts;
        for (const auto& name : columns) {
            const std::string c = io::quote_identifier(name);
            for (const auto& e : per_column) {
                counts += fmt::format("{}{}", counts.empty() ? "" : ", ", fmt::format(fmt::runtime(e), c));
            }
        }
        try {
            return session.query(fmt::format("SELECT {} FROM {}", counts, scan));
        } catch (const Error& e) {
            throw_error(e.kind(), fmt::format("cannot read '{}': {}", path.string(),
                                              io::duckdb_message(e.what(), source.scan_path(), path)));
        }
    }

    /// Each typed column's values and numbers over `scan` (the other counts zero).
    std::vector<ColumnCounts> count_numbers(const std::string& scan) const {
        const io::Table numbers =
            count_values(scan, typed, {"count({0})", "count(" + as_double("{0}", dialect) + ")"});
        std::vector<ColumnCounts> counted(typed.size());
        for (std::size_t j = 0; j < typed.size(); ++j) {
            counted[j].values = numbers.columns()[2 * j].number_at(0);
            counted[j].numbers = numbers.columns()[2 * j + 1].number_at(0);
        }
        return counted;
    }

    bool guess_numbers_from_prefix();
    void count_types();
};

/// The rows of the prefix that guesses the types: a few milliseconds of reading.
constexpr std::size_t type_guess_rows = 10'000;

bool FlatCsvReader::Impl::guess_numbers_from_prefix() {
    // Only where the reader's DOUBLE is the try_cast the counts use: both are DuckDB's TryDoubleCast with '.'.
    if (dialect.decimal != '.') return false;
    const std::string prefix = fmt::format("(SELECT * FROM {} LIMIT {})", scan_with({}, "ignore_errors = true"),
                                           type_guess_rows);
    for (const ColumnCounts& c : count_numbers(prefix)) {
        if (majority_type(c) != "DOUBLE") return false;
    }
    for (const auto& c : typed) types[c] = "DOUBLE";
    types_guessed = true;
    values_read.assign(typed.size(), 0);
    return true;
}

void FlatCsvReader::Impl::count_types() {
    types_guessed = false;
    const std::string file = path.string();
    // Pass 1: every value as text, counted by what it parses as. Numbers first: a column more than half of
    // whose values are numbers is DOUBLE whatever else they parse as, so the boolean, date, timestamp and
    // decimal-comma counts (costly: DuckDB formats an error message for every value a try_cast refuses) are
    // taken, in a second scan, only for the columns that are not.
    const std::string text_scan = scan_with({}, "ignore_errors = true");
    std::vector<ColumnCounts> counted = count_numbers(text_scan);
    std::vector<std::string> not_numeric;
    for (std::size_t j = 0; j < typed.size(); ++j) {
        if (counted[j].values > 0 && 2 * counted[j].numbers <= counted[j].values) not_numeric.push_back(typed[j]);
    }
    if (!not_numeric.empty()) {
        const io::Table others =
            count_values(text_scan, not_numeric,
                         {"count(try_cast({0} AS BOOLEAN))", "count(try_cast({0} AS DATE))",
                          "count(try_cast({0} AS TIMESTAMP))",
                          "count(CASE WHEN regexp_full_match({0}, '[+-]?[0-9]*,[0-9]+') THEN 1 END)"});
        for (std::size_t k = 0, j = 0; k < not_numeric.size(); ++k) {
            while (typed[j] != not_numeric[k]) ++j;
            const auto at = [&](std::size_t i) { return others.columns()[4 * k + i].number_at(0); };
            counted[j].booleans = at(0);
            counted[j].dates = at(1);
            counted[j].timestamps = at(2);
            counted[j].decimal_commas = at(3);
        }
    }
    for (std::size_t j = 0; j < typed.size(); ++j) {
        const ColumnCounts& c = counted[j];
        const std::string type = majority_type(c);
        types[typed[j]] = type;
        // With decimal commas read as such, most values would be numbers: say which flag does that.
        const bool decimal_commas =
            dialect.decimal == '.' && c.decimal_commas > 0 && 2 * (c.numbers + c.decimal_commas) > c.values;
        if (type != "VARCHAR" || (c.numbers == 0 && !decimal_commas)) continue;
        // Mostly text with some numbers, or numbers written with decimal commas: say so, with examples.
        const std::string col = io::quote_identifier(typed[j]);
        const io::Table examples = session.query(fmt::format(
            "SELECT {0} AS v FROM {1} WHERE {0} IS NOT NULL AND {2} IS NULL LIMIT 3", col, text_scan,
            as_double(col, dialect)));
        std::vector<std::string> shown;
        for (const auto& v : examples.column("v").string_values()) {
            shown.push_back("'" + (v.size() > 40 ? v.substr(0, 40) + "..." : v) + "'");
        }
        log::warn("'{}': column '{}' is read as text: {:.0f} of {:.0f} values are not numbers (first: {}){}", file,
                  typed[j], c.values - c.numbers, c.values, fmt::join(shown, ", "),
                  decimal_commas ? "; with decimal commas read as such most would be: --decimal ','" : "");
    }
}

FlatCsvReader::~FlatCsvReader() = default;

FlatCsvReader::FlatCsvReader(io::Session& session, const fs::path& path, const io::CsvDialect& dialect,
                             std::vector<std::string> names_in, std::vector<std::string> used_in,
                             const std::function<bool(const std::string&)>& text_column, bool guess_types) {
    const std::size_t header_fields = names_in.size();
    StepTimer timer("ingest");
    // CsvSource neither copies nor moves: the Impl is built in place.
    impl_.reset(new Impl{session, path, dialect, std::move(names_in), std::move(used_in),
                         io::CsvSource(path, {.delimiter = dialect.delimiter, .isolate_unclosed_quotes = true,
                                              .header_fields = header_fields}),
                         {}, {}, false, {}});
    if (impl_->source.unclosed_quote_lines().contains(1)) {
        throw DataError(fmt::format("'{}', line 1 (the header): unclosed quote: a field opened with '\"' is never "
                                    "closed", path.string()));
    }
    timer.done("byte check of the CSV (quotes, line ends, NUL bytes)");
    for (const auto& c : impl_->used) {
        if (!text_column(c)) impl_->typed.push_back(c);
    }
    if (impl_->typed.empty()) return;
    // A column is typed by what more than half of all its values are, which takes a pass over the file
    // (count_types). When a prefix shows every feature column numeric, the read itself confirms it instead
    // (types_confirmed): a big numeric file is then parsed once, not twice.
    if (guess_types && impl_->guess_numbers_from_prefix()) {
        timer.done("type guess from the first rows: every feature a number");
    } else {
        impl_->count_types();
        timer.done("type counts of the feature columns");
    }
}

bool FlatCsvReader::types_confirmed(std::size_t rejected_lines) {
    auto& d = *impl_;
    if (!d.types_guessed) return true;
    // Every value the read returned in a DOUBLE column is a number, and each rejected line holds at most one
    // more value of the column: more numbers read than lines rejected is more than half of all its values,
    // what count_types would have found.
    bool confirmed = true;
    for (const auto n : d.values_read) confirmed = confirmed && n > static_cast<std::int64_t>(rejected_lines);
    if (confirmed) return true;
    log::info("'{}': the first rows' types do not hold for the whole file; counting every value", d.path.string());
    d.types.clear();
    d.count_types();
    return false;
}

void FlatCsvReader::read(std::size_t chunk_rows, const std::function<void(io::Table&&)>& consume) {
    auto& d = *impl_;
    std::string select;
    for (const auto& c : d.used) {
        select += fmt::format("{}{}", select.empty() ? "" : ", ", io::quote_identifier(c));
    }
    const std::string typed_scan = d.scan_with(
        d.types, fmt::format("store_rejects = true, rejects_table = '{}', rejects_scan = 'upliftctl_reject_scans'",
                             reject_errors_table));
    // Only DuckDB's errors get the file's name: an error thrown by `consume` passes through as it was thrown.
    std::exception_ptr consumer_error;
    try {
        d.session.query_chunks(fmt::format("SELECT {} FROM {}", select, typed_scan), chunk_rows, [&](io::Table&& t) {
            if (d.types_guessed) {
                for (std::size_t j = 0; j < d.typed.size(); ++j) {
                    const io::Column& c = t.column(d.typed[j]);
                    d.values_read[j] += static_cast<std::int64_t>(c.size() - c.null_count());
                }
            }
            try {
                consume(std::move(t));
            } catch (...) {
                consumer_error = std::current_exception();
                throw;
            }
        });
    } catch (const Error& e) {
        if (consumer_error) std::rethrow_exception(consumer_error);
        // A value DuckDB cannot cast stays bad data (3), a read failure I/O (4), our SQL's bug internal (1).
        throw_error(e.kind(), fmt::format("cannot read '{}': {}", d.path.string(),
                                          io::duckdb_message(e.what(), d.source.scan_path(), d.path)));
    } catch (...) {
        if (consumer_error) std::rethrow_exception(consumer_error);
        throw;
    }
}

std::vector<Reject> FlatCsvReader::structural_rejects() {
    auto& d = *impl_;
    auto out = read_reject_errors(d.session, d.source, d.dialect, d.names.size());
    d.session.execute(fmt::format("DELETE FROM {}", reject_errors_table));
    return out;
}

std::vector<std::int64_t> FlatCsvReader::skipped_lines(const std::vector<Reject>& rejects) const {
    std::vector<std::int64_t> skipped(impl_->source.non_record_lines().begin(), impl_->source.non_record_lines().end());
    for (const auto& r : rejects) skipped.push_back(r.row);
    std::sort(skipped.begin(), skipped.end());
    skipped.erase(std::unique(skipped.begin(), skipped.end()), skipped.end());
    return skipped;
}

std::vector<std::int64_t> lines_of_rows(const std::vector<std::int64_t>& ordinals,
                                        const std::vector<std::int64_t>& skipped) {
    // Walk the lines from 2, stepping over skipped ones; data row k is the k-th line not skipped.
    std::vector<std::int64_t> out;
    out.reserve(ordinals.size());
    auto next_skipped = std::lower_bound(skipped.begin(), skipped.end(), std::int64_t{2});
    std::int64_t line = 2;
    std::int64_t row = 0;
    for (const std::int64_t wanted : ordinals) {
        if (wanted < row) throw InternalError("lines_of_rows: ordinals must ascend");
        while (true) {
            while (next_skipped != skipped.end() && *next_skipped == line) {
                ++next_skipped;
                ++line;
            }
            if (row == wanted) break;
            ++row;
            ++line;
        }
        out.push_back(line);
    }
    return out;
}

}  // namespace uplift::data
