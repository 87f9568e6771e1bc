#pragma once
/// Growing one uplift tree on binned features: depth first, each node's best split read off its per-arm
/// histogram, children's histograms by the subtraction trick, rows partitioned in place (no sorting).

#include <cstdint>
#include <span>
#include <vector>

#include "uplift/core/random.hpp"
#include "uplift/model/forest/binning.hpp"
#include "uplift/model/forest/criterion.hpp"
#include "uplift/model/forest/tree.hpp"

namespace uplift::model::forest {

struct TreeSettings {
    Criterion criterion = Criterion::KL;
    int max_depth = 6;
    int min_samples_leaf = 100;     ///< rows (all arms) in each child, at least
    Shrinkage shrinkage;            ///< min_samples_treatment: rows of each arm in each child, at least
    double feature_fraction = 1.0;  ///< share of the features drawn for each node's split search
};

/// The training rows as the growth reads them (indices into `bins`).
struct GrowthInput {
    const BinnedMatrix& bins;
    std::span<const float> y;
    std::span<const std::uint8_t> arm;  ///< 0 = control, k = k-th treated level
    int arms = 2;
};

/// The best split of a node, if any split has a positive gain.
struct SplitChoice {
    int feature = -1;
    int bin = 0;             ///< bins 1..bin go left
    bool missing_left = false;
    double gain = 0;
};

/// Grows a tree whose splits are chosen on `split_rows` and whose node counts and means are estimated on
/// `estimate_rows` (the other half of the tree's sample when honest; empty: the split rows themselves, read off
/// the growth's own histograms). Adds each split's
/// gain × rows of its node to gain_by_feature.
Tree grow_tree(const GrowthInput& input, std::vector<std::uint32_t> split_rows, std::vector<std::uint32_t> estimate_rows,
               const TreeSettings& settings, Rng& rng, std::vector<double>& gain_by_feature);

}  // namespace uplift::model::forest
