#pragma once
/// Checks against a known truth (simulated data, where every client's true uplift is known): how much of
/// the true uplift a ranking captures in its top k, relative to the oracle that ranks by the truth itself.
///   capture@k = Σ true uplift over the top ⌊k·n⌋ by score / Σ true uplift over the top ⌊k·n⌋ by truth.
/// 1 means the ranking is as good as the oracle's at that depth; ties in the score keep row order.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "uplift/io/table.hpp"

namespace uplift::eval {

/// DataError when the oracle's top k has no positive total (nothing to capture).
double oracle_capture(std::span<const double> score, std::span<const double> true_uplift, double k);

struct OracleCheck {
    std::string truth_file;
    std::string truth_column;
    std::int64_t matched = 0;                          ///< scored rows found in the truth file
    std::vector<std::pair<std::string, double>> capture;  ///< k label → capture@k
};

/// True uplift of each scored row (`rows` of `scores`), joined on the id column `id` of both tables.
/// DataError naming the first id missing from the truth, a duplicate truth id, or a non-numeric truth column,
/// with the file concerned (`scores_file`, `truth_file`).
std::vector<double> join_truth(const io::Table& scores, const std::string& scores_file, std::span<const std::size_t> rows,
                               const std::string& id,
                               const io::Table& truth, const std::string& truth_file, const std::string& truth_column);

/// The capture@k of `score` for every k (labels as the user wrote them) against the truth joined on `id`
/// (empty: the id column recorded in the scores' roles).
OracleCheck check_against_truth(const io::Table& scores, const std::string& scores_file, std::span<const std::size_t> rows,
                                std::span<const double> score,
                                std::string id, const io::Table& truth, const std::string& truth_file,
                                const std::string& truth_column, std::span<const double> ks,
                                std::span<const std::string> k_labels);

std::string oracle_to_json(const OracleCheck& check);

/// `evaluation_json` (an object) with the check added under "oracle", indented like to_json.
std::string add_oracle_json(const std::string& evaluation_json, const OracleCheck& check);

}  // namespace uplift::eval
