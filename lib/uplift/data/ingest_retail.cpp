#include "uplift/data/ingest_retail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>

#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/data/retail_tables.hpp"
#include "uplift/io/csv_file_scan.hpp"
#include "uplift/io/csv_line_finder.hpp"
#include "uplift/io/csv_long_line.hpp"
#include "uplift/io/csv_source.hpp"
#include "uplift/io/parquet_options.hpp"
#include "uplift/io/single_thread.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/io/parquet_parts.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/io/temp_table.hpp"

namespace uplift::data {

namespace {

namespace fs = std::filesystem;
using io::quote_identifier;
using io::quote_literal;

constexpr const char* orphan_reason = "orphan: client_id not in clients";
constexpr const char* rejected_client_reason = "client_id rejected in clients";

std::string split_group_reason(const RetailTable& t) {
    return fmt::format("{} repeats with another client_id or {}", t.group_key, t.group_time);
}

/// One input file of one table, with the scratch tables its CSV scans record their errors in.
struct Source {
    const RetailTable* spec = nullptr;
    fs::path file;                        ///< as the user gave it
    std::unique_ptr<io::CsvSource> csv;  ///< null for Parquet
    io::TempTable errors;                 ///< read_csv's rejects_table: the lines DuckDB could not split
    io::TempTable scans;                  ///< read_csv's rejects_scan (its companion, unused here)

    bool is_csv() const { return csv != nullptr; }

    std::string column_list() const {
        std::string out;
        for (const auto& c : spec->columns) out += fmt::format("{}{}", out.empty() ? "" : ", ", quote_identifier(c.name));
        return out;
    }

