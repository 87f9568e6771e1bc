#pragma once
/// Scores a table with a model bundle. Output columns (one row per input row, same order):
///   <id>, then <treatment> and <outcome> when the input has them (so the scores can be evaluated),
///   p__control, then per treated level L: p__L and uplift__L,
///   best_offer (the level with the largest uplift), best_uplift,
///   uplift, p_control, p_treatment (the best offer's; with one treated level simply that level's),
///   uplift_segment (binary outcomes only): persuadable / sure_thing / lost_cause / sleeping_dog.
/// For a continuous outcome the p__ columns hold expected values (e.g. spend) rather than probabilities.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "uplift/artifacts/scores_info.hpp"
#include "uplift/eval/client_kinds.hpp"
#include "uplift/eval/drift.hpp"
#include "uplift/io/table.hpp"
#include "uplift/model/bundle.hpp"

namespace uplift::model {

struct ScoreOptions {
    /// uplift_segment of the best offer: one definition of the client kinds (eval/client_kinds.hpp).
    eval::KindThresholds segments;
};

struct ScoreStats {
    std::int64_t rows = 0;
    std::map<std::string, std::int64_t> unseen_levels;  ///< text column → rows with a level unseen in training
    std::map<std::string, std::int64_t> segments;       ///< segment → rows
    /// Retail product-mix columns lined up with the model's (features/retail_alignment.hpp): the input's
    /// categories the model never saw (folded into its __other__ column), the rows that spent on them, the
    /// model's categories the input lacks (zeros), and categories left out for want of an __other__ column.
    std::set<std::string> folded_categories;
    std::int64_t folded_rows = 0;
    std::set<std::string> zeroed_categories;
    std::set<std::string> unplaced_categories;
    /// Rows scored with the training treated share because the propensity column was missing.
    std::int64_t propensity_fallback_rows = 0;
    /// Counts the scored rows against the model's drift reference when set (score_file sets it up).
    std::shared_ptr<eval::DriftCounter> drift;
    /// What score_file found: the scored file against the model's training distributions.
    std::optional<artifacts::DriftReport> drift_report;
    /// The scored rows checked against the model's fitted rows, and how many were among them.
    FittedRowCount fitted;
    /// How score_file labelled the scores (scores_info_for_input), as stored in their metadata.
    artifacts::ScoresInfo scores_info;
};

/// A scores file is labelled in_sample when at least this share of its checked rows were fitted on.
inline constexpr double in_sample_share = 0.05;

/// The model's inputs from `input`: its feature columns as they are, retail product-mix columns of another
/// catalogue lined up with the model's, or raw columns encoded with the bundle's encoding. Throws ModelError
/// naming what is missing or of the wrong type.
DenseMatrix model_inputs(const ModelBundle& bundle, const io::Table& input, ScoreStats* stats);

io::Table score_table(const ModelBundle& bundle, const io::Table& input, ScoreStats* stats,
                      const ScoreOptions& options = {});

/// Who counts a chunk's rows against training (count_against_training): score_matrix itself, or its caller.
enum class TrainingCounts { Now, ByCaller };

/// score_table of rows whose model inputs `x` are already built (model_inputs, or train's own matrix of them):
/// `input` holds the same rows in the same order and gives only the columns the scores carry over (id,
/// treatment, outcome) and the propensity column; it need not hold the features.
io::Table score_matrix(const ModelBundle& bundle, const DenseMatrix& x, const io::Table& input, ScoreStats* stats,
                       const ScoreOptions& options = {}, TrainingCounts counts = TrainingCounts::Now);

/// What score_matrix counts against training after scoring `x`: the rows checked against the model's fitted rows
/// (by `id`, the input's id column, or by their inputs when null) and, when stats.drift is set, the inputs and the
/// uplift of `scores` against the drift reference. It touches only stats.fitted and *stats.drift, so a stream can
/// count one chunk while score_matrix (with TrainingCounts::ByCaller) scores the next.
void count_against_training(const ModelBundle& bundle, const DenseMatrix& x, const io::Column* id,
                            const io::Table& scores, ScoreStats& stats);

/// How `score` labels the scores of `input`: in_sample when it is the very file the model was trained on
/// (same content fingerprint), or when at least in_sample_share of its rows checked against the model's fitted
/// rows were fitted on (a copy, the raw dataset, a subset); else new. Figures on in-sample rows flatter the model.
artifacts::ScoresInfo scores_info_for_input(const ModelBundle& bundle, const std::filesystem::path& input,
                                            const ScoreOptions& options, const FittedRowCount& fitted);

}  // namespace uplift::model
