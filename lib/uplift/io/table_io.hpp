#pragma once
/// Tables to and from files. The format follows the extension: `.parquet` (zstd-compressed, with our
/// metadata as Parquet key-value metadata) or `.csv` (metadata in a `<file>.meta.json` beside it).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <functional>
#include <string>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/io/csv_dialect.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/table.hpp"

namespace uplift::io {

class AtomicOutput;

enum class FileFormat { Csv, Parquet };

/// Throws UsageError for an extension we do not know (a compressed one: decompress first).
FileFormat format_of(const std::filesystem::path& path);

/// Throws IoError unless `path` is a readable file (UsageError for an unknown extension), and for a .csv whose
/// first bytes say it is gzip, zip, Parquet or an .xls workbook (naming what it is, not a wrong encoding).
void require_readable(const std::filesystem::path& path);

/// Reads a whole table with its metadata. Throws IoError for a missing or unreadable file.
Table read_table(Session& session, const std::filesystem::path& path);
Table read_table(const std::filesystem::path& path);
/// The same for a CSV a user wrote (evaluate's scores and truth, optimize's basket file): read with `dialect`'s
/// delimiter, decimal mark, missing-value words and encoding; column types still come from DuckDB's sniffer.
Table read_table(Session& session, const std::filesystem::path& path, const CsvDialect& dialect);
/// The same, with the CSV columns named in `text_columns` read as text whatever their values look like: ids a
/// type sniffer would take for numbers ("007" stays "007", not 7). Names the header lacks are ignored (the
/// caller reports a missing column); a Parquet file keeps its own types.
Table read_table(Session& session, const std::filesystem::path& path, const CsvDialect& dialect,
                 const std::vector<std::string>& text_columns);
/// The number of rows of a Parquet file, from its footer (no scan): for a progress bar's total. nullopt for a
/// CSV file, which only a full scan could count, and for a footer that cannot be read (the real read reports it).
std::optional<std::uint64_t> parquet_row_count(Session& session, const std::filesystem::path& path);

/// Reads `path` like read_table (same query, types and CSV handling) but in pieces of at most `chunk_rows`
/// rows, in file order, each carrying the file's metadata: memory is bounded by the chunk, not the file.
/// `consume` is called at least once (with an empty table holding the columns when the file has no rows)
/// and must not use `session`, which is busy streaming. Returns the number of rows read.
std::size_t read_table_chunks(Session& session, const std::filesystem::path& path, std::size_t chunk_rows,
                              const std::function<void(Table&&)>& consume);
/// The same for the columns `columns` only, in that order (a Parquet scan then reads no others); all when empty.
std::size_t read_table_chunks(Session& session, const std::filesystem::path& path, std::size_t chunk_rows,
                              const std::function<void(Table&&)>& consume, const std::vector<std::string>& columns);
/// The columns of `path` with their types and its metadata, no rows (cheap: a scan that stops at once).
Table read_schema(Session& session, const std::filesystem::path& path);
/// Only the metadata (cheap: Parquet footer or the CSV sidecar).
Metadata read_metadata(Session& session, const std::filesystem::path& path);

/// The SQL expression that scans `path` (read_csv(...) or read_parquet(...)), for queries over files.
std::string scan_expression(const std::filesystem::path& path);
std::string scan_expression(const std::filesystem::path& path, const CsvDialect& dialect);

/// A DuckDB error message cut to its first line, with a temporary copy's path replaced by the user's file.
std::string duckdb_message(const std::string& message, const std::filesystem::path& scanned,
                           const std::filesystem::path& original);

/// Rethrows `error`, raised by DuckDB while opening or describing `original` (scanned as `scanned`, maybe a
/// temporary copy), as "cannot read '<original>': <DuckDB's first line>". A data-kind failure there means the
/// file is not in its format at all (no Parquet magic bytes, no CSV dialect), an unreadable input: exit 4 like
/// a missing file (README, "Exit codes"). Every other kind is kept, so a bug in our SQL stays exit 1.
[[noreturn]] void throw_unreadable(const Error& error, const std::filesystem::path& scanned,
                                   const std::filesystem::path& original);

struct WriteOptions {
    bool overwrite = false;
};

/// Writes atomically (temporary name, then rename).
/// The COPY options write_table uses for `format` (zstd Parquet with `metadata` as key-value metadata, or
/// CSV with a header), and the CSV metadata sidecar: shared with the streaming TableWriter so both paths
/// write identical files.
std::string copy_options(FileFormat format, const Metadata& metadata);
/// The sidecar also records the column types of the table `table` of `session` (when it has metadata at
/// all, i.e. an intermediate of ours): a reader then scans the CSV with those types instead of DuckDB's
/// sampling, which re-typed a "0001" id as a number or a numeric column with rare text as text.
void write_csv_sidecar(Session& session, std::string_view table, const std::filesystem::path& csv,
                       const Metadata& metadata);

void write_table(Session& session, const Table& table, const std::filesystem::path& path,
                 const WriteOptions& options = {});
void write_table(const Table& table, const std::filesystem::path& path, const WriteOptions& options = {});

/// Writes `table` to `out`'s temporary name and leaves the commit to the caller: for outputs that must appear
/// together or not at all (a dataset, its rejects and its summary), committed once every one is whole.
void write_table(Session& session, const Table& table, AtomicOutput& out);

/// Writes the rows of the session's table (or view) `name`, as write_table writes a Table, without the
/// round trip through C++ memory: for results computed in SQL.
void write_session_table(Session& session, std::string_view name, const std::filesystem::path& path,
                         const Metadata& metadata, const WriteOptions& options = {});

}  // namespace uplift::io
