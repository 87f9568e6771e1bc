#include "uplift/io/single_thread.hpp"

#include <fmt/format.h>

#include "uplift/core/errors.hpp"
#include "uplift/io/sql.hpp"

namespace uplift::io {

int session_threads(Session& session) {
    return static_cast<int>(session.query("SELECT current_setting('threads') AS n").column("n").number_at(0));
}

SingleThreaded::SingleThreaded(Session& session) : session_(session), threads_(session_threads(session)) {
    session_.execute("SET threads = 1");
}

SingleThreaded::~SingleThreaded() {
    try {
        session_.execute(fmt::format("SET threads = {}", threads_));
    } catch (...) {  // a destructor must not throw; the session is left on one thread, slower but correct
    }
}

bool copy_of_scan_is_thread_independent(Session& session, const std::filesystem::path& path) {
    try {
        const Table t = session.query(fmt::format(
            "WITH g AS (SELECT DISTINCT row_group_id AS id, row_group_num_rows AS n FROM parquet_metadata({0})) "
            "SELECT count(*) AS groups, count(*) FILTER (WHERE n > {1} OR (n <> {1} AND id <> (SELECT max(id) FROM g))) "
            "AS off_size FROM g",
            quote_literal(path.string()), parquet_writer_row_group_rows));
        return t.column("groups").number_at(0) > 0 && t.column("off_size").number_at(0) == 0;
    } catch (const Error&) {
        return false;
    }
}

}  // namespace uplift::io
