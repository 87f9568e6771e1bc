#pragma once
/// How a scores table was made, carried with it (Parquet key-value metadata `upliftctl.scores`, or the
/// `.meta.json` beside a CSV): whether each row was scored by a model that never saw it, and the thresholds of
/// its client kinds. evaluate, optimize and report read it to say what their figures are worth: a figure from
/// in-sample scores flatters the model and is never shown as a test figure. This file and scores_info.cpp are
/// the only places that spell its keys.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace uplift::artifacts {

inline constexpr const char* scores_info_key = "upliftctl.scores";
inline constexpr int scores_info_format_version = 1;

enum class ScoredAs {
    Holdout,    ///< train's holdout rows, scored by the final model, which never saw them
    OutOfFold,  ///< every training row scored by a model fitted on the other folds (cross-fitting)
    InSample,   ///< rows the model was fitted on (score on the training file)
    New,        ///< rows the model never saw (score on another file)
};
/// "holdout", "out_of_fold", "in_sample", "new".
std::string_view to_string(ScoredAs scored_as) noexcept;
/// Whether a figure measured on these scores says how the model does on clients it did not learn from.
inline bool out_of_sample(ScoredAs s) noexcept { return s != ScoredAs::InSample; }

struct ScoresInfo {
    ScoredAs scored_as = ScoredAs::New;
    int folds = 0;                   ///< out_of_fold: the number of folds
    double segment_uplift = 0.01;    ///< uplift_segment thresholds (eval/client_kinds.hpp)
    double segment_buy = 0.5;
    /// score: of the rows that could be checked against the model's fitted rows (model/fitted_rows.hpp), how
    /// many it was fitted on. Written only when rows were checked.
    std::int64_t checked_rows = 0;
    std::int64_t fitted_rows = 0;

    bool operator==(const ScoresInfo&) const = default;
};

std::string to_json(const ScoresInfo& info);
/// Throws DataError naming `source` for text that is not this record, or of another format version.
ScoresInfo scores_info_from_json(std::string_view text, const std::string& source);

/// Stores `info` under scores_info_key; reads it back (empty for a table written before it was recorded).
void store_scores_info(std::map<std::string, std::string>& metadata, const ScoresInfo& info);
std::optional<ScoresInfo> load_scores_info(const std::map<std::string, std::string>& metadata,
                                           const std::string& source);

}  // namespace uplift::artifacts
