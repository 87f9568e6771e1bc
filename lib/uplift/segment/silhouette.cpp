#include "uplift/segment/silhouette.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "uplift/core/parallel.hpp"
#include "uplift/core/random.hpp"

namespace uplift::segment {

std::optional<double> silhouette(MatrixView m, std::span<const int> labels, int k, int threads) {
    const auto kk = static_cast<std::size_t>(k);
    std::vector<std::int64_t> sizes(kk, 0);
    for (const int l : labels) ++sizes[static_cast<std::size_t>(l)];
    if (std::count_if(sizes.begin(), sizes.end(), [](std::int64_t s) { return s > 0; }) < 2) return std::nullopt;
    using ConstRow = Eigen::Map<const Eigen::RowVectorXd>;
    const auto cols = static_cast<Eigen::Index>(m.cols);
    std::vector<double> s(m.rows, 0);
    constexpr std::size_t rows_per_part = 64;
    const std::size_t parts = (m.rows + rows_per_part - 1) / rows_per_part;
    for_each_part_with<std::vector<double>>(parts, thread_limit(threads), [&](std::size_t part, std::vector<double>& sum) {
        sum.assign(kk, 0);
        const std::size_t end = std::min(m.rows, (part + 1) * rows_per_part);
        for (std::size_t i = part * rows_per_part; i < end; ++i) {
            std::fill(sum.begin(), sum.end(), 0.0);
            const ConstRow x(m.row(i), cols);
            for (std::size_t j = 0; j < m.rows; ++j) {
                if (j == i) continue;
                sum[static_cast<std::size_t>(labels[j])] += (ConstRow(m.row(j), cols) - x).norm();
            }
            const auto own = static_cast<std::size_t>(labels[i]);
            if (sizes[own] < 2) continue;  // alone in its cluster: s = 0
            const double a = sum[own] / static_cast<double>(sizes[own] - 1);
            double b = std::numeric_limits<double>::infinity();
            for (std::size_t c = 0; c < kk; ++c) {
                if (c != own && sizes[c] > 0) b = std::min(b, sum[c] / static_cast<double>(sizes[c]));
            }
            const double denominator = std::max(a, b);
            s[i] = denominator > 0 ? (b - a) / denominator : 0;
        }
    });
    return std::accumulate(s.begin(), s.end(), 0.0) / static_cast<double>(m.rows);
}

std::vector<std::size_t> sample_rows(std::size_t rows, std::size_t count, std::uint64_t seed) {
    std::vector<std::size_t> all(rows);
    std::iota(all.begin(), all.end(), 0);
    if (count >= rows) return all;
    // A partial Fisher–Yates: the first `count` places are a uniform sample without replacement.
    Rng rng(seed);
    for (std::size_t i = 0; i < count; ++i) {
        const auto j = i + static_cast<std::size_t>(rng.below(rows - i));
        std::swap(all[i], all[j]);
    }
    all.resize(count);
    std::sort(all.begin(), all.end());
    return all;
}

}  // namespace uplift::segment
