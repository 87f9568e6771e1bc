#pragma once
/// Runs a stretch of a session on one DuckDB thread, then gives back the thread count it had.
///
/// Why: a parallel `COPY … TO` Parquet keeps the rows in order, but it cuts row groups where the chunks
/// of its threads happen to meet, so the bytes of the file depend on the thread count (and DuckDB takes
/// another writer altogether at one thread). Output that must be byte-identical at any --threads is
/// written with this guard in scope: one thread cuts a row group every ROW_GROUP_SIZE rows of one fixed
/// chunk sequence.

#include <cstdint>

#include "uplift/io/session.hpp"

namespace uplift::io {

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

}  // namespace uplift::io
