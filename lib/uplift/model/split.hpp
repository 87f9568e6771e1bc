#pragma once
/// Seeded, stratified row splits: a holdout (or K folds) that keeps each stratum's share, so a rare
/// outcome or a small arm is represented in every part.

#include <cstdint>
#include <span>
#include <vector>

namespace uplift::model {

struct Split {
    std::vector<std::size_t> train;    ///< ascending row indices
    std::vector<std::size_t> holdout;  ///< ascending row indices
};

/// Puts round(fraction × size) rows of every stratum into the holdout. fraction in [0, 1).
Split stratified_split(std::span<const int> strata, double fraction, std::uint64_t seed);

/// Fold (0..k-1) of every row: each stratum is shuffled and dealt round-robin, so folds differ in size
/// by at most one row per stratum.
std::vector<int> stratified_folds(std::span<const int> strata, int k, std::uint64_t seed);

/// Stratum of each row for uplift data: arm × outcome class (binary) or arm × (outcome > 0).
std::vector<int> uplift_strata(std::span<const int> arm, std::span<const double> y);

}  // namespace uplift::model
