#include "uplift/io/parquet_options.hpp"
#include "uplift/io/table_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "uplift/core/errors.hpp"
#include "uplift/core/throw_error.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/csv_file_scan.hpp"
#include "uplift/io/csv_line_finder.hpp"
#include "uplift/io/csv_source.hpp"
#include "uplift/io/parquet_parts_writer.hpp"
#include "uplift/io/single_thread.hpp"
#include "uplift/io/sql.hpp"

namespace uplift::io {

namespace fs = std::filesystem;

namespace {

std::string lower_extension(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

fs::path sidecar_of(const fs::path& csv) { return fs::path(csv.string() + ".meta.json"); }

/// The sidecar's key for the column types (a JSON object, name → SQL type). It describes the CSV file, not
/// the table, so it is not part of the metadata a reader sees (and passes on to the outputs).
constexpr const char* column_types_key = "upliftctl.column_types";

struct Sidecar {
    Metadata metadata;
    std::vector<std::pair<std::string, std::string>> column_types;  ///< empty: not recorded
};

Sidecar read_sidecar(const fs::path& csv) {
    const fs::path sidecar = sidecar_of(csv);
    if (!fs::exists(sidecar)) return {};
    std::ifstream in(sidecar);
    try {
        const auto json = nlohmann::json::parse(in);
        Sidecar out;
        for (const auto& [k, v] : json.items()) {
            if (k == column_types_key && v.is_object()) {
                for (const auto& [name, type] : v.items()) out.column_types.emplace_back(name, type.get<std::string>());
                continue;
            }
            out.metadata[k] = v.is_string() ? v.get<std::string>() : v.dump();
        }
        return out;
    } catch (const nlohmann::json::exception& e) {
        throw IoError(fmt::format("cannot read metadata '{}': {}", sidecar.string(), e.what()));
    }
}

/// The `types = {...}` option of read_csv for the recorded column types, with `text_columns` as VARCHAR
/// whatever the sidecar or DuckDB's sniffer would make of them, or "".
std::string recorded_types_option(const fs::path& csv, const std::vector<std::string>& text_columns = {},
                                  char delimiter = ',') {
    if (format_of(csv) != FileFormat::Csv) return "";
    auto types = read_sidecar(csv).column_types;
    for (const auto& name : text_columns) {
        const auto it = std::find_if(types.begin(), types.end(), [&](const auto& t) { return t.first == name; });
        if (it == types.end()) {
            types.emplace_back(name, "VARCHAR");
        } else {
            it->second = "VARCHAR";
        }
    }
    if (types.empty()) return "";
    // Only the columns the header still has: a CSV edited after it was written keeps DuckDB's own reading
    // of what the sidecar does not describe, instead of failing on a recorded column that is gone.
    const auto header = split_csv_line(first_csv_line(csv), delimiter);
    std::string out;
    for (const auto& [name, type] : types) {
        if (std::find(header.begin(), header.end(), name) == header.end()) continue;
        out += fmt::format("{}{}: {}", out.empty() ? "" : ", ", quote_literal(name), quote_literal(type));
    }
    return out.empty() ? "" : ", types = {" + out + "}";
}

/// scan_expression with the recorded types of `original` (the user's file; `scanned` may be a copy).
std::string recorded_scan(const fs::path& scanned, const fs::path& original) {
    std::string scan = scan_expression(scanned);
    if (const std::string types = recorded_types_option(original); !types.empty()) {
        scan.insert(scan.size() - 1, types);  // before read_csv's closing parenthesis
    }
    return scan;
}

/// DuckDB's messages already say what went wrong; we add which file, keep the first line (the rest is
/// advice about DuckDB options a user of upliftctl cannot pass) and name the user's file, not a temp copy.
template <class Fn>
auto with_file_context(const fs::path& path, const fs::path& scanned, Fn&& fn) {
    try {
        return fn();
    } catch (const Error& e) {
        throw_unreadable(e, scanned, path);
    }
}

}  // namespace

std::string duckdb_message(const std::string& message, const fs::path& scanned, const fs::path& original) {
    std::string out = message.substr(0, message.find('\n'));
    for (std::size_t at = out.find(scanned.string()); at != std::string::npos && scanned != original;
         at = out.find(scanned.string(), at)) {
        out.replace(at, scanned.string().size(), original.string());
        at += original.string().size();
    }
    return out;
}

void throw_unreadable(const Error& error, const fs::path& scanned, const fs::path& original) {
    // A file that fails to scan is unreadable (exit 4), whatever DuckDB calls it: a bit-flipped Parquet page
    // comes back as "Invalid Error: ... Corrupted file?", which the generic mapping takes for our own bug.
    // Parser, binder and catalog errors stay internal: those are the scan SQL we wrote.
    const std::string_view what = error.what();
    const bool our_sql = what.starts_with("Parser Error") || what.starts_with("Binder Error") ||
                         what.starts_with("Catalog Error");
    const ErrorKind kind = error.kind() == ErrorKind::Data || (error.kind() == ErrorKind::Internal && !our_sql)
                               ? ErrorKind::Io
                               : error.kind();
    throw_error(kind, fmt::format("cannot read '{}': {}", original.string(), duckdb_message(error.what(), scanned, original)));
}

FileFormat format_of(const fs::path& path) {
    const std::string ext = lower_extension(path);
    if (ext == ".csv") return FileFormat::Csv;
    if (ext == ".parquet" || ext == ".pq") return FileFormat::Parquet;
    if (ext == ".gz" || ext == ".zip" || ext == ".zst" || ext == ".bz2" || ext == ".xz") {
        // The CSV checks (line endings, quotes, rejects' line numbers) read the file's bytes: they need it plain.
        throw UsageError(fmt::format("'{}': compressed files are not read; decompress it first (the format follows "
                                     "the extension: .parquet or .csv)",
                                     path.string()));
    }
    throw UsageError(fmt::format("'{}': unknown file type '{}'; the format follows the extension: .parquet or .csv",
                                 path.string(), ext));
}

std::string scan_expression(const fs::path& path) {
    const std::string literal = quote_literal(path.string());
    return format_of(path) == FileFormat::Csv ? fmt::format("read_csv({}, header = true)", literal)
                                              : fmt::format("read_parquet({})", literal);
}

std::string scan_expression(const fs::path& path, const CsvDialect& dialect) {
    if (format_of(path) != FileFormat::Csv) return scan_expression(path);
    check(dialect);
    std::string nulls = "''";
    for (const auto& v : dialect.na_values) nulls += ", " + quote_literal(v);
    return fmt::format("read_csv({}, header = true, delim = {}, quote = '\"', escape = '\"', decimal_separator = {}, "
                       "nullstr = [{}], encoding = {})",
                       quote_literal(path.string()), quote_literal(std::string(1, dialect.delimiter)),
                       quote_literal(std::string(1, dialect.decimal)), nulls, quote_literal(dialect.encoding));
}

namespace {

/// What a file named .csv is when its first bytes are another format's signature, or "" (text, presumably).
/// Without this a gzip file is diagnosed as "not UTF-8" and pointed at --encoding latin-1.
std::string binary_format_of(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    in.read(magic, sizeof magic);
    const auto n = static_cast<std::size_t>(in.gcount());
    const std::string_view head(magic, n);
    if (head.starts_with("\x1F\x8B")) {
        return fmt::format("a gzip-compressed file, not CSV text: decompress it first (gunzip -c '{0}' > plain.csv)",
                           path.string());
    }
    if (head.starts_with("PK\x03\x04") || head.starts_with("PK\x05\x06")) {
        return "a zip archive (an .xlsx workbook is one), not CSV text: extract or export the CSV first";
    }
    if (head == "PAR1") return "a Parquet file, not CSV text: name it .parquet";
    if (head == "\xD0\xCF\x11\xE0") return "an Excel .xls workbook, not CSV text: export it as CSV first";
    return "";
}

}  // namespace

void require_readable(const fs::path& path) {
    (void)format_of(path);  // an unknown extension is the clearer message, even for a missing file
    std::error_code ec;
    if (!fs::exists(path, ec)) throw IoError(fmt::format("cannot read '{}': no such file", path.string()));
    if (fs::is_directory(path, ec)) {
        throw IoError(fmt::format("cannot read '{}': it is a folder, a table file was expected", path.string()));
    }
    std::ifstream probe(path);
    if (!probe) throw IoError(fmt::format("cannot read '{}': permission denied", path.string()));
    if (format_of(path) == FileFormat::Csv) {
        if (const std::string what = binary_format_of(path); !what.empty()) {
            throw IoError(fmt::format("cannot read '{}': it is {}", path.string(), what));
        }
    }
}

Metadata read_metadata(Session& session, const fs::path& path) {
    require_readable(path);
    if (format_of(path) == FileFormat::Csv) return read_sidecar(path).metadata;
    const Table kv = with_file_context(path, path, [&] {
        return session.query(fmt::format(
            "SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata({})",
            quote_literal(path.string())));
    });
    Metadata out;
    const auto& keys = kv.column("key").string_values();
    const auto& values = kv.column("value").string_values();
    for (std::size_t i = 0; i < kv.num_rows(); ++i) out[keys[i]] = values[i];
    return out;
}

Table read_table(Session& session, const fs::path& path) {
    require_readable(path);
    std::optional<CsvSource> csv;
    if (format_of(path) == FileFormat::Csv) csv.emplace(path);
    const fs::path scanned = csv ? csv->scan_path() : path;
    Table table =
        with_file_context(path, scanned, [&] { return session.query("SELECT * FROM " + recorded_scan(scanned, path)); });
    table.metadata() = read_metadata(session, path);
    return table;
}

Table read_schema(Session& session, const fs::path& path) {
    require_readable(path);
    std::optional<CsvSource> csv;
    if (format_of(path) == FileFormat::Csv) csv.emplace(path);
    const fs::path scanned = csv ? csv->scan_path() : path;
    Table table = with_file_context(
        path, scanned, [&] { return session.query("SELECT * FROM " + recorded_scan(scanned, path) + " LIMIT 0"); });
    table.metadata() = read_metadata(session, path);
    return table;
}

Table read_table(Session& session, const fs::path& path, const CsvDialect& dialect) {
    return read_table(session, path, dialect, {});
}

Table read_table(Session& session, const fs::path& path, const CsvDialect& dialect,
                 const std::vector<std::string>& text_columns) {
    require_readable(path);
    std::optional<CsvSource> csv;
    if (format_of(path) == FileFormat::Csv) csv.emplace(path, CsvSourceOptions{.delimiter = dialect.delimiter});
    const fs::path scanned = csv ? csv->scan_path() : path;
    Table table = with_file_context(path, scanned, [&] {
        std::string scan = scan_expression(scanned, dialect);
        if (csv) scan.insert(scan.size() - 1, recorded_types_option(path, text_columns, dialect.delimiter));
        return session.query("SELECT * FROM " + scan);
    });
    table.metadata() = read_metadata(session, path);
    return table;
}

std::optional<std::uint64_t> parquet_row_count(Session& session, const fs::path& path) {
    if (format_of(path) != FileFormat::Parquet) return std::nullopt;
    try {
        const Table t = session.query(
            fmt::format("SELECT sum(num_rows)::BIGINT AS n FROM parquet_file_metadata({})", quote_literal(path.string())));
        if (t.num_rows() != 1 || !t.column("n").is_valid(0)) return std::nullopt;
        return static_cast<std::uint64_t>(t.column("n").int64_values()[0]);
    } catch (const Error&) {
        return std::nullopt;
    }
}

std::size_t read_table_chunks(Session& session, const fs::path& path, std::size_t chunk_rows,
                              const std::function<void(Table&&)>& consume) {
    return read_table_chunks(session, path, chunk_rows, consume, {});
}

std::size_t read_table_chunks(Session& session, const fs::path& path, std::size_t chunk_rows,
                              const std::function<void(Table&&)>& consume, const std::vector<std::string>& columns) {
    require_readable(path);
    std::string select;
    for (const auto& c : columns) select += (select.empty() ? "" : ", ") + quote_identifier(c);
    if (columns.empty()) select = "*";
    // Metadata first: the session cannot run another query while the scan streams.
    const Metadata metadata = read_metadata(session, path);
    std::optional<CsvSource> csv;
    if (format_of(path) == FileFormat::Csv) csv.emplace(path);
    const fs::path scanned = csv ? csv->scan_path() : path;
    std::size_t rows = 0;
    // Only DuckDB's errors get the file's name: an error thrown by `consume` (a model or output error)
    // passes through as it was thrown.
    std::exception_ptr consumer_error;
    try {
        with_file_context(path, scanned, [&] {
            session.query_chunks("SELECT " + select + " FROM " + recorded_scan(scanned, path), chunk_rows, [&](Table&& chunk) {
                rows += chunk.num_rows();
                chunk.metadata() = metadata;
                try {
                    consume(std::move(chunk));
                } catch (...) {
                    consumer_error = std::current_exception();
                    throw;
                }
            });
        });
    } catch (...) {
        if (consumer_error) std::rethrow_exception(consumer_error);
        throw;
    }
    return rows;
}

Table read_table(const fs::path& path) {
    Session session;
    return read_table(session, path);
}

std::string copy_options(FileFormat format, const Metadata& metadata) {
    if (format == FileFormat::Csv) return "FORMAT csv, HEADER true";
    std::string options = parquet_copy_options;
    if (!metadata.empty()) {
        std::string kv;
        for (const auto& [k, v] : metadata) {
            kv += fmt::format("{}{}: {}", kv.empty() ? "" : ", ", quote_identifier(k), quote_literal(v));
        }
        options += fmt::format(", KV_METADATA {{{}}}", kv);
    }
    return options;
}

void write_csv_sidecar(Session& session, std::string_view table, const fs::path& csv, const Metadata& metadata) {
    const fs::path sidecar = sidecar_of(csv);
    if (metadata.empty()) {
        std::error_code ignored;
        fs::remove(sidecar, ignored);  // a stale sidecar would describe another table
    } else {
        nlohmann::json json = nlohmann::json::object();
        for (const auto& [k, v] : metadata) json[k] = v;
        const Table described = session.query(fmt::format(
            "SELECT column_name, column_type FROM (DESCRIBE {})", quote_identifier(std::string(table))));
        nlohmann::json types = nlohmann::json::object();
        for (std::size_t i = 0; i < described.num_rows(); ++i) {
            types[described.column("column_name").text_at(i)] = described.column("column_type").text_at(i);
        }
        json[column_types_key] = types;
        write_text_atomic(sidecar, json.dump(2) + "\n", true);
    }
}

namespace {

/// COPY of the session's table `name` to `out`'s temporary name (and the CSV sidecar), not committed.
void copy_into(Session& session, std::string_view name, AtomicOutput& out, const Metadata& metadata) {
    const fs::path& path = out.target();
    const FileFormat format = format_of(path);
    try {
        session.execute(fmt::format("COPY {} TO {} ({})", quote_identifier(std::string(name)),
                                    quote_literal(out.temp_path().string()), copy_options(format, metadata)));
    } catch (const Error& e) {
        throw_error(e.kind(), fmt::format("cannot write '{}': {}", path.string(), e.what()));
    }
    if (format == FileFormat::Csv) write_csv_sidecar(session, name, path, metadata);
}

void check_has_columns(const Table& table, const fs::path& path) {
    if (table.num_columns() == 0) throw InternalError(fmt::format("refusing to write '{}' with no columns", path.string()));
}

void copy_table_into(Session& session, const Table& table, AtomicOutput& out) {
    if (format_of(out.target()) == FileFormat::Parquet) {
        // The same writer as a streamed output (TableWriter): the same row groups and bytes, and encoded on the
        // session's threads a row group at a time. The table outlives the writer: it is shared, not copied.
        ParquetPartsWriter parts(out.temp_path(), session_threads(session), out.target());
        parts.append(std::shared_ptr<const Table>(std::shared_ptr<const Table>(), &table));
        parts.write(table.metadata());
        return;
    }
    session.register_table("upliftctl_out", table);
    copy_into(session, "upliftctl_out", out, table.metadata());
    session.execute("DROP TABLE upliftctl_out");
}

}  // namespace

void write_session_table(Session& session, std::string_view name, const fs::path& path, const Metadata& metadata,
                         const WriteOptions& options) {
    (void)format_of(path);  // an unknown extension fails before any work
    AtomicOutput out(path, options.overwrite);
    copy_into(session, name, out, metadata);
    out.commit();
}

void write_table(Session& session, const Table& table, const fs::path& path, const WriteOptions& options) {
    (void)format_of(path);  // an unknown extension fails before any work
    check_has_columns(table, path);
    AtomicOutput out(path, options.overwrite);
    copy_table_into(session, table, out);
    out.commit();
}

void write_table(Session& session, const Table& table, AtomicOutput& out) {
    (void)format_of(out.target());
    check_has_columns(table, out.target());
    copy_table_into(session, table, out);
}

void write_table(const Table& table, const fs::path& path, const WriteOptions& options) {
    Session session;
    write_table(session, table, path, options);
}

}  // namespace uplift::io