    /// The raw rows (every contract column, untyped for CSV). `numbered` adds upliftctl_ord: the ordinal
    /// of the row among the rows DuckDB could split (CSV) or the 1-based row (Parquet). Numbering a CSV
    /// scan makes it single-threaded, so only the (cheap) reject pass asks for it. A CSV scan that is
    /// numbered or `keeps_errors` records the lines DuckDB could not split in `errors`.
    std::string scan(bool numbered, bool keeps_errors = false) const {
        if (!is_csv()) {
            const std::string path = quote_literal(file.string());
            return numbered ? fmt::format("(SELECT file_row_number + 1 AS upliftctl_ord, {} FROM read_parquet({}, "
                                          "file_row_number = true))",
                                          column_list(), path)
                            : fmt::format("(SELECT {} FROM read_parquet({}))", column_list(), path);
        }
        const std::string read = fmt::format(
            "read_csv({}, header = true, delim = ',', quote = '\"', escape = '\"', all_varchar = true, {})",
            quote_literal(csv->scan_path().string()),
            numbered || keeps_errors
                ? fmt::format("store_rejects = true, rejects_table = {}, rejects_scan = {}",
                              quote_literal(errors.name()), quote_literal(scans.name()))
                : std::string("ignore_errors = true"));
        return numbered ? fmt::format("(SELECT ordinality AS upliftctl_ord, {} FROM {} WITH ORDINALITY)", column_list(),
                                      read)
                        : fmt::format("(SELECT {} FROM {})", column_list(), read);
    }
};

bool is_text(RetailCheck check) { return sql_type(check) == "VARCHAR"; }

/// The name under which a non-text column's parsed value travels beside its raw text.
std::string parsed_name(const RetailColumn& c) { return quote_identifier("upliftctl_typed_" + c.name); }

/// `scan` plus, for each non-text column, its value parsed once with try_cast (NULL when unparsable).
/// The checks and the typed output both read these, so no value is parsed twice.
std::string parsed(const RetailTable& t, const std::string& scan) {
    std::string out = "(SELECT *";
    for (const auto& c : t.columns) {
        if (is_text(c.check)) continue;
        out += fmt::format(", try_cast({} AS {}) AS {}", quote_identifier(c.name), sql_type(c.check), parsed_name(c));
    }
    return out + " FROM " + scan + ")";
}

/// A CASE naming the first check a row of `parsed(...)` fails as {bad_column, bad_reason}, or NULL.
/// `known_clients` (null: no client check) is the ENUM of the kept client ids. Orphan purchases and
/// campaign rows are found with a cast to it: a cast is a per-row hash lookup that keeps the scan parallel
/// *and* in file order, where a join would lose the order (DuckDB then writes row groups in whatever order
/// threads finish, and the output bytes would depend on --threads). `split_groups` (null: none) is the
/// ENUM of the group keys (transaction ids) whose kept rows disagree, found the same way.
std::string bad_row_expression(const RetailTable& t, const io::TempType* known_clients,
                               const io::TempType* split_groups) {
    std::string out = "CASE";
    const auto when = [&](const std::string& condition, const std::string& column, const std::string& reason) {
        out += fmt::format(" WHEN {} THEN {{'bad_column': {}, 'bad_reason': {}}}", condition, quote_literal(column),
                           quote_literal(reason));
    };
    for (const auto& c : t.columns) {
        const std::string raw = quote_identifier(c.name);
        const std::string v = is_text(c.check) ? raw : parsed_name(c);
        const std::string unparsed = fmt::format("{} IS NOT NULL AND {} IS NULL", raw, v);
        const std::string not_finite = fmt::format("{} IS NOT NULL AND NOT coalesce(isfinite({}), false)", raw, v);
        switch (c.check) {
        case RetailCheck::Id: when(raw + " IS NULL", c.name, "missing " + c.name); break;
        case RetailCheck::Text:
        case RetailCheck::Gender: break;
        case RetailCheck::Timestamp:
        case RetailCheck::OptionalTimestamp:
            if (c.check == RetailCheck::Timestamp) when(raw + " IS NULL", c.name, "missing " + c.name);
            when(fmt::format("regexp_matches(CAST({} AS VARCHAR), {})", raw, quote_literal(retail_offset_pattern)),
                 c.name, "time-zone offset in " + c.name);
            // The cast alone would take forms that move the time (see retail_timestamp_pattern).
            when(fmt::format("{} OR NOT regexp_full_match(CAST({} AS VARCHAR), {})", unparsed, raw,
                             quote_literal(retail_timestamp_pattern)),
                 c.name, "unparsable " + c.name);
            break;
        case RetailCheck::Number:
        case RetailCheck::NonNegative:
        case RetailCheck::OptionalNumber:
            if (c.check != RetailCheck::OptionalNumber) when(raw + " IS NULL", c.name, "missing " + c.name);
            when(not_finite, c.name, c.name + " not a number");
            when(fmt::format("abs({}) > {:.0f}", v, retail_max_abs_number), c.name, c.name + " out of range");
            if (c.check == RetailCheck::NonNegative) when(v + " < 0", c.name, "negative " + c.name);
            break;
        case RetailCheck::OptionalInteger: when(unparsed, c.name, c.name + " not an integer"); break;
        case RetailCheck::Flag:
            when(raw + " IS NULL", c.name, "missing " + c.name);
            when(fmt::format("coalesce({} NOT IN (0, 1), true)", v), c.name, c.name + " not 0 or 1");
            break;
        }
    }
    if (known_clients != nullptr && t.references_clients) {
        when(fmt::format("try_cast(\"client_id\" AS {}) IS NULL", known_clients->sql()), "client_id", orphan_reason);
    }
    if (split_groups != nullptr && !t.group_key.empty()) {
        when(fmt::format("try_cast({} AS {}) IS NOT NULL", quote_identifier(t.group_key), split_groups->sql()),
             t.group_key, split_group_reason(t));
    }
    return out + " END";
}

/// The typed columns of a kept row of `parsed(...)`, exactly as docs/retail_schema.md states them.
std::string typed_columns(const RetailTable& t) {
    std::string out;
    for (const auto& c : t.columns) {
        const std::string x = quote_identifier(c.name);
        const std::string value = c.check == RetailCheck::Gender ? fmt::format("coalesce(CAST({} AS VARCHAR), 'U')", x)
                                  : is_text(c.check)             ? fmt::format("CAST({} AS VARCHAR)", x)
                                                                 : parsed_name(c);
        out += fmt::format("{}{} AS {}", out.empty() ? "" : ", ", value, x);
    }
    return out;
}

/// For a rejected row: the value of the column named in upliftctl_bad.
std::string reject_value(const RetailTable& t) {
    std::string value = "CASE upliftctl_bad.bad_column";
    for (const auto& c : t.columns) {
        value += fmt::format(" WHEN {} THEN CAST({} AS VARCHAR)", quote_literal(c.name), quote_identifier(c.name));
    }
    return fmt::format("coalesce({} END, '')", value);
}

/// For a rejected row: its fields re-joined with commas (the source line when nothing was quoted).
std::string reject_raw(const RetailTable& t) {
    std::string raw;
    for (const auto& c : t.columns) {
        raw += fmt::format("{}coalesce(CAST({} AS VARCHAR), '')", raw.empty() ? "" : ", ", quote_identifier(c.name));
    }
    return fmt::format("concat_ws(',', {})", raw);
}

/// How the rows given to insert_rejects are placed in their file.
enum class RowPosition {
    Ordinal,  ///< upliftctl_ord: a row ordinal, which number_rejects turns into a line
    Line,     ///< upliftctl_line: the source line itself, already known
};

/// The rejects of every table, one row each (tbl, ord, line, column, value, reason, raw): created by
/// ingest_retail, filled and numbered per table, read by report_of and write_rejects.
io::TempTable create_rejects(io::Session& session) {
    io::TempTable rejects(session, "rejects");
    session.execute(fmt::format("CREATE TEMP TABLE {} (tbl VARCHAR, ord BIGINT, line BIGINT, \"column\" VARCHAR, "
                                "value VARCHAR, reason VARCHAR, raw VARCHAR)",
                                rejects.sql()));
    return rejects;
}

/// INSERT of the rejected rows of `from` (which has upliftctl_bad and the column `position` names) into
/// `rejects`.
std::string insert_rejects(const RetailTable& t, const io::TempTable& rejects, const std::string& from,
                           RowPosition position = RowPosition::Ordinal) {
    const bool by_line = position == RowPosition::Line;
    return fmt::format("INSERT INTO {} SELECT {}, {}, {}, upliftctl_bad.bad_column, {}, "
                       "upliftctl_bad.bad_reason, {} FROM {} WHERE upliftctl_bad IS NOT NULL",
                       rejects.sql(), quote_literal(t.name), by_line ? "NULL" : "upliftctl_ord",
                       by_line ? "upliftctl_line" : "NULL", reject_value(t), reject_raw(t), from);
}

/// Writes the rows of `select` to `target` on one thread (io::SingleThreaded: the bytes must not depend on
/// --threads) and returns how many it wrote.
std::int64_t copy_to_parquet(io::Session& session, const std::string& select, const fs::path& target) {
    const io::SingleThreaded one_thread(session);
    return session.execute_rows(
        fmt::format("COPY ({}) TO {} ({})", select, quote_literal(target.string()), io::parquet_copy_options));
}

std::vector<std::string> header_of(io::Session& session, const Source& source) {
    const std::string scan =
        source.is_csv()
            ? fmt::format("read_csv({}, header = true, delim = ',', quote = '\"', escape = '\"', all_varchar = true, "
                          "ignore_errors = true)",
                          quote_literal(source.csv->scan_path().string()))
            : fmt::format("read_parquet({})", quote_literal(source.file.string()));
    try {
        return session.query("DESCRIBE SELECT * FROM " + scan).column("column_name").string_values();
    } catch (const Error& e) {
        if (source.is_csv()) io::throw_if_line_too_long(e, source.csv->scan_path(), source.file);
        io::throw_unreadable(e, source.is_csv() ? source.csv->scan_path() : source.file, source.file);
    }
}

void require_columns(io::Session& session, const Source& source) {
    const auto header = header_of(session, source);
    std::vector<std::string> missing;
    std::vector<std::string> expected;
    for (const auto& c : source.spec->columns) {
        expected.push_back(c.name);
        if (std::find(header.begin(), header.end(), c.name) == header.end()) missing.push_back(c.name);
    }
    if (!missing.empty()) {
        throw DataError(fmt::format("'{}' ({} table) lacks the column{} {}; expected the header {}",
                                    source.file.string(), source.spec->name, missing.size() > 1 ? "s" : "",
                                    fmt::join(missing, ", "), fmt::join(expected, ",")));
    }
}

/// The distinct bad rows of a table without a unique key (few), raw text of every column, with how often each
/// occurs.
struct BadRows {
    io::TempTable rows;      ///< the contract columns (raw text), upliftctl_bad, upliftctl_n
    std::int64_t count = 0;  ///< bad rows in the file: the sum of upliftctl_n
};

/// What the first pass over a table without a unique key (purchases) finds.
struct FirstPass {
    BadRows bad;
    /// The group keys (transaction ids) whose good rows come with more than one client_id or group_time
    /// (k, upliftctl_n: its rows); empty without a group key.
    io::TempTable split_keys;
    std::int64_t rows = 0;  ///< the rows of the file (CSV: those DuckDB could split)
};


/// Pass 1 of a table without a unique key (purchases), in parallel: every row of the file once, with its typed
/// columns (named as the contract's), the first check it fails (`upliftctl_bad`, the split-group check aside)
/// and, for a bad row only, the raw text of its columns (one list, `upliftctl_raw`, in contract order: a column
/// per field, NULL in nearly every row, took a fifth more time to write). The rows stay in file order (DuckDB
/// keeps insertion order), so row k of `checked` is the k-th row DuckDB could split. Both what follows reads
/// this file instead of parsing the CSV again: the checks' aggregates (first_pass) and the kept rows' write
/// (write_kept_rows).
/// For CSV the lines DuckDB cannot split go to `source.errors`, with their line (DuckDB numbers them right in a
/// parallel scan too). No dictionaries: DuckDB's dictionary takes -0.0 and 0.0 for one value and keeps whichever
/// a row group met first, so the signs of zero the parts read would depend on where this file's row groups
/// fall, which depends on --threads. lz4: the file lives for one ingest, and zstd would cost more than it saves.
void write_checked_rows(io::Session& session, const Source& source, const std::string& bad, const fs::path& checked) {
    const RetailTable& t = *source.spec;
    std::string raw;
    for (const auto& c : t.columns) {
        raw += fmt::format("{}CAST({} AS VARCHAR)", raw.empty() ? "" : ", ", quote_identifier(c.name));
    }
    session.execute(fmt::format(
        "COPY (SELECT {}, upliftctl_bad, CASE WHEN upliftctl_bad IS NOT NULL THEN [{}] END AS upliftctl_raw FROM "
        "(SELECT *, {} AS upliftctl_bad FROM {})) TO {} (FORMAT parquet, "
        "COMPRESSION lz4_raw, DICTIONARY_SIZE_LIMIT 0, WRITE_BLOOM_FILTER false)",
        typed_columns(t), raw, bad, parsed(t, source.scan(false, true)), quote_literal(checked.string())));
    log::info("{}: every row checked and typed (parallel pass)", t.name);
}

/// The checks' aggregates over write_checked_rows' file, in one parallel scan. Three grouping sets share it:
/// the bad rows by content (the raw text, NULL in every good row, so those fall in one group), the good rows
/// by group key (blanked for bad rows), and the total. Only the bad rows and the keys whose rows disagree are
/// kept. Finding those keys before the kept rows are written lets them be written once.
FirstPass first_pass(io::Session& session, const Source& source, const fs::path& checked) {
    const RetailTable& t = *source.spec;
    FirstPass out{BadRows{io::TempTable(session, "bad_rows_" + t.name)}, io::TempTable(session, "split_" + t.name)};
    const bool grouped = !t.group_key.empty();
    std::string raw;  // each column's raw text under its contract name
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        raw += fmt::format("upliftctl_raw[{}] AS {}, ", i + 1, quote_identifier(t.columns[i].name));
    }
    std::string group_columns, sets = fmt::format("({}, upliftctl_bad)", source.column_list());
    std::string split_having;
    if (grouped) {
        group_columns = fmt::format(
            "CASE WHEN upliftctl_bad IS NULL THEN {} END AS upliftctl_key, CASE WHEN upliftctl_bad IS NULL THEN "
            "\"client_id\" END AS upliftctl_client, CASE WHEN upliftctl_bad IS NULL THEN {} END AS upliftctl_time",
            quote_identifier(t.group_key), quote_identifier(t.group_time));
        sets += ", (upliftctl_key)";
        split_having = " OR (grouping(upliftctl_bad, upliftctl_key) = 2 AND upliftctl_key IS NOT NULL AND (min(upliftctl_client) <> "
                       "max(upliftctl_client) OR min(upliftctl_time) <> max(upliftctl_time)))";
    } else {
        group_columns = "NULL AS upliftctl_key";
    }
    const io::TempTable pass(session, "first_pass_" + t.name);
    // grouping(upliftctl_bad, upliftctl_key): 1 = the bad rows' set, 2 = the group keys' set, 3 = the total.
    session.execute(fmt::format(
        "CREATE TEMP TABLE {0} AS SELECT {1}, upliftctl_bad, upliftctl_key, count(*) AS upliftctl_n, "
        "grouping(upliftctl_bad, upliftctl_key) AS upliftctl_set FROM (SELECT {2}upliftctl_bad, {3} FROM "
        "read_parquet({4})) GROUP BY GROUPING SETS ({5}, ()) "
        "HAVING (grouping(upliftctl_bad, upliftctl_key) = 1 AND upliftctl_bad IS NOT NULL){6} OR "
        "grouping(upliftctl_bad, upliftctl_key) = 3",
        pass.sql(), source.column_list(), raw, group_columns, quote_literal(checked.string()), sets, split_having));
    log::info("{}: checks done", t.name);
    session.execute(fmt::format("CREATE TEMP TABLE {} AS SELECT {}, upliftctl_bad, upliftctl_n FROM {} WHERE "
                                "upliftctl_set = 1",
                                out.bad.rows.sql(), source.column_list(), pass.sql()));
    session.execute(fmt::format("CREATE TEMP TABLE {} AS SELECT CAST(upliftctl_key AS VARCHAR) AS k, upliftctl_n FROM "
                                "{} WHERE upliftctl_set = 2",
                                out.split_keys.sql(), pass.sql()));
    const io::Table counts = session.query(fmt::format(
        "SELECT coalesce(sum(upliftctl_n) FILTER (WHERE upliftctl_set = 1), 0) AS bad, coalesce(sum(upliftctl_n) "
        "FILTER (WHERE upliftctl_set = 3), 0) AS rows FROM {}",
        pass.sql()));
    out.bad.count = static_cast<std::int64_t>(counts.column("bad").number_at(0));
    out.rows = static_cast<std::int64_t>(counts.column("rows").number_at(0));
    return out;
}

/// Writes the kept rows of write_checked_rows' file to `target` on every thread of `session`, in one-thread
/// parts joined without re-encoding (io::copy_parquet_in_parts): the bytes do not depend on --threads, and the
/// zstd encoding, most of the write's cost, no longer runs on one core. A row is kept when it passed every
/// check and its group key is not among `split_keys` (the keys that first_pass found shared).
std::int64_t write_kept_rows(io::Session& session, const Source& source, const fs::path& checked,
                             const FirstPass& first, bool split, const fs::path& target, const fs::path& scratch) {
    const RetailTable& t = *source.spec;
    io::PartsCopy copy{.source = checked,
                       .columns = source.column_list(),
                       .where = "upliftctl_bad IS NULL",
                       .setup = {},
                       .threads = io::session_threads(session),
                       .scratch = scratch / "parts"};
    if (split) {
        // The parts' sessions read the shared keys from a file; a cast to an ENUM of them is a per-row lookup
        // that keeps each part's rows in order, where a join might not.
        const fs::path keys = scratch / "split_keys.parquet";
        session.execute(fmt::format("COPY (SELECT k FROM {} ORDER BY k) TO {} (FORMAT parquet)", first.split_keys.sql(),
                                    quote_literal(keys.string())));
        copy.setup.push_back(fmt::format("CREATE TYPE upliftctl_split AS ENUM (SELECT k FROM read_parquet({}) ORDER BY 1)",
                                         quote_literal(keys.string())));
        copy.where += fmt::format(" AND try_cast({} AS upliftctl_split) IS NULL", quote_identifier(t.group_key));
    }
    const std::int64_t kept = io::copy_parquet_in_parts(copy, target);
    log::info("{}: kept rows written in parts on {} thread(s)", t.name, copy.threads);
    return kept;
}

/// For each header field of the file, the index of its contract column; nullopt unless the header is
/// exactly the contract columns (in any order) without quotes. Only then is a line the fields of
/// the bad rows joined in this order.
std::optional<std::vector<std::size_t>> header_order(const Source& source) {
    const std::string header = io::first_csv_line(source.csv->scan_path());
    if (header.find('"') != std::string::npos) return std::nullopt;
    const auto& columns = source.spec->columns;
    std::vector<std::size_t> order;
    std::vector<bool> seen(columns.size());
    std::size_t from = 0;
    while (from <= header.size()) {
        const std::size_t comma = std::min(header.find(',', from), header.size());
        const std::string_view name = std::string_view(header).substr(from, comma - from);
        const auto it =
            std::find_if(columns.begin(), columns.end(), [&](const RetailColumn& c) { return c.name == name; });
        if (it == columns.end() || seen[it - columns.begin()]) return std::nullopt;
        seen[it - columns.begin()] = true;
        order.push_back(static_cast<std::size_t>(it - columns.begin()));
        from = comma + 1;
    }
    if (order.size() != columns.size()) return std::nullopt;
    return order;
}

/// Above this many distinct bad rows the line texts would take much memory beside DuckDB's copy of them
/// (and the table is far over any sensible --max-reject-rate anyway): DuckDB's scan numbers them.
constexpr std::size_t max_bad_rows_matched = 2'000'000;

/// A finder for the line text of each row of `bad` (id = its rowid), or nullopt with the reason in
/// `why_not` when some row's text cannot be known from its fields.
std::optional<io::CsvLineFinder> bad_line_finder(io::Session& session, const Source& source, const BadRows& bad,
                                                 const std::vector<std::size_t>& order, std::string& why_not) {
    const RetailTable& t = *source.spec;
    const io::Table rows = session.query(
        fmt::format("SELECT rowid AS upliftctl_id, {} FROM {}", source.column_list(), bad.rows.sql()));
    if (rows.num_rows() > max_bad_rows_matched) {
        why_not = fmt::format("{} distinct bad rows", rows.num_rows());
        return std::nullopt;
    }
    const auto ids = rows.column("upliftctl_id").int64_values();
    io::CsvLineFinder finder;
    std::vector<std::optional<std::string>> fields(order.size());
    for (std::size_t i = 0; i < rows.num_rows(); ++i) {
        for (std::size_t k = 0; k < order.size(); ++k) {
            const io::Column& c = rows.column(t.columns[order[k]].name);
            fields[k] = c.is_valid(i) ? std::optional(c.string_values()[i]) : std::nullopt;
        }
        const auto text = io::unquoted_csv_line(fields);
        if (!text) {
            why_not = "a bad row has a field holding a quote, comma or line break";
            return std::nullopt;
        }
        if (!finder.add(*text, static_cast<std::size_t>(ids[i]))) {
            why_not = "two bad rows have the same line text";
            return std::nullopt;
        }
    }
    return finder;
}

/// Pass 2, fast: numbers the rows of `bad` by finding their lines in the raw bytes of the file
/// (io::CsvLineFinder): a row whose fields needed no quotes has one possible line text, and every line
/// with that text is such a row, so each match is one reject at a known line. Returns false, having
/// inserted nothing, when that cannot be trusted: the header is not the bare contract columns, a bad row
/// needed quotes, a quoted field may span lines, or the matches do not add up to the bad-row count of
/// pass 1 (e.g. when a bad row was quoted in the file).
bool number_by_line_text(io::Session& session, const Source& source, const BadRows& bad,
                         const io::TempTable& rejects) {
    const std::int64_t expected = bad.count;
    const RetailTable& t = *source.spec;
    std::string why_not;
    const auto done = [&](bool ok) {
        if (!ok) {
            log::info("{}: cannot number rejects by line text ({})", t.name, why_not);
        }
        return ok;
    };
    const auto order = header_order(source);
    if (!order) {
        why_not = "the header is not exactly the contract columns, unquoted";
        return done(false);
    }
    const auto finder = bad_line_finder(session, source, bad, *order, why_not);
    if (!finder) return done(false);
    const io::CsvLineScan scan = finder->scan(source.csv->scan_path());
    if (scan.quote_spans_lines) {
        why_not = "a quoted field may span lines";
        return done(false);
    }
    if (static_cast<std::int64_t>(scan.matches.size()) != expected) {
        why_not = fmt::format("{} lines match, the checks found {} bad rows", scan.matches.size(), expected);
        return done(false);
    }
    std::vector<std::int64_t> lines, ids;
    for (const auto& m : scan.matches) {
        lines.push_back(m.line);
        ids.push_back(static_cast<std::int64_t>(m.id));
    }
    const io::TempTable bad_lines(session, "bad_lines_" + t.name);
    session.register_table(bad_lines.name(), io::Table({io::Column::int64s("upliftctl_line", std::move(lines)),
                                                        io::Column::int64s("upliftctl_id", std::move(ids))}));
    session.execute(insert_rejects(t, rejects,
                                   fmt::format("(SELECT m.upliftctl_line, b.* FROM {} m JOIN (SELECT rowid AS "
                                               "upliftctl_id, * FROM {}) b USING (upliftctl_id))",
                                               bad_lines.sql(), bad.rows.sql()),
                                   RowPosition::Line));
    log::info("{}: rejects numbered (line scan)", t.name);
    return done(true);
}

/// Pass 2, fallback: a numbered DuckDB scan (single-threaded) that only splits lines finds the rows of
/// `bad` by content; number_rejects turns their ordinals into lines. It records the unsplittable lines
/// again, so pass 1's copy of them goes first.
void number_by_duckdb_scan(io::Session& session, Source& source, const BadRows& bad, const io::TempTable& rejects) {
    const RetailTable& t = *source.spec;
    source.errors.drop();
    source.scans.drop();
    std::string same;
    for (const auto& c : t.columns) {
        const std::string x = quote_identifier(c.name);
        same += fmt::format("{}r.{} IS NOT DISTINCT FROM b.{}", same.empty() ? "" : " AND ", x, x);
    }
    // A semi-join on the first column (one key: cheap) lets only candidate lines reach the join on all of
    // them, which costs more per row than splitting the line.
    const std::string first = quote_identifier(t.columns.front().name);
    session.execute(insert_rejects(
        t, rejects,
        fmt::format("(SELECT r.upliftctl_ord, b.* FROM (SELECT * FROM {0} WHERE {1} IN (SELECT {1} FROM {3}) OR {1} "
                    "IS NULL) r JOIN {3} b ON {2})",
                    source.scan(true), first, same, bad.rows.sql())));
    log::info("{}: rejects numbered (single-threaded pass)", t.name);
}

/// How many rejects of table `table` `rejects` holds so far.
std::int64_t rejects_in(io::Session& session, const io::TempTable& rejects, const std::string& table) {
    return static_cast<std::int64_t>(
        session.query(fmt::format("SELECT count(*) AS n FROM {} WHERE tbl = {}", rejects.sql(), quote_literal(table)))
            .column("n")
            .number_at(0));
}

/// Checks that the numbering gave every one of the `expected` bad rows of `source`'s table a reject.
void require_all_numbered(io::Session& session, const Source& source, const io::TempTable& rejects,
                          std::int64_t expected) {
    const std::int64_t found = rejects_in(session, rejects, source.spec->name);
    if (found != expected) {
        throw InternalError(fmt::format("'{}': the numbered pass found {} rejected rows, the checks {}",
                                        source.file.string(), found, expected));
    }
}

/// Numbers the rejects of a CSV table without a unique key (purchases): the distinct bad rows first_pass
/// kept (with the rows of split groups, when there are any). Numbering a CSV scan in DuckDB (WITH
/// ORDINALITY) makes it single-threaded, and evaluating every check there cost more than the parallel
/// typed pass itself. So a byte scan of the file finds the bad rows' lines by text, or, when that cannot
/// be trusted, a numbered DuckDB scan that only splits lines finds them by content. Every line with the
/// same content as a bad row is bad too, so each match is one reject; the match count must equal the
/// bad-row count of the parallel pass.
void number_csv_rejects(io::Session& session, Source& source, const BadRows& bad_rows,
                        const io::TempTable& rejects) {
    const RetailTable& t = *source.spec;
    const std::int64_t expected = bad_rows.count;
    if (expected == 0) {  // nothing to number: the file is not read again
        log::info("{}: no bad rows to number", t.name);
        return;
    }
    if (!number_by_line_text(session, source, bad_rows, rejects)) {
        number_by_duckdb_scan(session, source, bad_rows, rejects);
    }
    require_all_numbered(session, source, rejects, expected);
}

/// The group keys (transaction ids) of first_pass's split_keys as an ENUM, nullopt when there are none (the
/// usual case). Their rows all become rejects. When those alone pass `max_rate` of the table's rows, the
/// ingest fails here with an example: numbering every one of them costs memory in proportion, and a file
/// whose transaction ids are mostly shared (45M lines in 9M such ids) once took more than the host's 24 GB.
std::optional<io::TempType> split_groups_of(io::Session& session, const Source& source, const FirstPass& first,
                                            double max_rate) {
    const RetailTable& t = *source.spec;
    const io::Table counts = session.query(fmt::format(
        "SELECT count(*) AS n, coalesce(sum(upliftctl_n), 0) AS rows, min(k) AS example FROM {}",
        first.split_keys.sql()));
    const auto n = static_cast<std::int64_t>(counts.column("n").number_at(0));
    if (n == 0) return std::nullopt;
    const auto rows = static_cast<std::int64_t>(counts.column("rows").number_at(0));
    const double rate = first.rows > 0 ? static_cast<double>(rows) / static_cast<double>(first.rows) : 1.0;
    if (rate > max_rate) {
        throw DataError(fmt::format(
            "'{}': {} {} values (for example '{}') come with more than one client_id or {}; their {} of {} rows "
            "({:.1f}%) cannot be used, over --max-reject-rate {:g}% (nothing written). Is {} unique per "
            "transaction in this export, or only per store or per day?",
            source.file.string(), n, t.group_key, counts.column("example").text_at(0), t.group_time, rows,
            first.rows, 100.0 * rate, 100.0 * max_rate, t.group_key));
    }
    log::info("{}: {} {} values with more than one client_id or {}; their rows are rejects", t.name, n, t.group_key,
              t.group_time);
    std::optional<io::TempType> type;
    type.emplace(session, "split_" + t.group_key);
    session.execute(
        fmt::format("CREATE TYPE {} AS ENUM (SELECT k FROM {} ORDER BY 1)", type->sql(), first.split_keys.sql()));
    return type;
}

/// Adds the rows of the split groups that pass every other check to `bad` (they are few: split_groups_of
/// bounds them), read again from the CSV in a parallel scan that keeps only their keys. `bad_expression`
/// includes the split-group check, last, so a row that fails another check is not counted twice.
void add_split_rows(io::Session& session, const Source& source, const io::TempType& split,
                    const std::string& bad_expression, BadRows& bad) {
    const RetailTable& t = *source.spec;
    const std::int64_t added = session.execute_rows(fmt::format(
        "INSERT INTO {0} SELECT {1}, upliftctl_bad, count(*) FROM (SELECT *, {2} AS upliftctl_bad FROM {3} WHERE "
        "try_cast({4} AS {5}) IS NOT NULL) WHERE upliftctl_bad.bad_reason = {6} GROUP BY ALL",
        bad.rows.sql(), source.column_list(), bad_expression, parsed(t, source.scan(false)),
        quote_identifier(t.group_key), split.sql(), quote_literal(split_group_reason(t))));
    bad.count += static_cast<std::int64_t>(session.query(fmt::format(
        "SELECT coalesce(sum(upliftctl_n), 0) AS n FROM {} WHERE upliftctl_bad.bad_reason = {}", bad.rows.sql(),
        quote_literal(split_group_reason(t)))).column("n").number_at(0));
    log::info("{}: {} distinct rows of split {} values added to the rejects", t.name, added, t.group_key);
}

/// Above this many rows of split groups, add_split_rows_from_checked reads the whole checked file rather than
/// name each row in the SQL.
constexpr std::size_t max_split_rows_listed = 20'000;

/// add_split_rows without parsing the CSV again: the rows of the split groups that pass every other check are
/// read from write_checked_rows' file, which keeps a good row's typed values only. Their text is taken to be
/// those values written out (`100.0`, `2018-11-21 00:00:00`), which is how an export like X5's writes them;
/// number_by_line_text then has to find every such text as a line of the file, or the caller reads the rows
/// from the CSV after all (drop_split_rows, add_split_rows). Returns the rows added.
std::int64_t add_split_rows_from_checked(io::Session& session, const Source& source, const fs::path& checked,
                                         const io::TempType& split, BadRows& bad) {
    const RetailTable& t = *source.spec;
    std::string text;
    for (const auto& c : t.columns) {
        text += fmt::format("{}CAST({} AS VARCHAR) AS {}", text.empty() ? "" : ", ", quote_identifier(c.name),
                            quote_identifier(c.name));
    }
    const std::string reason = split_group_reason(t);
    const std::string file = quote_literal(checked.string());
    const std::string in_split = fmt::format("upliftctl_bad IS NULL AND try_cast({} AS {}) IS NOT NULL",
                                             quote_identifier(t.group_key), split.sql());
    // The rows are few: their numbers first, from two columns, and then their values from the row groups that
    // hold them (DuckDB skips the others for a list of row numbers), instead of every value of the file.
    const io::Table rows = session.query(fmt::format(
        "SELECT file_row_number AS f FROM read_parquet({}, file_row_number = true) WHERE {} ORDER BY f", file,
        in_split));
    std::string only;
    if (rows.num_rows() <= max_split_rows_listed) {
        for (const std::int64_t f : rows.column("f").int64_values()) {
            only += fmt::format("{}{}", only.empty() ? "" : ", ", f);
        }
        only = fmt::format(" AND file_row_number IN ({})", only.empty() ? "-1" : only);
    }
    session.execute(fmt::format(
        "INSERT INTO {0} SELECT {1}, {{'bad_column': {2}, 'bad_reason': {3}}}, count(*) FROM (SELECT {4} FROM "
        "read_parquet({5}, file_row_number = true) WHERE {6}{7}) GROUP BY ALL",
        bad.rows.sql(), source.column_list(), quote_literal(t.group_key), quote_literal(reason), text, file, in_split,
        only));
    const auto added = static_cast<std::int64_t>(session.query(fmt::format(
        "SELECT coalesce(sum(upliftctl_n), 0) AS n FROM {} WHERE upliftctl_bad.bad_reason = {}", bad.rows.sql(),
        quote_literal(reason))).column("n").number_at(0));
    bad.count += added;
    return added;
}

/// Takes the rows add_split_rows_from_checked added out of `bad` again.
void drop_split_rows(io::Session& session, const RetailTable& t, BadRows& bad, std::int64_t added) {
    session.execute(fmt::format("DELETE FROM {} WHERE upliftctl_bad.bad_reason = {}", bad.rows.sql(),
                                quote_literal(split_group_reason(t))));
    bad.count -= added;
}

/// The rejects of a CSV table without a unique key whose split groups are `split` (none: nullptr) numbered: see
/// number_csv_rejects. The split groups' rows come from the checked file when their text is their values'
/// (the usual case, which spares a parse of the file), else from the CSV.
void number_csv_rejects_with_splits(io::Session& session, Source& source, const fs::path& checked,
                                    const io::TempType* split, const std::string& bad_expression, BadRows& bad,
                                    const io::TempTable& rejects) {
    const RetailTable& t = *source.spec;
    if (split != nullptr) {
        const std::int64_t added = add_split_rows_from_checked(session, source, checked, *split, bad);
        if (number_by_line_text(session, source, bad, rejects)) {
            log::info("{}: {} rows of split {} values found by their typed values' text", t.name, added, t.group_key);
            require_all_numbered(session, source, rejects, bad.count);
            return;
        }
        log::info("{}: the rows of split {} values are read from the CSV", t.name, t.group_key);
        drop_split_rows(session, t, bad, added);
        add_split_rows(session, source, *split, bad_expression, bad);
    }
    number_csv_rejects(session, source, bad, rejects);
}

/// What check_table leaves for the next steps.
struct CheckedTable {
    std::int64_t kept = 0;
    /// Tables with a unique key: every row (contract columns, their parsed values, upliftctl_ord,
    /// upliftctl_bad), which ingest_retail reads for the kept client ids. Empty for the others.
    std::optional<io::TempTable> rows;
};

/// Runs the checks of one table, writes its kept rows to `target` and its rejects into `rejects`.
/// Small tables (those with a unique key) are checked in a temporary SQL table so repeats can be found.
/// Purchases are parsed and checked once, in parallel, into a scratch file of typed rows
/// (write_checked_rows); the rejects and split groups are found in it (first_pass) and its kept rows are
/// written in parallel parts (write_kept_rows). Only split groups, when there are any, cost a filtered scan
/// of the file between the two. `known_clients`: see bad_row_expression; `max_rate`: see split_groups_of.
CheckedTable check_table(io::Session& session, Source& source, const fs::path& target, const io::TempTable& rejects,
                         const io::TempType* known_clients, double max_rate) {
    const RetailTable& t = *source.spec;
    std::string bad = bad_row_expression(t, known_clients, nullptr);
    CheckedTable out;
    if (t.unique_key.empty()) {
        // Beside the output, inside the ingest's unfinished folder: gone with it if the ingest fails.
        const fs::path scratch = target.parent_path() / fmt::format(".{}.scratch", t.name);
        io::create_directories(scratch);
        const fs::path checked = scratch / "checked.parquet";
        write_checked_rows(session, source, bad, checked);
        FirstPass first = first_pass(session, source, checked);
        const std::optional<io::TempType> split = split_groups_of(session, source, first, max_rate);
        if (split) bad = bad_row_expression(t, known_clients, &*split);
        if (source.is_csv()) {
            number_csv_rejects_with_splits(session, source, checked, split ? &*split : nullptr, bad, first.bad,
                                           rejects);
        } else {  // Parquet row numbers come with a parallel scan: one pass finds and numbers the rejects
            session.execute(insert_rejects(
                t, rejects, fmt::format("(SELECT *, {} AS upliftctl_bad FROM {})", bad, parsed(t, source.scan(true)))));
        }
        out.kept = write_kept_rows(session, source, checked, first, split.has_value(), target, scratch);
        fs::remove_all(scratch);
        return out;
    }
    const io::TempTable& chk = out.rows.emplace(session, "checked_" + t.name);
    const std::string key = quote_identifier(t.unique_key);
    session.execute(fmt::format("CREATE TEMP TABLE {} AS SELECT *, {} AS upliftctl_bad FROM {}", chk.sql(), bad,
                                parsed(t, source.scan(true))));
    // Repeats of a key among otherwise good rows: the first (in file order) is kept.
    session.execute(fmt::format(
        "UPDATE {0} SET upliftctl_bad = {{'bad_column': {1}, 'bad_reason': {2}}} WHERE upliftctl_ord IN "
        "(SELECT upliftctl_ord FROM (SELECT upliftctl_ord, row_number() OVER (PARTITION BY {3} ORDER BY upliftctl_ord) "
        "AS n FROM {0} WHERE upliftctl_bad IS NULL) WHERE n > 1)",
        chk.sql(), quote_literal(t.unique_key), quote_literal("duplicate " + t.unique_key), key));
    session.execute(insert_rejects(t, rejects, chk.sql()));
    out.kept = copy_to_parquet(session,
                               fmt::format("SELECT {} FROM {} WHERE upliftctl_bad IS NULL ORDER BY upliftctl_ord",
                                           typed_columns(t), chk.sql()),
                               target);
    return out;
}

/// "VALUES (1), (5), ..." of `lines`, for a one-column table of line numbers.
std::string values_of(const std::vector<std::int64_t>& lines) {
    std::string out;
    for (const std::int64_t line : lines) out += fmt::format("{}({})", out.empty() ? "VALUES " : ", ", line);
    return out;
}

/// Turns row ordinals into source line numbers and adds the rows DuckDB could not split (wrong number
/// of fields, bad quoting) with their line. Rejects whose line is already known (found by their line text)
/// are left as they are.
///
/// Two numberings meet here. DuckDB's rejects name a "reader line", which does not count the second and
/// later lines of a record whose quoted field spans lines; the file's line of reader line r is r plus the
/// continuation lines c_i with c_i - i + 1 <= r (i from 1). A row's ordinal k counts only the rows DuckDB
/// could split: with every line that holds no such row (the unsplittable ones, blank lines, continuation
/// lines) sorted as s_1 < s_2 < …, row k sits on line k + 1 + #{ i : s_i - i <= k }. The line scan that
/// finds the blank and continuation lines runs only for a file with rejects.
void number_rejects(io::Session& session, const Source& source, const io::TempTable& rejects) {
    const std::string tbl = quote_literal(source.spec->name);
    if (!source.is_csv()) {
        session.execute(
            fmt::format("UPDATE {} SET line = ord WHERE tbl = {} AND line IS NULL", rejects.sql(), tbl));
        return;
    }
    const std::string errors = source.errors.sql();
    const auto unnumbered = session.query(fmt::format(
        "SELECT (SELECT count(*) FROM {} WHERE tbl = {} AND line IS NULL) + (SELECT count(*) FROM {}) AS n",
        rejects.sql(), tbl, errors));
    if (unnumbered.column("n").number_at(0) == 0) return;
    const io::CsvFileScan lines = io::scan_csv_file(source.file, ',');
    const io::TempTable continued(session, "continued_" + source.spec->name);
    session.execute(fmt::format("CREATE TEMP TABLE {} (d BIGINT)", continued.sql()));
    if (!lines.continuation_lines.empty()) {
        session.execute(fmt::format(
            "INSERT INTO {} SELECT c - row_number() OVER (ORDER BY c) + 1 FROM ({}) t(c)", continued.sql(),
            values_of(lines.continuation_lines)));
    }
    const auto file_line = [&](const std::string& reader_line) {
        return fmt::format("({0} + (SELECT count(*) FROM {1} WHERE {1}.d <= {0}))", reader_line, continued.sql());
    };
    const io::TempTable unsplit(session, "unsplit_" + source.spec->name);
    session.execute(fmt::format("CREATE TEMP TABLE {} AS SELECT DISTINCT CAST(line AS BIGINT) AS reader_line, {} AS line "
                                "FROM {}",
                                unsplit.sql(), file_line("CAST(line AS BIGINT)"), errors));
    const io::TempTable shift(session, "shift_" + source.spec->name);
    std::string no_row = fmt::format("SELECT line AS s FROM {}", unsplit.sql());
    if (!lines.non_record_lines.empty()) no_row += " UNION SELECT s FROM (" + values_of(lines.non_record_lines) + ") t(s)";
    session.execute(fmt::format("CREATE TEMP TABLE {} AS SELECT s - row_number() OVER (ORDER BY s) AS d FROM ({})",
                                shift.sql(), no_row));
    session.execute(fmt::format(
        "UPDATE {0} SET line = ord + 1 + (SELECT count(*) FROM {1} WHERE d <= ord) WHERE tbl = {2} AND line IS NULL",
        rejects.sql(), shift.sql(), tbl));
    // One reject per unsplittable line: its first error says enough.
    session.execute(fmt::format(
        "INSERT INTO {} SELECT {}, NULL, u.line, '', '', "
        "CASE WHEN regexp_matches(error_message, 'Expected Number of Columns: \\d+ Found: \\d+') "
        "THEN regexp_replace(error_message, '^.*Expected Number of Columns: (\\d+) Found: (\\d+).*$', "
        "'expected \\1 columns, found \\2', 's') "
        "ELSE CAST(error_type AS VARCHAR) || ': ' || split_part(error_message, chr(10), 1) END, "
        "rtrim(coalesce(csv_line, ''), chr(13) || chr(10)) "
        "FROM (SELECT *, row_number() OVER (PARTITION BY line ORDER BY column_idx) AS n FROM {}) e "
        "JOIN {} u ON u.reader_line = CAST(e.line AS BIGINT) WHERE n = 1",
        rejects.sql(), tbl, errors, unsplit.sql()));
}

RetailTableReport report_of(io::Session& session, const Source& source, const io::TempTable& rejects,
                            std::int64_t kept) {
    RetailTableReport r;
    r.table = source.spec->name;
    r.input = source.file.string();
    const std::string tbl = quote_literal(r.table);
    const io::Table counts = session.query(fmt::format(
        "SELECT reason, count(*) AS n FROM {} WHERE tbl = {} GROUP BY reason ORDER BY reason", rejects.sql(), tbl));
    for (std::size_t i = 0; i < counts.num_rows(); ++i) {
        const auto n = static_cast<std::int64_t>(counts.column("n").number_at(i));
        r.rejects_per_reason[counts.column("reason").text_at(i)] = n;
        r.rows_rejected += n;
    }
    const io::Table samples = session.query(fmt::format(
        "SELECT line, \"column\", value, reason FROM (SELECT *, row_number() OVER (PARTITION BY reason ORDER BY line) "
        "AS n FROM {} WHERE tbl = {}) WHERE n <= {} ORDER BY line",
        rejects.sql(), tbl, retail_samples_per_reason));
    for (std::size_t i = 0; i < samples.num_rows(); ++i) {
        r.samples.push_back({static_cast<std::int64_t>(samples.column("line").number_at(i)),
                             samples.column("column").text_at(i), samples.column("value").text_at(i),
                             samples.column("reason").text_at(i)});
    }
    r.rows_kept = kept;
    r.rows_in = kept + r.rows_rejected;
    return r;
}

std::string describe_sample(const RetailRejectSample& s, const std::string& file, bool csv) {
    std::string where = fmt::format("'{}', {} {}", file, csv ? "line" : "row", s.line);
    if (!s.column.empty()) where += fmt::format(", column '{}', value '{}'", s.column, s.value);
    return fmt::format("{}: {}", where, s.reason);
}

void check_reject_rate(const RetailTableReport& r, const Source& source, double max_rate) {
    if (r.rows_in == 0) {
        throw DataError(fmt::format("'{}' ({} table) has no data rows", r.input, r.table));
    }
    const double rate = static_cast<double>(r.rows_rejected) / static_cast<double>(r.rows_in);
    if (rate <= max_rate) return;
    throw DataError(fmt::format("{}; {} of {} {} rows ({:.1f}%) cannot be used, over --max-reject-rate {:g}% "
                                "(nothing written)",
                                describe_sample(r.samples.front(), r.input, source.is_csv()), r.rows_rejected,
                                r.rows_in, r.table, 100.0 * rate, 100.0 * max_rate));
}

/// The arms of a table with an arm column (campaign), counted over its written rows: both must occur. The
/// messages are flat ingest's (ingest_flat.cpp) for the same fault, with the table named as well.
void check_both_arms(io::Session& session, const Source& source, const fs::path& written) {
    const std::string& column = source.spec->arm_column;
    if (column.empty()) return;
    const io::Table arms = session.query(fmt::format(
        "SELECT CAST({0} AS VARCHAR) AS level, count(*) AS n FROM read_parquet({1}) GROUP BY {0} ORDER BY {0}",
        io::quote_identifier(column), quote_literal(written.string())));
    std::map<std::string, std::int64_t> kept_per_level;
    for (std::size_t i = 0; i < arms.num_rows(); ++i) {
        kept_per_level[arms.column("level").text_at(i)] = static_cast<std::int64_t>(arms.column("n").number_at(i));
    }
    std::vector<std::string> levels_found;
    for (const auto& [level, n] : kept_per_level) levels_found.push_back(fmt::format("'{}' ({})", level, n));
    const std::string where = fmt::format("'{}' ({} table)", source.file.string(), source.spec->name);
    if (!kept_per_level.contains("0")) {
        throw DataError(fmt::format("{}: treatment column '{}' has no rows with the control level '0'; levels "
                                    "found: {}",
                                    where, column, fmt::join(levels_found, ", ")));
    }
    if (!kept_per_level.contains("1")) {
        throw DataError(fmt::format("{}: treatment column '{}' holds only the control level '0'; an uplift "
                                    "dataset needs at least one treated level",
                                    where, column));
    }
}

void write_rejects(io::Session& session, const io::TempTable& rejects, const std::string& table,
                   const fs::path& target) {
    session.execute(fmt::format(
        "COPY (SELECT line, \"column\", value, reason, raw FROM {} WHERE tbl = {} ORDER BY line) TO {} "
        "(FORMAT csv, HEADER true)",
        rejects.sql(), quote_literal(table), quote_literal(target.string())));
}

Source open_source(io::Session& session, const RetailTable& spec, const fs::path& file) {
    io::require_readable(file);
    Source s{&spec, file, nullptr, io::TempTable(session, "errors_" + spec.name),
             io::TempTable(session, "scans_" + spec.name)};
    if (io::format_of(file) == io::FileFormat::Csv) s.csv = std::make_unique<io::CsvSource>(file);
    return s;
}

/// The campaign table, or the campaign's client list when it carries no outcomes: the header lacks both
/// treatment_flg and target, or every row leaves both empty (a CRM export of the clients about to be
/// contacted). One of the two columns without the other is a broken export and fails the header check.
Source open_campaign(io::Session& session, const fs::path& file) {
    Source s = open_source(session, campaign_table(), file);
    const auto header = header_of(session, s);
    const auto has = [&](const char* c) { return std::find(header.begin(), header.end(), c) != header.end(); };
    bool outcomes = has("treatment_flg") || has("target");
    if (has("treatment_flg") && has("target")) {
        const auto filled = session.query(fmt::format(
            "SELECT count(*) FILTER (WHERE nullif(trim(CAST(treatment_flg AS VARCHAR)), '') IS NOT NULL OR "
            "nullif(trim(CAST(target AS VARCHAR)), '') IS NOT NULL) AS n FROM {}",
            s.scan(false)));
        outcomes = filled.column("n").int64_values()[0] > 0;
    }
    if (!outcomes) {
        log::info("'{}' has no treatment_flg or target: a client list, for scoring only", file.string());
        s.spec = &campaign_clients_table();
    }
    return s;
}

}  // namespace

