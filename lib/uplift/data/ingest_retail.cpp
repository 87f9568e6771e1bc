#include "uplift/data/ingest_retail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <optional>

#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/data/retail_tables.hpp"
#include "uplift/features/retail_derived.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/csv_source.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/io/table_io.hpp"

namespace uplift::data {

namespace {

namespace fs = std::filesystem;
using io::quote_identifier;
using io::quote_literal;

/// Orphan purchases and campaign rows are found with a cast to an ENUM of the kept client ids: a cast is
/// a per-row hash lookup that keeps the scan parallel *and* in file order, where a join would lose the
/// order (DuckDB then writes row groups in whatever order threads finish, and the output bytes would
/// depend on --threads).
constexpr const char* known_clients_type = "upliftctl_known_client";
constexpr const char* orphan_reason = "orphan: client_id not in clients";
constexpr const char* rejected_client_reason = "client_id rejected in clients";

/// One input file of one table.
struct Source {
    const RetailTable* spec = nullptr;
    fs::path file;                        ///< as the user gave it
    std::unique_ptr<io::CsvSource> csv;  ///< null for Parquet

    bool is_csv() const { return csv != nullptr; }
    std::string errors_table() const { return "upliftctl_errors_" + spec->name; }

    std::string column_list() const {
        std::string out;
        for (const auto& c : spec->columns) out += fmt::format("{}{}", out.empty() ? "" : ", ", quote_identifier(c.name));
        return out;
    }

