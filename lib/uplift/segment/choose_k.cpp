#include "uplift/segment/choose_k.hpp"

#include <fmt/format.h>

#include "uplift/core/errors.hpp"
#include "uplift/segment/silhouette.hpp"

namespace uplift::segment {

KChoice choose_k(MatrixView m, int k_min, int k_max, std::size_t sample, const KMeansOptions& options) {
    if (k_min < 2) throw UsageError(fmt::format("--k-range: the smallest k must be at least 2, not {}", k_min));
    if (k_max < k_min) throw UsageError(fmt::format("--k-range {}..{}: the range is empty", k_min, k_max));
    // Its own stream: the sample does not shift when --restarts changes the k-means draws.
    const auto rows = sample_rows(m.rows, sample, options.seed ^ 0x5157A1E77E5A3B1Dull);
    const std::vector<double> values = take_rows(m, rows);
    const MatrixView view{values.data(), rows.size(), m.cols};
    KChoice choice;
    choice.sample_rows = rows.size();
    for (int k = k_min; k <= k_max && static_cast<std::size_t>(k) <= rows.size(); ++k) {
        KMeansOptions o = options;
        o.k = k;
        const KMeansResult fit = kmeans(view, o);
        const auto s = silhouette(view, fit.labels, k, options.threads);
        choice.candidates.push_back({k, s});
        if (s && (!choice.silhouette || *s > *choice.silhouette)) {
            choice.k = k;
            choice.silhouette = s;
        }
    }
    if (choice.k == 0) {
        throw DataError(fmt::format("cannot choose k in {}..{}: the {} sampled rows do not form two clusters (too few "
                                    "rows, or every row alike); pass --k",
                                    k_min, k_max, rows.size()));
    }
    return choice;
}

}  // namespace uplift::segment
