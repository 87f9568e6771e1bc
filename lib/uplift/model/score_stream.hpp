#pragma once
/// Scores a file of any size with bounded memory: the input is read in chunks, each chunk goes through
/// score_table, and the scores are appended to a streaming writer. The output equals what score_table on
/// the whole table followed by write_table would give (same values, columns, row order and metadata).

#include <cstddef>
#include <filesystem>

#include "uplift/core/progress.hpp"
#include "uplift/io/table.hpp"
#include "uplift/model/bundle.hpp"
#include "uplift/model/drift_check.hpp"
#include "uplift/model/scoring.hpp"

namespace uplift::model {

struct ScoreFileOptions {
    /// Rows per chunk. Larger chunks amortise per-chunk overhead (XGBoost's DMatrix, the appender); memory
    /// grows with them. 100,000 rows × 20 features is about 16 MB of input per chunk (docs/benchmarks.md).
    std::size_t chunk_rows = 100'000;
    int threads = 0;  ///< DuckDB threads (reading, writing); 0: all cores. XGBoost's are set on the bundle.
    bool overwrite = false;
    ScoreOptions score;  ///< segment thresholds
    /// When a drift report is worth a warning, and when it stops the run before the scores are committed.
    DriftThresholds drift;
    /// Told the rows scored after each chunk, out of the file's rows (0 for a CSV, whose count needs a scan).
    Progress progress;
};

/// Scores `input` into `output` (.parquet or .csv). The output metadata is the scores' own (as score_table
/// sets it) with `metadata` laid over it, and the scores' origin (scores_info_for_input, known once every row
/// has been checked against the fitted rows). Without an id column in the input, row numbers continue across
/// chunks (1..n over the file, as for the whole table). Throws as read_table, score_table and write_table.
ScoreStats score_file(const ModelBundle& bundle, const std::filesystem::path& input,
                      const std::filesystem::path& output, const io::Metadata& metadata,
                      const ScoreFileOptions& options = {});

}  // namespace uplift::model