    /// The raw rows (every contract column, untyped for CSV). `numbered` adds upliftctl_ord: the ordinal
    /// of the row among the rows DuckDB could split (CSV) or the 1-based row (Parquet). Numbering a CSV
    /// scan makes it single-threaded, so only the (cheap) reject pass asks for it.
    std::string scan(bool numbered) const {
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
            numbered ? fmt::format("store_rejects = true, rejects_table = {}, rejects_scan = {}",
                                   quote_literal(errors_table()), quote_literal("upliftctl_scans_" + spec->name))
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
std::string bad_row_expression(const RetailTable& t, bool check_clients) {
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
            when(raw + " IS NULL", c.name, "missing " + c.name);
            when(unparsed, c.name, "unparsable " + c.name);
            break;
        case RetailCheck::OptionalTimestamp: when(unparsed, c.name, "unparsable " + c.name); break;
        case RetailCheck::Number:
        case RetailCheck::NonNegative:
            when(raw + " IS NULL", c.name, "missing " + c.name);
            when(not_finite, c.name, c.name + " not a number");
            if (c.check == RetailCheck::NonNegative) when(v + " < 0", c.name, "negative " + c.name);
            break;
        case RetailCheck::OptionalNumber: when(not_finite, c.name, c.name + " not a number"); break;
        case RetailCheck::OptionalInteger: when(unparsed, c.name, c.name + " not an integer"); break;
        case RetailCheck::Flag:
            when(raw + " IS NULL", c.name, "missing " + c.name);
            when(fmt::format("coalesce({} NOT IN (0, 1), true)", v), c.name, c.name + " not 0 or 1");
            break;
        }
    }
    if (check_clients && t.references_clients) {
        when(fmt::format("try_cast(\"client_id\" AS {}) IS NULL", known_clients_type), "client_id", orphan_reason);
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

/// INSERT of the rejected rows of `from` (which has upliftctl_ord and upliftctl_bad) into upliftctl_rejects.
std::string insert_rejects(const RetailTable& t, const std::string& from) {
    return fmt::format("INSERT INTO upliftctl_rejects SELECT {}, upliftctl_ord, NULL, upliftctl_bad.bad_column, {}, "
                       "upliftctl_bad.bad_reason, {} FROM {} WHERE upliftctl_bad IS NOT NULL",
                       quote_literal(t.name), reject_value(t), reject_raw(t), from);
}

std::string copy_to_parquet(const std::string& select, const fs::path& target) {
    return fmt::format("COPY ({}) TO {} (FORMAT parquet, COMPRESSION zstd)", select, quote_literal(target.string()));
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
    } catch (const DataError& e) {
        const fs::path scanned = source.is_csv() ? source.csv->scan_path() : source.file;
        throw IoError(fmt::format("cannot read '{}': {}", source.file.string(),
                                  io::duckdb_message(e.what(), scanned, source.file)));
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

/// The rejects of a CSV table whose checks depend only on a row's own content (purchases), numbered.
/// Numbering a CSV scan (WITH ORDINALITY) makes it single-threaded, and evaluating every check there
/// cost more than the parallel typed pass itself. So the checks run in parallel first, keeping the
/// distinct bad rows (few); a numbered scan that only splits lines then finds those rows by content.
/// Every line with the same content as a bad row is bad too, so each match is one reject; the match
/// count must equal the bad-row count of the parallel pass.
void number_csv_rejects(io::Session& session, const Source& source, const std::string& bad) {
    const RetailTable& t = *source.spec;
    const std::string columns = source.column_list();
    session.execute(fmt::format(
        "CREATE OR REPLACE TEMP TABLE upliftctl_bad_rows AS SELECT {0}, upliftctl_bad, count(*) AS upliftctl_n "
        "FROM (SELECT *, {1} AS upliftctl_bad FROM {2}) WHERE upliftctl_bad IS NOT NULL GROUP BY ALL",
        columns, bad, parsed(t, source.scan(false))));
    log::info("{}: checks done (parallel pass)", t.name);
    std::string same;
    for (const auto& c : t.columns) {
        const std::string x = quote_identifier(c.name);
        same += fmt::format("{}r.{} IS NOT DISTINCT FROM b.{}", same.empty() ? "" : " AND ", x, x);
    }
    // A semi-join on the first column (one key: cheap) lets only candidate lines reach the join on all of
    // them, which costs more per row than splitting the line.
    const std::string first = quote_identifier(t.columns.front().name);
    session.execute(insert_rejects(
        t, fmt::format("(SELECT r.upliftctl_ord, b.* FROM (SELECT * FROM {0} WHERE {1} IN (SELECT {1} FROM "
                       "upliftctl_bad_rows) OR {1} IS NULL) r JOIN upliftctl_bad_rows b ON {2})",
                       source.scan(true), first, same)));
    log::info("{}: rejects numbered (single-threaded pass)", t.name);
    const io::Table check = session.query(fmt::format(
        "SELECT (SELECT count(*) FROM upliftctl_rejects WHERE tbl = {}) AS found, "
        "(SELECT coalesce(sum(upliftctl_n), 0) FROM upliftctl_bad_rows) AS expected",
        quote_literal(t.name)));
    if (check.column("found").number_at(0) != check.column("expected").number_at(0)) {
        throw InternalError(fmt::format("'{}': the numbered pass found {} rejected rows, the checks {}",
                                        source.file.string(), check.column("found").number_at(0),
                                        check.column("expected").number_at(0)));
    }
}

/// Runs the checks of one table, writes its kept rows to `target` and its rejects into upliftctl_rejects.
/// Returns rows kept. Small tables (those with a unique key) are checked in a temporary SQL table so
/// repeats can be found; purchases stream from the file twice: once single-threaded for the few rejects
/// (with their row numbers), once in parallel into Parquet.
std::int64_t check_table(io::Session& session, const Source& source, const fs::path& target, bool check_clients) {
    const RetailTable& t = *source.spec;
    const std::string bad = bad_row_expression(t, check_clients);
    if (t.unique_key.empty()) {
        if (source.is_csv()) {
            number_csv_rejects(session, source, bad);
        } else {  // Parquet row numbers come with a parallel scan: one pass finds and numbers the rejects
            session.execute(insert_rejects(
                t, fmt::format("(SELECT *, {} AS upliftctl_bad FROM {})", bad, parsed(t, source.scan(true)))));
        }
        return session.execute_rows(copy_to_parquet(
            fmt::format("SELECT {} FROM {} WHERE ({}) IS NULL", typed_columns(t), parsed(t, source.scan(false)), bad),
            target));
    }
    const std::string chk = quote_identifier("upliftctl_chk_" + t.name);
    const std::string key = quote_identifier(t.unique_key);
    session.execute(fmt::format("CREATE OR REPLACE TEMP TABLE {} AS SELECT *, {} AS upliftctl_bad FROM {}", chk, bad,
                                parsed(t, source.scan(true))));
    // Repeats of a key among otherwise good rows: the first (in file order) is kept.
    session.execute(fmt::format(
        "UPDATE {0} SET upliftctl_bad = {{'bad_column': {1}, 'bad_reason': {2}}} WHERE upliftctl_ord IN "
        "(SELECT upliftctl_ord FROM (SELECT upliftctl_ord, row_number() OVER (PARTITION BY {3} ORDER BY upliftctl_ord) "
        "AS n FROM {0} WHERE upliftctl_bad IS NULL) WHERE n > 1)",
        chk, quote_literal(t.unique_key), quote_literal("duplicate " + t.unique_key), key));
    session.execute(insert_rejects(t, chk));
    return session.execute_rows(copy_to_parquet(
        fmt::format("SELECT {} FROM {} WHERE upliftctl_bad IS NULL ORDER BY upliftctl_ord", typed_columns(t), chk),
        target));
}

/// Turns row ordinals into source line numbers and adds the rows DuckDB could not split (wrong number
/// of fields, bad quoting) with the line DuckDB reports.
///
/// Row k of the scan (1-based, counting only rows DuckDB could split) sits on line k + 1 + m, where m is
/// the number of unsplittable lines before it. With those lines s_1 < s_2 < … , the rows before s_i
/// number s_i - i - 1, so m = #{ i : s_i - i <= k }. This assumes one record per line: a quoted field
/// spanning lines, or a blank line, shifts the numbers of later rows (the X5 exports have neither).
void number_rejects(io::Session& session, const Source& source) {
    const std::string tbl = quote_literal(source.spec->name);
    if (!source.is_csv()) {
        session.execute(fmt::format("UPDATE upliftctl_rejects SET line = ord WHERE tbl = {}", tbl));
        return;
    }
    const std::string errors = quote_identifier(source.errors_table());
    session.execute(fmt::format(
        "CREATE OR REPLACE TEMP TABLE upliftctl_shift AS SELECT CAST(line AS BIGINT) - row_number() OVER (ORDER BY "
        "line) AS d FROM (SELECT DISTINCT line FROM {})",
        errors));
    session.execute(fmt::format(
        "UPDATE upliftctl_rejects SET line = ord + 1 + (SELECT count(*) FROM upliftctl_shift WHERE d <= ord) "
        "WHERE tbl = {}",
        tbl));
    // One reject per unsplittable line: its first error says enough.
    session.execute(fmt::format(
        "INSERT INTO upliftctl_rejects SELECT {}, NULL, CAST(line AS BIGINT), '', '', "
        "CASE WHEN regexp_matches(error_message, 'Expected Number of Columns: \\d+ Found: \\d+') "
        "THEN regexp_replace(error_message, '^.*Expected Number of Columns: (\\d+) Found: (\\d+).*$', "
        "'expected \\1 columns, found \\2', 's') "
        "ELSE CAST(error_type AS VARCHAR) || ': ' || split_part(error_message, chr(10), 1) END, "
        "rtrim(coalesce(csv_line, ''), chr(13) || chr(10)) "
        "FROM (SELECT *, row_number() OVER (PARTITION BY line ORDER BY column_idx) AS n FROM {}) WHERE n = 1",
        tbl, errors));
}

RetailTableReport report_of(io::Session& session, const Source& source, std::int64_t kept) {
    RetailTableReport r;
    r.table = source.spec->name;
    r.input = source.file.string();
    const std::string tbl = quote_literal(r.table);
    const io::Table counts = session.query(fmt::format(
        "SELECT reason, count(*) AS n FROM upliftctl_rejects WHERE tbl = {} GROUP BY reason ORDER BY reason", tbl));
    for (std::size_t i = 0; i < counts.num_rows(); ++i) {
        const auto n = static_cast<std::int64_t>(counts.column("n").number_at(i));
        r.rejects_per_reason[counts.column("reason").text_at(i)] = n;
        r.rows_rejected += n;
    }
    const io::Table samples = session.query(fmt::format(
        "SELECT line, \"column\", value, reason FROM (SELECT *, row_number() OVER (PARTITION BY reason ORDER BY line) "
        "AS n FROM upliftctl_rejects WHERE tbl = {}) WHERE n <= {} ORDER BY line",
        tbl, retail_samples_per_reason));
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

void write_rejects(io::Session& session, const std::string& table, const fs::path& target) {
    session.execute(fmt::format(
        "COPY (SELECT line, \"column\", value, reason, raw FROM upliftctl_rejects WHERE tbl = {} ORDER BY line) TO {} "
        "(FORMAT csv, HEADER true)",
        quote_literal(table), quote_literal(target.string())));
}

Source open_source(const RetailTable& spec, const fs::path& file) {
    io::require_readable(file);
    Source s;
    s.spec = &spec;
    s.file = file;
    if (io::format_of(file) == io::FileFormat::Csv) s.csv = std::make_unique<io::CsvSource>(file);
    return s;
}

}  // namespace

RetailIngestSummary ingest_retail(io::Session& session, const RetailIngestOptions& options) {
    if (!(options.max_reject_rate >= 0 && options.max_reject_rate <= 1)) {
        throw UsageError(fmt::format("--max-reject-rate {} must be between 0 and 1", options.max_reject_rate));
    }
    std::vector<Source> sources;
    sources.push_back(open_source(clients_table(), options.clients));
    if (!options.products.empty()) sources.push_back(open_source(products_table(), options.products));
    sources.push_back(open_source(purchases_table(), options.purchases));
    sources.push_back(open_source(campaign_table(), options.campaign));
    for (const auto& s : sources) require_columns(session, s);

    io::AtomicOutput out(options.out, options.overwrite);
    const fs::path dir = out.temp_path();
    fs::create_directories(dir / "rejects");

    // A session may have run an ingest before (tests do): start from clean scratch tables.
    session.execute(fmt::format("DROP TYPE IF EXISTS {}", known_clients_type));
    for (const auto& s : sources) {
        session.execute("DROP TABLE IF EXISTS " + quote_identifier(s.errors_table()));
        session.execute("DROP TABLE IF EXISTS " + quote_identifier("upliftctl_scans_" + s.spec->name));
    }
    session.execute("CREATE OR REPLACE TEMP TABLE upliftctl_rejects (tbl VARCHAR, ord BIGINT, line BIGINT, "
                    "\"column\" VARCHAR, value VARCHAR, reason VARCHAR, raw VARCHAR)");
    RetailIngestSummary summary;
    summary.max_reject_rate = options.max_reject_rate;
    for (const auto& source : sources) {
        const std::string& name = source.spec->name;
        const auto start = std::chrono::steady_clock::now();
        const std::int64_t kept = check_table(session, source, dir / (name + ".parquet"), name != "clients");
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        log::info("{}: checked and written in {:.1f} s", name, took.count());
        number_rejects(session, source);
        if (name == "clients") {
            if (kept == 0) throw DataError(fmt::format("'{}': no usable client rows", source.file.string()));
            session.execute(fmt::format("CREATE TYPE {} AS ENUM (SELECT CAST(client_id AS VARCHAR) FROM "
                                        "upliftctl_chk_clients WHERE upliftctl_bad IS NULL ORDER BY upliftctl_ord)",
                                        known_clients_type));
        } else if (source.spec->references_clients) {
            // An orphan whose client row exists but was rejected is told apart from a truly unknown client.
            session.execute(fmt::format(
                "UPDATE upliftctl_rejects SET reason = {} WHERE tbl = {} AND reason = {} AND value IN "
                "(SELECT CAST(client_id AS VARCHAR) FROM upliftctl_chk_clients WHERE client_id IS NOT NULL)",
                quote_literal(rejected_client_reason), quote_literal(name), quote_literal(orphan_reason)));
        }
        summary.tables.push_back(report_of(session, source, kept));
        check_reject_rate(summary.tables.back(), source, options.max_reject_rate);
    }
    session.execute(fmt::format("DROP TYPE IF EXISTS {}", known_clients_type));
    {
        const auto start = std::chrono::steady_clock::now();
        const auto derived = features::write_retail_derived(session, dir);
        summary.derived_transactions = derived.transactions;
        summary.derived_product_firsts = derived.product_firsts;
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        log::info("transactions and product_firsts derived in {:.1f} s", took.count());
    }

    for (const auto& source : sources) {
        write_rejects(session, source.spec->name, dir / "rejects" / (source.spec->name + ".csv"));
    }
    {
        std::ofstream json(dir / "ingest.json", std::ios::binary);
        json << summary.to_json();
        json.close();
        if (!json) throw IoError(fmt::format("cannot write '{}'", (options.out / "ingest.json").string()));
    }
    out.commit();
    return summary;
}

}  // namespace uplift::data
