#include "uplift/io/table_writer.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <optional>

#include "uplift/core/errors.hpp"
#include "uplift/core/throw_error.hpp"
#include "uplift/io/atomic_output.hpp"
#include "uplift/io/parquet_parts_writer.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/sql.hpp"
#include "uplift/io/table_io.hpp"

namespace uplift::io {

namespace fs = std::filesystem;

namespace {

constexpr const char* spool_table = "upliftctl_spool";

fs::path spool_base(const fs::path& target) {
    static std::atomic<unsigned> counter{0};
    const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
    return parent / fmt::format(".{}.spool-{}-{}", target.filename().string(), ::getpid(), counter++);
}

}  // namespace

struct TableWriter::Impl {
    fs::path path;
    FileFormat format;
    AtomicOutput out;
    std::string copy_memory_limit;
    // The scratch database's files: DuckDB creates the WAL and (only when it spills) the temp folder.
    // Declared before the session so they are removed after it is closed.
    ScratchPath database;
    ScratchPath wal;
    ScratchPath spill;
    // A Parquet file is written in parts while the rows arrive; a CSV file through the spool database.
    std::optional<ParquetPartsWriter> parts;
    std::optional<Session> session;
    std::vector<std::pair<std::string, ColumnType>> columns;
    std::size_t rows = 0;
    bool started = false;

    Impl(fs::path p, const TableWriterOptions& o, const fs::path& base)
        : path(std::move(p)),
          format(format_of(path)),
          out(path, o.overwrite),
          copy_memory_limit(o.copy_memory_limit.empty() ? o.memory_limit : o.copy_memory_limit),
          database(fs::path(base.string() + ".duckdb")),
          wal(fs::path(base.string() + ".duckdb.wal")),
          spill(fs::path(base.string() + ".tmp")) {
        if (format == FileFormat::Parquet) {
            parts.emplace(out.temp_path(), o.threads, path);
            return;
        }
        session.emplace(SessionOptions{.threads = o.threads, .memory_limit = o.memory_limit},
                        SessionStorage{.database_file = database.path().string(),
                                       .temp_directory = spill.path().string()});
        // The spool is read back once: compressing its row groups (ALP for doubles, measured at a tenth of
        // ingest's time) costs more than the bytes it saves.
        session->execute("PRAGMA force_compression = 'uncompressed'");
    }
    /// The chunk's columns: the first chunk's fix them, later ones must match (a bug in the producer otherwise).
    void check_columns(const Table& chunk) {
        if (!session && !parts) throw InternalError("TableWriter::append after finish");
        if (!started) {
            if (chunk.num_columns() == 0) {
                throw InternalError(fmt::format("refusing to write '{}' with no columns", path.string()));
            }
            for (const Column& c : chunk.columns()) columns.emplace_back(c.name(), c.type());
            return;
        }
        bool same = chunk.num_columns() == columns.size();
        for (std::size_t j = 0; same && j < columns.size(); ++j) {
            same = chunk.columns()[j].name() == columns[j].first && chunk.columns()[j].type() == columns[j].second;
        }
        if (!same) {
            throw InternalError(fmt::format("writing '{}': a chunk's columns differ from the first chunk's ({})",
                                            path.string(), fmt::join(chunk.column_names(), ", ")));
        }
    }
};

TableWriter::TableWriter(fs::path path, const TableWriterOptions& options) {
    const fs::path base = spool_base(path);
    impl_ = std::make_unique<Impl>(std::move(path), options, base);
}

TableWriter::~TableWriter() = default;

std::size_t TableWriter::rows() const noexcept { return impl_->rows; }

void TableWriter::append(const Table& chunk) {
    if (impl_->parts) return append(Table(chunk));  // the parts share the rows until they are encoded
    auto& d = *impl_;
    d.check_columns(chunk);
    if (!d.started) {
        // One transaction for the whole spool, committed once before the copy: appends then cost no commit
        // (WAL write and fsync) per chunk, and full row groups still go to the scratch file (DuckDB writes
        // large transaction-local appends optimistically), so memory stays bounded.
        d.session->execute("BEGIN TRANSACTION");
        d.session->register_table(spool_table, chunk);
    } else {
        d.session->append_rows(spool_table, chunk);
    }
    d.started = true;
    d.rows += chunk.num_rows();
}

void TableWriter::append(Table&& chunk) {
    auto& d = *impl_;
    if (!d.parts) return append(static_cast<const Table&>(chunk));
    d.check_columns(chunk);
    d.rows += chunk.num_rows();
    d.parts->append(std::move(chunk));
    d.started = true;
}

void TableWriter::restart() {
    auto& d = *impl_;
    if (!d.session && !d.parts) throw InternalError("TableWriter::restart after finish");
    if (d.parts) {
        d.parts->restart();
    } else if (d.started) {
        // The spool table was created in the transaction the appends run in: rolling it back removes both.
        d.session->execute("ROLLBACK");
    }
    d.started = false;
    d.columns.clear();
    d.rows = 0;
}

void TableWriter::finish(const Metadata& metadata) {
    write(metadata);
    commit();
}

void TableWriter::commit() { impl_->out.commit(); }

void TableWriter::write(const Metadata& metadata) {
    auto& d = *impl_;
    if ((!d.session && !d.parts) || !d.started) {
        throw InternalError(fmt::format("TableWriter: nothing to write to '{}'", d.path.string()));
    }
    if (d.parts) {
        d.parts->write(metadata);
        d.parts.reset();
        return;
    }
    // Committed once, and copied with a larger cache than the appends had. Both measured at 5M rows × 15
    // columns (docs/benchmarks.md, flat ingest): DuckDB 1.4.4 copies a transaction's own uncommitted rows at
    // one thread's speed (6.8 s against 3.1 s committed), and its parallel copy, which holds a few row groups
    // per thread, crawls under a 128 MB cap (6.7 s against 2.9 s at 512 MB). The commit costs little: the full
    // row groups are already in the scratch file.
    try {
        d.session->execute("COMMIT");
        d.session->execute(fmt::format("SET memory_limit = {}", quote_literal(d.copy_memory_limit)));
        // The table keeps insertion order and COPY preserves it (preserve_insertion_order is on by default).
        d.session->execute(fmt::format("COPY {} TO {} ({})", spool_table, quote_literal(d.out.temp_path().string()),
                                       copy_options(d.format, metadata)));
    } catch (const Error& e) {
        try {  // nor on a failed copy: a closing database would checkpoint the committed spool first
            d.session->execute(fmt::format("DROP TABLE IF EXISTS {}", spool_table));
        } catch (const Error&) {  // the copy's error is the one to report
        }
        throw_error(e.kind(), fmt::format("cannot write '{}': {}", d.path.string(), e.what()));
    }
    if (d.format == FileFormat::Csv) write_csv_sidecar(*d.session, spool_table, d.path, metadata);
    // Dropped before the database closes, so closing it checkpoints nothing large.
    d.session->execute(fmt::format("DROP TABLE {}", spool_table));
    d.session.reset();  // closes the scratch database before its files are removed
}

}  // namespace uplift::io
