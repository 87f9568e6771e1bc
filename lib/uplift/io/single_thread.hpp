#pragma once
/// Runs a stretch of a session on one DuckDB thread, then gives back the thread count it had.
///
/// Why: a parallel `COPY … TO` Parquet keeps the rows in order, but it cuts row groups where the chunks
/// of its threads happen to meet, so the bytes of the file depend on the thread count (and DuckDB takes
/// another writer altogether at one thread). Output that must be byte-identical at any --threads is
/// written with this guard in scope: one thread cuts a row group every ROW_GROUP_SIZE rows of one fixed
/// chunk sequence.

#include <cstdint>
#include <filesystem>

#include "uplift/io/session.hpp"

namespace uplift::io {

/// The number of threads `session`'s statements run on now (its DuckDB `threads` setting).
int session_threads(Session& session);

class SingleThreaded {
public:
    explicit SingleThreaded(Session& session);
    ~SingleThreaded();
    SingleThreaded(const SingleThreaded&) = delete;
    SingleThreaded& operator=(const SingleThreaded&) = delete;

private:
    Session& session_;
    std::int64_t threads_ = 0;
};

/// The rows per row group of DuckDB's Parquet writer: its default ROW_GROUP_SIZE, which copy_options keeps.
inline constexpr std::uint64_t parquet_writer_row_group_rows = 122880;

/// Whether a parallel `COPY (SELECT <a projection of every row, no filter, join or order>) FROM read_parquet(path)`
/// writes the same bytes at any thread count, so it needs no SingleThreaded guard. True when the file's row
/// groups are the writer's own size, all but the last exactly parquet_writer_row_group_rows and the last no
/// larger (what our parallel COPY of a table writes). Why: DuckDB 1.4.4's parallel Parquet copy takes each
/// scanned row group as one batch, passes a batch of (within one vector of) its row group size straight
/// through as a row group, and merges only smaller or larger ones, where timing decides which batches a merge
/// sees (PhysicalBatchCopyToFile::RepartitionBatches). With only the last batch small, nothing is left to
/// timing. False for anything else, including a file DuckDB cannot describe (the copy then reports it).
bool copy_of_scan_is_thread_independent(Session& session, const std::filesystem::path& path);

}  // namespace uplift::io
