#include "uplift/model/forest/forest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "uplift/core/errors.hpp"
#include "uplift/core/parallel.hpp"
#include "uplift/core/random.hpp"
#include "uplift/model/forest/binning.hpp"
#include "uplift/model/forest/tree_growth.hpp"

namespace uplift::model::forest {

namespace {

void check_data(std::span<const double> y, std::span<const int> arm, int arms, const ForestOptions& o) {
    if (arms < 2 || arms > 255) throw UsageError(fmt::format("the forest takes 1 to 254 treated levels, got {}", arms - 1));
    if (o.criterion == Criterion::DDP && arms != 2) {
        throw UsageError(fmt::format("--criterion ddp compares two groups; this data has {} treated levels: pick one with "
                                     "--treatment-level, or use kl, ed, chi, cts or mse",
                                     arms - 1));
    }
    if (needs_binary_outcome(o.criterion)) {
        for (double v : y) {
            if (v != 0.0 && v != 1.0) {
                throw UsageError(fmt::format("--criterion {} needs a 0/1 outcome, found {}; use cts or mse for a "
                                             "continuous outcome",
                                             to_string(o.criterion), v));
            }
        }
    }
    for (int a : arm) {
        if (a < 0 || a >= arms) throw InternalError(fmt::format("forest: arm {} outside 0..{}", a, arms - 1));
    }
}

/// A node as the scoring walk reads it: one record instead of five arrays. A leaf points to itself both ways,
/// so every row can take the same number of steps (the tree's depth) without a branch on the data.
struct WalkNode {
    float threshold;
    std::int32_t left, right;
    std::uint32_t feature_missing;  ///< feature << 1 | missing_left: 16 bytes a node
};

struct Walk {
    std::vector<WalkNode> nodes;
    int depth = 0;
};

Walk walk_of(const Tree& t) {
    Walk w;
    w.nodes.resize(t.nodes());
    std::vector<int> depth(t.nodes(), 0);
    for (std::size_t i = 0; i < t.nodes(); ++i) {
        const auto self = static_cast<std::int32_t>(i);
        if (t.feature[i] < 0) {
            w.nodes[i] = {0.0F, self, self, 0};
            w.depth = std::max(w.depth, depth[i]);
            continue;
        }
        w.nodes[i] = {t.threshold[i], t.left[i], t.right[i],
                      static_cast<std::uint32_t>(t.feature[i]) << 1 | (t.missing_left[i] != 0 ? 1U : 0U)};
        // Preorder: children come after their parent, so their depth is set before they are visited.
        depth[static_cast<std::size_t>(t.left[i])] = depth[i] + 1;
        depth[static_cast<std::size_t>(t.right[i])] = depth[i] + 1;
    }
    return w;
}

}  // namespace

Forest fit_forest(const DenseMatrix& x, std::span<const double> y, std::span<const int> arm, int arms,
                  const ForestOptions& options) {
    if (x.rows != y.size() || y.size() != arm.size()) throw InternalError("forest: rows, outcomes and arms differ in length");
    if (x.rows > std::size_t{0xFFFFFFFF}) throw DataError("the forest takes at most 2^32 - 1 rows");
    check_data(y, arm, arms, options);
    Rng master(options.seed);
    const BinnedMatrix bins = bin_matrix(x, master.next(), options.threads);
    std::vector<float> yf(y.size());
    std::vector<std::uint8_t> arm8(arm.size());
    for (std::size_t i = 0; i < y.size(); ++i) {
        yf[i] = static_cast<float>(y[i]);
        arm8[i] = static_cast<std::uint8_t>(arm[i]);
    }
    // Every tree's seed is drawn before the trees are grown, so a tree's draws do not depend on the threads.
    std::vector<std::uint64_t> seeds(static_cast<std::size_t>(options.trees));
    for (auto& s : seeds) s = master.next();

    const GrowthInput input{bins, yf, arm8, arms};
    const TreeSettings settings{.criterion = options.criterion,
                                .max_depth = options.max_depth,
                                .min_samples_leaf = std::max(1, options.min_samples_leaf),
                                .shrinkage = {.n_reg = options.n_reg, .min_samples_treatment = options.min_samples_treatment},
                                .feature_fraction = options.feature_fraction};
    Forest forest;
    forest.criterion = options.criterion;
    forest.arms = arms;
    forest.features = static_cast<int>(x.cols);
    forest.trees.resize(seeds.size());
    std::vector<std::vector<double>> gains(seeds.size(), std::vector<double>(x.cols, 0.0));
    for_each_part(seeds.size(), thread_limit(options.threads), [&](std::size_t t) {
        Rng rng(seeds[t]);
        std::vector<std::uint32_t> split_rows, estimate_rows;
        // One 64-bit draw decides four rows, 16 bits each: the low 15 keep the row with probability
        // row_subsample (to 1/32768), the top one sends a kept row to the estimation half when honest.
        // Without a branch on the draw (it would be mispredicted a third of the time): every row is written to
        // the split list, which advances only over the rows it keeps.
        const auto keep_below = static_cast<std::uint64_t>(std::llround(options.row_subsample * 32768.0));
        const std::uint64_t honest = options.honest ? 1 : 0;
        split_rows.resize(x.rows);
        if (options.honest) estimate_rows.resize(x.rows);  // without honesty it stays empty: no second list
        std::uint32_t* const estimate_out = options.honest ? estimate_rows.data() : split_rows.data();
        std::size_t n_split = 0, n_estimate = 0;
        std::uint64_t word = 0;
        for (std::size_t r = 0; r < x.rows; ++r) {
            if (r % 4 == 0) word = rng.next();
            const std::uint64_t bits = (word >> (16 * (r % 4))) & 0xFFFF;
            const std::uint64_t keep = (bits & 0x7FFF) < keep_below ? 1 : 0;
            const std::uint64_t to_estimate = keep & honest & (bits >> 15);
            split_rows[n_split] = static_cast<std::uint32_t>(r);
            if (to_estimate != 0) estimate_out[n_estimate] = static_cast<std::uint32_t>(r);  // never without honesty
            n_split += keep & ~to_estimate & 1;
            n_estimate += to_estimate;
        }
        split_rows.resize(n_split);
        estimate_rows.resize(n_estimate);
        forest.trees[t] = grow_tree(input, std::move(split_rows), std::move(estimate_rows), settings, rng, gains[t]);
    });
    forest.gain.assign(x.cols, 0.0);
    for (const auto& g : gains) {
        for (std::size_t f = 0; f < g.size(); ++f) forest.gain[f] += g[f];
    }
    return forest;
}

std::vector<std::vector<double>> predict_arms(const Forest& forest, const DenseMatrix& x, int threads) {
    if (x.cols != static_cast<std::size_t>(forest.features)) {
        throw ModelError(fmt::format("the forest expects {} inputs, the data has {}", forest.features, x.cols));
    }
    const auto arms = static_cast<std::size_t>(forest.arms);
    std::vector<std::vector<double>> out(arms, std::vector<double>(x.rows, 0.0));
    if (forest.trees.empty() || x.rows == 0) return out;
    constexpr std::size_t block = 2048;
    const std::size_t parts = (x.rows + block - 1) / block;
    const double scale = 1.0 / static_cast<double>(forest.trees.size());
    std::vector<Walk> walks;
    walks.reserve(forest.trees.size());
    for (const Tree& tree : forest.trees) walks.push_back(walk_of(tree));
    // Each row sums its trees in tree order, whichever thread scores it.
    for_each_part(parts, thread_limit(threads), [&](std::size_t p) {
        const std::size_t begin = p * block, end = std::min(x.rows, begin + block);
        for (std::size_t t = 0; t < walks.size(); ++t) {
            const WalkNode* nodes = walks[t].nodes.data();
            const double* means = forest.trees[t].mean.data();
            // Eight rows walk side by side and no step branches on the data: the walks' loads overlap, and
            // there is no mispredicted branch per level.
            constexpr std::size_t lanes = 8;
            for (std::size_t r0 = begin; r0 < end; r0 += lanes) {
                const std::size_t width = std::min(lanes, end - r0);
                std::int32_t at[lanes] = {};
                for (int step = 0; step < walks[t].depth; ++step) {
                    for (std::size_t l = 0; l < width; ++l) {
                        const WalkNode& n = nodes[at[l]];
                        const float v = x.values[(r0 + l) * x.cols + (n.feature_missing >> 1)];
                        const auto go_left = static_cast<std::uint32_t>(v <= n.threshold) |
                                             (static_cast<std::uint32_t>(v != v) & n.feature_missing);
                        at[l] = go_left != 0 ? n.left : n.right;
                    }
                }
                for (std::size_t l = 0; l < width; ++l) {
                    const double* mean = means + static_cast<std::size_t>(at[l]) * arms;
                    for (std::size_t a = 0; a < arms; ++a) out[a][r0 + l] += mean[a];
                }
            }
        }
        for (std::size_t a = 0; a < arms; ++a) {
            for (std::size_t r = begin; r < end; ++r) out[a][r] *= scale;
        }
    });
    return out;
}

}  // namespace uplift::model::forest
