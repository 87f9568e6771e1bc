#pragma once
// Shared by the unit tests that look into Parquet files through DuckDB.

#include <fmt/format.h>

#include <cstddef>
#include <filesystem>
#include <string>

#include "uplift/io/session.hpp"
#include "uplift/io/sql.hpp"

namespace test_support {

/// The number in column `n` of the first row of `sql`.
inline double query_number(uplift::io::Session& s, const std::string& sql) {
    return s.query(sql).column("n").number_at(0);
}

/// How many row groups the Parquet file `path` has.
inline std::size_t row_group_count(uplift::io::Session& s, const std::filesystem::path& path) {
    return static_cast<std::size_t>(
        query_number(s, fmt::format("SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata({})",
                                    uplift::io::quote_literal(path.string()))));
}

}  // namespace test_support
