#pragma once
/// Writes a table that arrives in pieces (e.g. scores of a file read chunk by chunk) as one file identical
/// to what write_table writes for the whole table: same format, compression, metadata, row order, and the
/// same atomic temporary-then-rename. Memory stays bounded whatever the row count. A Parquet file is encoded a
/// row group at a time while the pieces arrive (io::ParquetPartsWriter, which write_table uses too). A CSV file
/// goes through a table of a scratch DuckDB database on disk beside the output (cached up to `memory_limit`),
/// and one COPY at the end writes it (cached up to `copy_memory_limit`).

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "uplift/io/table.hpp"

namespace uplift::io {

struct TableWriterOptions {
    bool overwrite = false;
    int threads = 0;  ///< row groups encoded at once, or DuckDB threads for a CSV's COPY; 0: all cores
    std::string memory_limit = "128MB";  ///< CSV: DuckDB cache for the scratch database (docs/benchmarks.md)
    /// CSV: DuckDB's cache during the final COPY, when the rows are already in the scratch file and the parallel
    /// copy holds a few row groups per thread; empty: memory_limit. 384 MB ran 5M rows × 15 columns at full
    /// speed (docs/benchmarks.md, flat ingest).
    std::string copy_memory_limit = "384MB";
};

class TableWriter {
public:
    /// Checks that `path` may be written (UsageError/IoError as write_table) before any work is done.
    TableWriter(std::filesystem::path path, const TableWriterOptions& options = {});
    ~TableWriter();
    TableWriter(const TableWriter&) = delete;
    TableWriter& operator=(const TableWriter&) = delete;

    /// Appends `chunk`'s rows. The first chunk fixes the columns; later ones must have the same names and
    /// types (InternalError otherwise: a bug in the producer). Its metadata is ignored: see finish.
    void append(const Table& chunk);
    /// append without a copy of the chunk's rows.
    void append(Table&& chunk);
    /// Drops every appended row: the next chunk starts the table again, and may have other columns.
    void restart();
    /// Writes the file with `metadata` and moves it into place; removes the scratch database. Needs at
    /// least one appended chunk (possibly empty, for the columns).
    void finish(const Metadata& metadata);
    /// finish in two steps, for a file that must appear together with others: `write` writes the file under
    /// its temporary name and removes the scratch database; `commit` moves it into place.
    void write(const Metadata& metadata);
    void commit();
    std::size_t rows() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace uplift::io
