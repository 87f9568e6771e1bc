#pragma once
/// Picks what `evaluate` needs from a scores table: outcome, 0/1 treatment for one treated level against
/// control, and the score column. Columns default to the roles recorded in the file's metadata.

#include <cstdint>
#include <string>
#include <vector>

#include "uplift/io/table.hpp"

namespace uplift::eval {

struct ScoredColumns {
    std::string score;            ///< default: uplift__<level>, or "uplift"
    std::string treatment;        ///< default: from the roles
    std::string outcome;          ///< default: from the roles
    std::string control;          ///< default: from the roles
    std::string treatment_level;  ///< default: the only treated level (required when there are several)
};

struct ScoredInput {
    std::vector<double> y;
    std::vector<std::uint8_t> treatment;
    std::vector<double> score;
    std::vector<std::size_t> rows;     ///< the table row of each entry
    ScoredColumns resolved;            ///< the columns and levels actually used
    std::int64_t rows_excluded = 0;    ///< rows of other treated levels
};

/// Throws UsageError when a choice cannot be made from the flags and the metadata, DataError for unusable
/// values (text outcome, missing treatment level) with the column and row.
ScoredInput select_scored_input(const io::Table& scores, const std::string& file, const ScoredColumns& wanted);

/// The treated levels recorded in the scores' roles (empty when none are recorded).
std::vector<std::string> recorded_levels(const io::Table& scores);

}  // namespace uplift::eval