struct RetailSources::Impl {
    double max_reject_rate = 0.01;
    std::vector<Source> sources;  ///< clients, products (when given), purchases, campaign (when given)
};

RetailSources::RetailSources(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RetailSources::~RetailSources() = default;
RetailSources::RetailSources(RetailSources&&) noexcept = default;
RetailSources& RetailSources::operator=(RetailSources&&) noexcept = default;

RetailSources open_retail_sources(io::Session& session, const RetailIngestOptions& options) {
    if (!(options.max_reject_rate >= 0 && options.max_reject_rate <= 1)) {
        throw UsageError(fmt::format("--max-reject-rate {} must be between 0 and 1", options.max_reject_rate));
    }
    auto impl = std::make_unique<RetailSources::Impl>();
    impl->max_reject_rate = options.max_reject_rate;
    auto& sources = impl->sources;
    sources.push_back(open_source(session, clients_table(), options.clients));
    if (!options.products.empty()) sources.push_back(open_source(session, products_table(), options.products));
    sources.push_back(open_source(session, purchases_table(), options.purchases));
    if (!options.campaign.empty()) sources.push_back(open_campaign(session, options.campaign));
    for (const auto& s : sources) require_columns(session, s);
    return RetailSources(std::move(impl));
}

RetailIngestSummary write_retail_tables(io::Session& session, RetailSources& inputs, const fs::path& dir) {
    io::create_directories(dir / "rejects", dir / "rejects");
    const io::TempTable rejects = create_rejects(session);
    std::optional<io::TempTable> clients;  ///< the checked client rows, once clients is done
    std::optional<io::TempType> known_clients;
    RetailIngestSummary summary;
    summary.max_reject_rate = inputs.impl_->max_reject_rate;
    for (auto& source : inputs.impl_->sources) {  // clients first: the others are checked against its ids
        const std::string& name = source.spec->name;
        const auto start = std::chrono::steady_clock::now();
        const fs::path target = dir / (name + ".parquet");
        std::optional<CheckedTable> checked_or;
        try {
            checked_or.emplace(check_table(session, source, target, rejects, known_clients ? &*known_clients : nullptr,
                                           summary.max_reject_rate));
        } catch (const Error& e) {  // the sniffer took a sample without the long line: the scan meets it
            if (source.is_csv()) io::throw_if_line_too_long(e, source.csv->scan_path(), source.file);
            throw;
        }
        CheckedTable checked = std::move(*checked_or);
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        log::info("{}: checked and written in {:.1f} s", name, took.count());
        number_rejects(session, source, rejects);
        if (name == "clients") {
            if (checked.kept == 0) throw DataError(fmt::format("'{}': no usable client rows", source.file.string()));
            clients = std::move(checked.rows);
            const io::TempType& type = known_clients.emplace(session, "known_client");
            session.execute(fmt::format("CREATE TYPE {} AS ENUM (SELECT CAST(client_id AS VARCHAR) FROM {} WHERE "
                                        "upliftctl_bad IS NULL ORDER BY upliftctl_ord)",
                                        type.sql(), clients->sql()));
        } else if (source.spec->references_clients) {
            if (!clients) throw InternalError(fmt::format("'{}' is checked before the clients table", name));
            // An orphan whose client row exists but was rejected is told apart from a truly unknown client.
            session.execute(fmt::format(
                "UPDATE {} SET reason = {} WHERE tbl = {} AND reason = {} AND value IN "
                "(SELECT CAST(client_id AS VARCHAR) FROM {} WHERE client_id IS NOT NULL)",
                rejects.sql(), quote_literal(rejected_client_reason), quote_literal(name), quote_literal(orphan_reason),
                clients->sql()));
        }
        summary.tables.push_back(report_of(session, source, rejects, checked.kept));
        check_reject_rate(summary.tables.back(), source, summary.max_reject_rate);
        check_both_arms(session, source, target);
    }
    for (const auto& source : inputs.impl_->sources) {
        write_rejects(session, rejects, source.spec->name, dir / "rejects" / (source.spec->name + ".csv"));
    }
    return summary;
}

}  // namespace uplift::data
