#pragma once
/// Choosing k from a range by the silhouette. Each k is fitted on one seeded sample of the rows (at most
/// `sample` of them) and scored by the silhouette of that same sample, so choosing costs the same at 1M rows
/// as at 10,000; the chosen k is then fitted on every row (segments.cpp).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "uplift/artifacts/portraits.hpp"
#include "uplift/segment/feature_matrix.hpp"
#include "uplift/segment/kmeans.hpp"

namespace uplift::segment {

struct KChoice {
    int k = 0;
    std::vector<artifacts::KCandidate> candidates;  ///< every k of the range with its silhouette
    std::optional<double> silhouette;               ///< of the chosen k
    std::size_t sample_rows = 0;
};

/// The k of [k_min, k_max] with the largest silhouette (ties: the smaller k). `options.k` is ignored; the
/// range is cut to the sample's size. Throws UsageError for k_min < 2 or k_max < k_min, DataError when the
/// sample has too few distinct rows for any k of the range to have a silhouette.
KChoice choose_k(MatrixView m, int k_min, int k_max, std::size_t sample, const KMeansOptions& options);

}  // namespace uplift::segment
