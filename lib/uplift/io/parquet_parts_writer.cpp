#include "uplift/io/parquet_parts_writer.hpp"

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "uplift/core/errors.hpp"
#include "uplift/core/step_timer.hpp"
#include "uplift/io/ordered_parts.hpp"
#include "uplift/io/parquet_options.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/single_thread.hpp"
#include "uplift/io/sql.hpp"

namespace uplift::io {

namespace fs = std::filesystem;

namespace {

constexpr const char* part_table = "upliftctl_part";

/// Rows [from, from + count) of an appended chunk, which the piece shares: a part's rows are never copied
/// before DuckDB takes them.
struct Piece {
    std::shared_ptr<const Table> chunk;
    std::size_t from = 0;
    std::size_t count = 0;
};

/// The part of `pieces`: its rows in a table of the worker's session, copied to Parquet. The session has one
/// thread, so a part of at most one row group's rows is one row group, laid out by its values.
OrderedParts::Copy part_of(std::vector<Piece> pieces) {
    return [pieces = std::move(pieces)](Session& session, const std::string& path) {
        session.register_table(part_table, *pieces.front().chunk, pieces.front().from, pieces.front().count);
        for (std::size_t k = 1; k < pieces.size(); ++k) {
            session.append_rows(part_table, *pieces[k].chunk, pieces[k].from, pieces[k].count);
        }
        session.execute(fmt::format("COPY {} TO {} ({})", part_table, quote_literal(path), parquet_copy_options));
        session.execute(fmt::format("DROP TABLE {}", part_table));
    };
}

}  // namespace

struct ParquetPartsWriter::Impl {
    fs::path shown;
    OrderedParts parts;
    std::vector<Piece> pending;  ///< rows not yet in a part, fewer than a row group
    std::size_t pending_rows = 0;

    Impl(const fs::path& output, int threads, fs::path shown_in, PartRoute route)
        : shown(shown_in.empty() ? output : std::move(shown_in)),
          parts(output, shown, {.threads = threads, .session = {}, .route = route, .scratch_files = output}) {}
};

ParquetPartsWriter::ParquetPartsWriter(fs::path output, int threads, fs::path shown, PartRoute route)
    : impl_(std::make_unique<Impl>(output, threads, std::move(shown), route)) {}

ParquetPartsWriter::~ParquetPartsWriter() = default;

void ParquetPartsWriter::append(Table chunk) { append(std::make_shared<const Table>(std::move(chunk))); }

void ParquetPartsWriter::append(std::shared_ptr<const Table> shared) {
    auto& d = *impl_;
    const std::size_t rows = shared->num_rows();
    const std::size_t group = parquet_writer_row_group_rows;
    std::size_t from = 0;
    // A piece that completes a row group with the rows held back; then whole row groups straight from the chunk.
    if (d.pending_rows > 0 && d.pending_rows + rows >= group) {
        from = group - d.pending_rows;
        d.pending.push_back({shared, 0, from});
        d.parts.submit(part_of(std::move(d.pending)));
        d.pending.clear();
        d.pending_rows = 0;
    }
    while (d.pending_rows == 0 && rows - from >= group) {
        d.parts.submit(part_of({{shared, from, group}}));
        from += group;
    }
    // The rest waits for the next chunk; the first chunk is kept even when empty, for the columns.
    if (from < rows || (d.parts.parts() == 0 && d.pending.empty())) {
        d.pending.push_back({shared, from, rows - from});
        d.pending_rows += rows - from;
    }
}

void ParquetPartsWriter::restart() {
    auto& d = *impl_;
    d.parts.restart();
    d.pending.clear();
    d.pending_rows = 0;
}

void ParquetPartsWriter::write(const Metadata& metadata) {
    auto& d = *impl_;
    if (d.parts.parts() == 0 && d.pending.empty()) {
        throw InternalError(fmt::format("ParquetPartsWriter: nothing to write to '{}'", d.shown.string()));
    }
    StepTimer timer(fmt::format("writing '{}'", d.shown.string()));
    // The last part holds the rows left, or is the empty table that gives a file without rows its columns.
    if (d.pending_rows > 0 || d.parts.parts() == 0) d.parts.submit(part_of(std::move(d.pending)));
    d.pending.clear();
    d.pending_rows = 0;
    d.parts.finish(metadata);
    timer.done(fmt::format("the last of {} row groups encoded and the file's footer written", d.parts.parts()));
}

}  // namespace uplift::io
