#pragma once
/// Drift checks between training and scoring (issue 17): `train` stores each input's distribution over its
/// training rows and the uplift score's over the holdout in model.json; `score` counts the scored rows against
/// them (ScoreStats::drift) and judges the result against thresholds (eval/drift.hpp for the statistics).

#include <optional>
#include <string>
#include <vector>

#include "uplift/artifacts/drift_reference.hpp"
#include "uplift/io/table.hpp"
#include "uplift/model/gbm.hpp"

namespace uplift::model {

/// The features' part of the reference of a model trained on `x` (one column per feature, named `names` in the
/// model's order): each input's distribution. Taken while the training matrix is held; add_score_reference adds
/// the scores' part once out-of-sample scores exist. One feature per part on up to `threads` threads (0: one per
/// core); the reference is the same at any count.
artifacts::DriftReference drift_reference_of(const DenseMatrix& x, const std::vector<std::string>& names, int threads);

/// Adds the "uplift" column of `scores` (out-of-sample scores, labelled `score_rows`) to `reference`; nothing
/// when there are none.
void add_score_reference(artifacts::DriftReference& reference, const io::Table* scores, const std::string& score_rows);

/// When drift is worth a word: a PSI at or above `warn` is a warning; at or above `fail` (when set) the run stops
/// with DriftError (exit 6) and writes no scores.
struct DriftThresholds {
    double warn = 0.25;
    std::optional<double> fail;
};

/// One line per input (features and score) at or above `thresholds.warn`, largest first: what `score` warns.
std::vector<std::string> drift_warnings(const artifacts::DriftReport& report, const DriftThresholds& thresholds);

/// Throws DriftError naming the inputs at or above `thresholds.fail`, with their PSI.
void check_drift(const artifacts::DriftReport& report, const DriftThresholds& thresholds);

}  // namespace uplift::model
