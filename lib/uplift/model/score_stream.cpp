#include "uplift/model/score_stream.hpp"

#include <fmt/format.h>

#include <optional>

#include "uplift/core/chunk_pipeline.hpp"
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

}  // namespace

ScoreStats score_file(const ModelBundle& bundle, const std::filesystem::path& input,
                      const std::filesystem::path& output, const io::Metadata& metadata,
                      const ScoreFileOptions& options) {
    if (options.chunk_rows == 0) throw UsageError("--chunk-rows must be at least 1");
    io::TableWriter writer(output, {.overwrite = options.overwrite, .threads = options.threads});
    // A cap on DuckDB's cache for the reading side too: without one it keeps blocks of the input file it has
    // already scanned (up to 80% of RAM), which made peak memory grow with the file (docs/benchmarks.md).
    std::optional<io::Session> reading;
    io::Session& session = reading.emplace(io::SessionOptions{.threads = options.threads, .memory_limit = "256MB"});
    ScoreStats stats;
    if (bundle.drift_reference) stats.drift = std::make_shared<eval::DriftCounter>(*bundle.drift_reference);
    std::optional<io::Metadata> scores_metadata;
    const std::uint64_t total = options.progress ? io::parquet_row_count(session, input).value_or(0) : 0;
    // Three steps at once, each taking the chunks in file order: DuckDB reads one, the one before is scored, and
    // the one before that is counted against training and goes to the writer. Scoring alone leaves a core idle:
    // at 5M rows a third of its time went to counting and appending, on one thread. Declared before the scoring
    // pipeline, whose tasks hand their chunks to it.
    ChunkPipeline counting_and_writing;
    const auto score_chunk = [&](const io::Table& chunk) {
        const std::int64_t offset = stats.rows;
        DenseMatrix x;
        io::Table scores = [&] {
            try {
                x = model_inputs(bundle, chunk, &stats);
                return score_matrix(bundle, x, chunk, &stats, options.score, TrainingCounts::ByCaller);
            } catch (const Error& e) {
                // The model's complaints about the input (a missing feature, a type other than training's)
                // name the scored file: score's other inputs are the model folder and the flags.
                if (e.kind() != ErrorKind::Model && e.kind() != ErrorKind::Data) throw;
                throw_error(e.kind(), fmt::format("'{}': {}", input.string(), e.what()));
            }
        }();
        const bool has_id = chunk.has(bundle.roles.id);  // the scores' id column is then the input's own
        if (offset > 0 && !has_id) continue_row_numbers(scores, bundle.roles.id, offset);
        if (!scores_metadata) scores_metadata = scores.metadata();
        counting_and_writing.submit([&, has_id, x = std::move(x), scores = std::move(scores)]() mutable {
            count_against_training(bundle, x, has_id ? &scores.column(bundle.roles.id) : nullptr, scores, stats);
            writer.append(std::move(scores));
        });
        log::debug("scored {} rows", stats.rows);
        if (options.progress) options.progress(static_cast<std::uint64_t>(stats.rows), total);
    };
    ChunkPipeline pipeline;
    try {
        io::read_table_chunks(session, input, options.chunk_rows, [&](io::Table&& chunk) {
            pipeline.submit([&score_chunk, chunk = std::move(chunk)] { score_chunk(chunk); });
        });
    } catch (...) {
        // The error of the earliest rows wins, as in a sequential loop: the chunks still being scored or written.
        pipeline.finish();
        counting_and_writing.finish();
        throw;
    }
    pipeline.finish();
    counting_and_writing.finish();
    reading.reset();  // its cache is given back before the final copy takes its own (io::TableWriter)
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
