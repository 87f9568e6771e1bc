#pragma once
/// A Parquet file written from rows that arrive in pieces, encoded while they arrive, on several threads, with
/// bytes that do not depend on how many.
///
/// Why: TableWriter used to append the pieces to a scratch DuckDB table on disk and copy that table to Parquet at
/// the end. At 5M rows × 15 columns the spool's own storage (writing it, reading it back) and the final copy took
/// about 3 s of a 9.6 s ingest, all after the input was read (docs/benchmarks.md, flat ingest). Here the rows are
/// cut into row groups of the writer's own size (io::parquet_writer_row_group_rows), each encoded as a part by a
/// one-thread DuckDB session on a worker thread while the next rows arrive, and joined into the file in order
/// (io::OrderedParts), the footers joined at the end with the file's key-value metadata. Part k holds rows
/// [k·G, (k+1)·G) of the stream whatever the pieces, so the file depends on the rows alone.

#include <cstddef>
#include <filesystem>
#include <memory>

#include "uplift/io/ordered_parts.hpp"
#include "uplift/io/table.hpp"

namespace uplift::io {

class ParquetPartsWriter {
public:
    /// Creates `output` (a temporary name: the caller moves it into place once written, or removes it);
    /// `threads` row groups are encoded at once (0: one per core). `shown` is the user's name for the file, in
    /// messages.
    ParquetPartsWriter(std::filesystem::path output, int threads, std::filesystem::path shown,
                       PartRoute route = default_part_route());
    /// Waits for the parts still being written (their errors are dropped: the run is failing already).
    ~ParquetPartsWriter();
    ParquetPartsWriter(const ParquetPartsWriter&) = delete;
    ParquetPartsWriter& operator=(const ParquetPartsWriter&) = delete;

    /// Appends `chunk`'s rows after the ones before (same columns: TableWriter checks). Rethrows the error of
    /// a part written earlier.
    void append(Table chunk);
    /// append of a chunk the writer shares instead of owning: for a table its caller keeps until write returns,
    /// a shared_ptr that owns nothing (the aliasing constructor) saves a copy of every row.
    void append(std::shared_ptr<const Table> chunk);
    /// Drops every row appended so far (the file starts again).
    void restart();
    /// Completes the file: every appended row, with `metadata` as its key-value metadata. Needs at least one
    /// appended chunk, possibly empty.
    void write(const Metadata& metadata);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace uplift::io
