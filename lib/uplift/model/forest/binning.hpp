#pragma once
/// Features cut once per fit into at most 255 quantile bins, stored as a column-major uint8 matrix: the
/// split search then reads one byte per row and feature, and never sorts.
///
/// Bin 0 holds the missing values (NaN); bins 1..m hold the values, bin b the values in (cuts[b − 2], cuts[b − 1]]
/// (bin 1 everything up to cuts[0], the last bin everything above the last cut). A split "bin <= b" is the
/// same as "value <= cuts[b − 1]", so trees keep raw thresholds and scoring needs no bins.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "uplift/model/gbm.hpp"

namespace uplift::model::forest {

/// Value bins per feature, at most; with the missing bin a feature's bins fit one byte.
inline constexpr int max_value_bins = 255;
/// Rows sampled (seeded) to place the cuts; every row is binned.
inline constexpr std::size_t cut_sample_rows = 200000;

struct BinnedMatrix {
    std::size_t rows = 0, cols = 0;
    std::vector<std::uint8_t> bins;         ///< column-major: bins[c · rows + r]
    std::vector<std::vector<float>> cuts;   ///< per column, increasing; value bins = cuts.size() + 1

    std::span<const std::uint8_t> column(std::size_t c) const { return {bins.data() + c * rows, rows}; }
    /// Value bins of column c (1..value_bins(c) are used; 0 is the missing bin).
    int value_bins(std::size_t c) const { return static_cast<int>(cuts[c].size()) + 1; }
};

/// Cut points of one column's values: every distinct value but the largest when there are at most
/// max_value_bins of them, else the values at evenly spaced quantiles (repeats merged). NaN is ignored.
std::vector<float> quantile_cuts(std::vector<float> values);

/// The bin of one value for a column's cuts.
std::uint8_t bin_of(float value, std::span<const float> cuts);

/// Bins every column of `x`; cuts from at most cut_sample_rows rows drawn with `seed`. Columns in parallel.
BinnedMatrix bin_matrix(const DenseMatrix& x, std::uint64_t seed, int threads);

}  // namespace uplift::model::forest
