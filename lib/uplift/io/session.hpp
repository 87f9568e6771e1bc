#pragma once
/// An in-process DuckDB database: runs SQL, turns results into Tables and Tables into SQL tables.
/// The DuckDB handles stay inside; callers see only our types.

#include <cstddef>
#include <functional>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "uplift/core/progress.hpp"
#include "uplift/io/table.hpp"

namespace uplift::io {

struct SessionOptions {
    int threads = 0;            ///< 0: DuckDB's default (all cores)
    std::string memory_limit;   ///< e.g. "8GB"; empty: DuckDB's default
};

/// Where the database lives (kept apart from SessionOptions so existing designated initialisers stay whole).
struct SessionStorage {
    /// A database file (created if missing) instead of an in-memory database: its tables live on disk and
    /// only `memory_limit` of them is cached, which bounds memory for tables larger than RAM.
    std::string database_file;
    std::string temp_directory;  ///< where DuckDB spills; empty: its default
};

class Session {
public:
    explicit Session(const SessionOptions& options = {}, const SessionStorage& storage = {});
    ~Session();
    Session(Session&&) noexcept;
    Session& operator=(Session&&) noexcept;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// Runs statements that return nothing of interest. A failure throws the Error of the kind DuckDB reports
    /// (detail::error_kind_of in duckdb_errors.hpp): bad values -> DataError, files and disk -> IoError, SQL
    /// that does not parse or bind -> InternalError. The other calls below fail the same way.
    void execute(std::string_view sql);
    /// Runs a statement that writes rows (COPY … TO, INSERT, CREATE TABLE … AS) and returns how many it
    /// wrote, so a caller can count rows streamed to a file without reading them back.
    std::int64_t execute_rows(std::string_view sql);
    /// Runs a query and converts its result. Column types outside the Table's six are cast in SQL first
    /// (integers → BIGINT, decimals/floats → DOUBLE, others → VARCHAR) so no value is lost silently.
    Table query(std::string_view sql);
    /// Runs a query like `query` (same type normalisation) but streams its result: `consume` gets tables of
    /// at most `chunk_rows` rows, in result order, and at least one call (an empty table with the columns
    /// when the result has no rows). Memory stays bounded by the chunk, not the result. The session is busy
    /// while streaming: `consume` must not run other statements on it.
    void query_chunks(std::string_view sql, std::size_t chunk_rows, const std::function<void(Table&&)>& consume);
    /// Creates (or replaces) a temporary SQL table holding `table`'s columns: its rows [from, from + count), or
    /// all of them.
    void register_table(std::string_view name, const Table& table, std::size_t from = 0,
                        std::size_t count = all_rows);
    /// Appends `table`'s rows [from, from + count) (or all) to the existing SQL table `name` (same column types,
    /// in order).
    void append_rows(std::string_view name, const Table& table, std::size_t from = 0, std::size_t count = all_rows);
    static constexpr std::size_t all_rows = static_cast<std::size_t>(-1);
    /// From now on, while a statement runs, `progress` is told DuckDB's own estimate of how far that statement
    /// is, in thousandths (done of 1000, never 1000 itself: a stage runs many statements, and the bar ends when
    /// the stage does). Called from a polling thread, five times a second at most; empty: no polling.
    void set_progress(Progress progress);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace uplift::io
