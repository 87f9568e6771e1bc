#pragma once
/// Scores a table with a model bundle. Output columns (one row per input row, same order):
///   <id>, then <treatment> and <outcome> when the input has them (so the scores can be evaluated),
///   p__control, then per treated level L: p__L and uplift__L,
///   best_offer (the level with the largest uplift), best_uplift,
///   uplift, p_control, p_treatment (the best offer's; with one treated level simply that level's),
///   uplift_segment (binary outcomes only): persuadable / sure_thing / lost_cause / sleeping_dog.
/// For a continuous outcome the p__ columns hold expected values (e.g. spend) rather than probabilities.

#include <cstdint>
#include <map>
#include <string>

#include "uplift/io/table.hpp"
#include "uplift/model/bundle.hpp"

namespace uplift::model {

/// Client segments from the best offer's predicted uplift and the purchase chance without an offer:
///   persuadable  – uplift ≥ +uplift threshold (the offer makes the purchase more likely);
///   sleeping_dog – uplift ≤ −uplift threshold (even the best offer makes it less likely);
///   otherwise the offer changes little, and the client is a sure_thing when p_control ≥ the buy threshold
///   (buys anyway), else a lost_cause.
struct SegmentThresholds {
    double uplift = 0.01;  ///< in [0, 1)
    double buy = 0.5;      ///< in (0, 1)
};

/// Throws UsageError for thresholds out of range.
void check_thresholds(const SegmentThresholds& t);
const char* segment_of(double p_control, double uplift, const SegmentThresholds& t);

struct ScoreOptions {
    SegmentThresholds segments;
};

struct ScoreStats {
    std::int64_t rows = 0;
    std::map<std::string, std::int64_t> unseen_levels;  ///< text column → rows with a level unseen in training
    std::map<std::string, std::int64_t> segments;       ///< segment → rows
    /// Rows scored with the training treated share because the propensity column was missing.
    std::int64_t propensity_fallback_rows = 0;
};

/// The model's inputs from `input`: its feature columns as they are, or encoded from the raw columns with the
/// bundle's encoding. Throws ModelError naming what is missing or of the wrong type.
DenseMatrix model_inputs(const ModelBundle& bundle, const io::Table& input, ScoreStats* stats);

io::Table score_table(const ModelBundle& bundle, const io::Table& input, ScoreStats* stats,
                      const ScoreOptions& options = {});

}  // namespace uplift::model
