#pragma once
/// The silhouette of a clustering (Rousseeuw 1987), used to choose k: for each row, a = its mean distance to
/// the other rows of its cluster, b = the smallest mean distance to the rows of another cluster,
/// s = (b − a) / max(a, b); the score is the mean s. A row alone in its cluster counts s = 0 (as
/// scikit-learn does). Exact and quadratic in the rows, so it runs on a seeded sample of them.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "uplift/segment/feature_matrix.hpp"

namespace uplift::segment {

/// The mean silhouette of `labels` (0..k-1, one per row of `m`), Euclidean distances. nullopt when fewer than
/// two clusters have rows (the silhouette is undefined). Rows are split over `threads`; the per-row values
/// are added in row order, so the result does not depend on it.
std::optional<double> silhouette(MatrixView m, std::span<const int> labels, int k, int threads = 1);

/// `count` distinct rows of [0, rows) drawn with `seed` (all of them, in order, when count >= rows), sorted.
std::vector<std::size_t> sample_rows(std::size_t rows, std::size_t count, std::uint64_t seed);

}  // namespace uplift::segment
