#pragma once
/// An in-process DuckDB database: runs SQL, turns results into Tables and Tables into SQL tables.
/// The DuckDB handles stay inside; callers see only our types.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "uplift/io/table.hpp"

namespace uplift::io {

struct SessionOptions {
    int threads = 0;            ///< 0: DuckDB's default (all cores)
    std::string memory_limit;   ///< e.g. "8GB"; empty: DuckDB's default
};

class Session {
public:
    explicit Session(const SessionOptions& options = {});
    ~Session();
    Session(Session&&) noexcept;
    Session& operator=(Session&&) noexcept;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// Runs statements that return nothing of interest. Throws DataError with DuckDB's message.
    void execute(std::string_view sql);
    /// Runs a statement that writes rows (COPY … TO, INSERT, CREATE TABLE … AS) and returns how many it
    /// wrote, so a caller can count rows streamed to a file without reading them back.
    std::int64_t execute_rows(std::string_view sql);
    /// Runs a query and converts its result. Column types outside the Table's six are cast in SQL first
    /// (integers → BIGINT, decimals/floats → DOUBLE, others → VARCHAR) so no value is lost silently.
    Table query(std::string_view sql);
    /// Creates (or replaces) a temporary SQL table holding `table`'s columns.
    void register_table(std::string_view name, const Table& table);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace uplift::io
