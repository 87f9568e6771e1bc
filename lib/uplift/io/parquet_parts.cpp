#include "uplift/io/parquet_parts.hpp"

#include <fmt/format.h>

#include <optional>

#include "uplift/core/errors.hpp"
#include "uplift/io/file_writer.hpp"
#include "uplift/io/ordered_parts.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/io/table_io.hpp"

namespace uplift::io {

namespace fs = std::filesystem;

namespace {

/// A part's session: one thread, so its statement runs on the calling thread alone, and without insertion
/// order, so that DuckDB's plain (not batch) writer takes the part: it ends a row group only at ROW_GROUP_SIZE
/// rows, which a part never passes, and at the end. (The batch writer would end one wherever a source row
/// group ends near the size.) Without insertion order DuckDB may also hold back a small chunk that a filter
/// leaves and emit it after later ones, even on one thread, so each part is ordered by its source row.
Session part_session(const PartsCopy& copy) {
    Session s({.threads = 1, .memory_limit = "1GB"});
    s.execute("SET preserve_insertion_order = false");
    for (const auto& statement : copy.setup) s.execute(statement);
    return s;
}

}  // namespace

std::int64_t copy_parquet_in_parts(const PartsCopy& copy, const fs::path& target, const fs::path& shown) {
    if (copy.part_rows == 0 || copy.part_rows > parquet_writer_row_group_rows) {
        throw InternalError(fmt::format("{} source rows per part: a part must be one row group", copy.part_rows));
    }
    io::create_directories(copy.scratch);
    std::uint64_t rows = 0;
    {
        Session s({.threads = 1, .memory_limit = "256MB"});
        rows = parquet_row_count(s, copy.source).value_or(0);
    }
    const std::size_t parts = std::max<std::uint64_t>(1, (rows + copy.part_rows - 1) / copy.part_rows);
    std::vector<std::int64_t> written(parts, 0);
    const std::string source = quote_literal(copy.source.string());
    OrderedParts joined(target, shown.empty() ? target : shown,
                        {.threads = copy.threads,
                         .session = [&copy] { return part_session(copy); },
                         .route = default_part_route(),
                         .scratch_files = copy.scratch / "part"});
    for (std::size_t k = 0; k < parts; ++k) {
        joined.submit([&, k](Session& session, const std::string& path) {
            const std::uint64_t from = k * copy.part_rows;
            written[k] = session.execute_rows(fmt::format(
                "COPY (SELECT {} FROM read_parquet({}, file_row_number = true) WHERE file_row_number >= {} AND "
                "file_row_number < {}{} ORDER BY file_row_number) TO {} ({})",
                copy.columns, source, from, from + copy.part_rows,
                copy.where.empty() ? "" : fmt::format(" AND ({})", copy.where), quote_literal(path), copy.options));
        });
    }
    joined.finish(std::nullopt);
    std::int64_t total = 0;
    for (const auto n : written) total += n;
    return total;
}

}  // namespace uplift::io
