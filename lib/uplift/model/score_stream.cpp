#include "uplift/model/score_stream.hpp"

#include <fmt/format.h>

#include <future>
#include <optional>

#include "uplift/core/errors.hpp"
#include "uplift/core/log.hpp"
#include "uplift/core/throw_error.hpp"
#include "uplift/io/session.hpp"
#include "uplift/io/table_io.hpp"
#include "uplift/io/table_writer.hpp"

namespace uplift::model {

namespace {

/// score_table numbers rows 1..n within its input when the input has no id column; over a file read in
/// chunks the numbers must continue from the rows before.
void continue_row_numbers(io::Table& scores, const std::string& id, std::int64_t offset) {
    const auto rows = scores.column(id).int64_values();
    std::vector<std::int64_t> shifted(rows.begin(), rows.end());
    for (auto& r : shifted) r += offset;
    scores.replace_column(io::Column::int64s(id, std::move(shifted)));
}

/// Scores and writes one chunk while the reader fetches the next, so that DuckDB's scan of the input and
/// XGBoost's prediction use the cores at the same time. The chunks are still scored and appended one at a
/// time and in file order (a chunk's task starts only when the one before it has ended), so the output and
/// the stats are exactly a sequential loop's.
class ChunkPipeline {
public:
    ChunkPipeline() = default;
    ChunkPipeline(const ChunkPipeline&) = delete;
    ChunkPipeline& operator=(const ChunkPipeline&) = delete;
    /// Unwinding past a task still running (the reader threw): it must end before what it refers to goes.
    ~ChunkPipeline() {
        if (pending_.valid()) pending_.wait();
    }

    /// Waits for the task before (rethrowing its error), then starts `task`.
    template <class Task>
    void submit(Task task) {
        finish();
        pending_ = std::async(std::launch::async, std::move(task));
    }
    /// Waits for the last task, rethrowing its error.
    void finish() {
        if (pending_.valid()) pending_.get();
    }

private:
    std::future<void> pending_;
};

}  // namespace

ScoreStats score_file(const ModelBundle& bundle, const std::filesystem::path& input,
                      const std::filesystem::path& output, const io::Metadata& metadata,
                      const ScoreFileOptions& options) {
    if (options.chunk_rows == 0) throw UsageError("--chunk-rows must be at least 1");
    io::TableWriter writer(output, {.overwrite = options.overwrite, .threads = options.threads});
    // A cap on DuckDB's cache for the reading side too: without one it keeps blocks of the input file it has
    // already scanned (up to 80% of RAM), which made peak memory grow with the file (docs/benchmarks.md).
    io::Session session({.threads = options.threads, .memory_limit = "256MB"});
    ScoreStats stats;
    if (bundle.drift_reference) stats.drift = std::make_shared<eval::DriftCounter>(*bundle.drift_reference);
    std::optional<io::Metadata> scores_metadata;
    const std::uint64_t total = options.progress ? io::parquet_row_count(session, input).value_or(0) : 0;
    const auto score_chunk = [&](const io::Table& chunk) {
        const std::int64_t offset = stats.rows;
        io::Table scores = [&] {
            try {
                return score_table(bundle, chunk, &stats, options.score);
            } catch (const Error& e) {
                // The model's complaints about the input (a missing feature, a type other than training's)
                // name the scored file: score's other inputs are the model folder and the flags.
                if (e.kind() != ErrorKind::Model && e.kind() != ErrorKind::Data) throw;
                throw_error(e.kind(), fmt::format("'{}': {}", input.string(), e.what()));
            }
        }();
        if (offset > 0 && !chunk.has(bundle.roles.id)) continue_row_numbers(scores, bundle.roles.id, offset);
        if (!scores_metadata) scores_metadata = scores.metadata();
        writer.append(scores);
        log::debug("scored {} rows", stats.rows);
        if (options.progress) options.progress(static_cast<std::uint64_t>(stats.rows), total);
    };
    ChunkPipeline pipeline;
    io::read_table_chunks(session, input, options.chunk_rows, [&](io::Table&& chunk) {
        pipeline.submit([&score_chunk, chunk = std::move(chunk)] { score_chunk(chunk); });
    });
    pipeline.finish();
    io::Metadata out = scores_metadata.value_or(io::Metadata{});
    for (const auto& [k, v] : metadata) out[k] = v;
    stats.scores_info = scores_info_for_input(bundle, input, options.score, stats.fitted);
    artifacts::store_scores_info(out, stats.scores_info);
    if (stats.drift) {
        stats.drift_report = stats.drift->report();
        check_drift(*stats.drift_report, options.drift);  // throws before the commit: no scores on a failed check
        out[artifacts::drift_metadata_key] = artifacts::to_json(*stats.drift_report);
    }
    writer.finish(out);
    return stats;
}

}  // namespace uplift::model
