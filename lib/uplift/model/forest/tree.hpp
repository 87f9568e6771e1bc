#pragma once
/// One fitted uplift tree, as scoring walks it: nodes in preorder (root first, a node's left subtree before its
/// right), thresholds in the features' own units.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace uplift::model::forest {

struct Tree {
    int arms = 2;                          ///< control and the treated levels
    std::vector<std::int32_t> feature;     ///< split feature per node; -1 for a leaf
    std::vector<float> threshold;          ///< a value <= threshold goes left
    std::vector<std::uint8_t> missing_left;///< 1: a missing value goes left, 0: right
    std::vector<std::int32_t> left, right; ///< children of a split node (0 for a leaf)
    std::vector<double> count;             ///< per node, per arm: rows that estimated the node
    std::vector<double> mean;              ///< per node, per arm: expected outcome (shrunk toward the parent's)

    std::size_t nodes() const { return feature.size(); }

    /// The leaf the row (every feature's value, in order) falls in.
    std::size_t leaf_of(const float* row) const {
        std::size_t node = 0;
        while (feature[node] >= 0) {
            const float v = row[feature[node]];
            const bool go_left = std::isnan(v) ? missing_left[node] != 0 : v <= threshold[node];
            node = static_cast<std::size_t>(go_left ? left[node] : right[node]);
        }
        return node;
    }
};

}  // namespace uplift::model::forest
