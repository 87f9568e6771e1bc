#pragma once
/// k-means (Lloyd's iterations) with k-means++ seeding and several seeded restarts, the best kept.
/// Deterministic at any thread count: the rows are cut into parts of a fixed size (not one per thread),
/// each part sums its own rows, and the parts' sums are added in part order.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "uplift/segment/feature_matrix.hpp"

namespace uplift::segment {

struct KMeansOptions {
    int k = 4;
    int restarts = 4;         ///< independent seedings; the one with the least inertia is kept
    int max_iterations = 100; ///< per restart; iterations stop earlier once at most kmeans_converged_share of
                              ///< the rows change cluster
    std::uint64_t seed = 42;
    int threads = 0;          ///< 0: one per core; the result does not depend on it
};

struct KMeansResult {
    int k = 0;
    std::vector<double> centres;  ///< k × cols, row-major
    std::vector<int> labels;      ///< per row, 0..k-1; cluster 0 is the largest (ties: the one met first)
    std::vector<std::int64_t> sizes;
    double inertia = 0;           ///< sum of squared distances of the rows to their centres
    int iterations = 0;           ///< of the kept restart
};

/// Rows per part of the parallel steps: fixed, so the parts (and the order their sums are added in) are the
/// same whatever --threads is.
inline constexpr std::size_t kmeans_part_rows = 4096;

/// Lloyd's iterations stop when at most this share of the rows changed cluster in the last assignment (0 rows
/// for fewer than 10,000 rows).
inline constexpr double kmeans_converged_share = 1e-4;

/// Clusters the rows of `m`. Throws UsageError when k < 1 or k exceeds the number of rows, or restarts or
/// max_iterations < 1. A cluster that loses every row is given the row farthest from its centre.
KMeansResult kmeans(MatrixView m, const KMeansOptions& options);

/// Each cluster's mean of every column of `m` over the rows `fit` labels with it (k × cols, row-major; 0 for
/// an empty cluster): what naming and describing the clusters read (`centres` are those of the last update).
std::vector<double> label_means(const FeatureMatrix& m, const KMeansResult& fit);

}  // namespace uplift::segment
