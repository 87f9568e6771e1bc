#include "uplift/model/forest/binning.hpp"

#include <algorithm>
#include <cmath>

#include "uplift/core/parallel.hpp"
#include "uplift/core/random.hpp"

namespace uplift::model::forest {

std::vector<float> quantile_cuts(std::vector<float> values) {
    // Infinite values are binned (into the first or last bin) but never become a cut: cuts are written as JSON numbers.
    std::erase_if(values, [](float v) { return !std::isfinite(v); });
    std::sort(values.begin(), values.end());
    std::vector<float> distinct = values;
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    std::vector<float> cuts;
    if (distinct.size() <= static_cast<std::size_t>(max_value_bins)) {
        if (!distinct.empty()) cuts.assign(distinct.begin(), distinct.end() - 1);
        return cuts;
    }
    const std::size_t n = values.size();
    for (int q = 1; q < max_value_bins; ++q) {
        const float v = values[n * static_cast<std::size_t>(q) / max_value_bins];
        // The largest value never ends a bin: the last bin is open above.
        if (v < values.back() && (cuts.empty() || v > cuts.back())) cuts.push_back(v);
    }
    return cuts;
}

std::uint8_t bin_of(float value, std::span<const float> cuts) {
    if (std::isnan(value)) return 0;
    const auto it = std::lower_bound(cuts.begin(), cuts.end(), value);
    return static_cast<std::uint8_t>(1 + (it - cuts.begin()));
}

BinnedMatrix bin_matrix(const DenseMatrix& x, std::uint64_t seed, int threads) {
    BinnedMatrix b;
    b.rows = x.rows;
    b.cols = x.cols;
    b.bins.resize(x.rows * x.cols);
    b.cuts.resize(x.cols);
    // One seeded sample of rows for every column's cuts (all rows when there are few).
    std::vector<std::size_t> sample;
    if (x.rows > cut_sample_rows) {
        Rng rng(seed);
        sample.reserve(cut_sample_rows);
        for (std::size_t r = 0; r < x.rows; ++r) {
            if (rng.below(x.rows - r) < cut_sample_rows - sample.size()) sample.push_back(r);  // selection sampling
        }
    }
    for_each_part(x.cols, thread_limit(threads), [&](std::size_t c) {
        std::vector<float> values;
        if (sample.empty()) {
            values.resize(x.rows);
            for (std::size_t r = 0; r < x.rows; ++r) values[r] = x.values[r * x.cols + c];
        } else {
            values.reserve(sample.size());
            for (std::size_t r : sample) values.push_back(x.values[r * x.cols + c]);
        }
        b.cuts[c] = quantile_cuts(std::move(values));
        std::uint8_t* out = b.bins.data() + c * x.rows;
        for (std::size_t r = 0; r < x.rows; ++r) out[r] = bin_of(x.values[r * x.cols + c], b.cuts[c]);
    });
    return b;
}

}  // namespace uplift::model::forest
