#pragma once
/// A node's histogram: per feature, per bin, per arm, the count and outcome sum of the node's rows. The split
/// search reads candidate splits off it by cumulating bins; a child's histogram is built only for the smaller
/// child, the larger one's is the parent's minus it (the subtraction trick).

#include <cstdint>
#include <span>
#include <vector>

#include "uplift/model/forest/binning.hpp"
#include "uplift/model/forest/criterion.hpp"

namespace uplift::model::forest {

/// A row's outcome and arm, gathered in the order of a node's rows so the build reads them sequentially.
struct RowTarget {
    float y = 0;
    std::uint32_t arm = 0;
};

class Histogram {
public:
    /// Bins per feature in the layout (one byte's worth: the missing bin and up to 255 value bins).
    static constexpr std::size_t bin_stride = 256;

    /// An empty histogram for the features of `bins`; only each feature's own bins are ever touched.
    Histogram(const BinnedMatrix& bins, int arms);

    /// The arms' sums of bin `bin` of feature `feature`.
    std::span<const ArmSum> at(std::size_t feature, int bin) const {
        return {cells_.data() + (feature * bin_stride + static_cast<std::size_t>(bin)) * arms_, arms_};
    }
    /// Per arm, the sums over every bin of feature 0 (every row of the node).
    std::vector<ArmSum> totals() const;

    /// Replaces the content with the sums of `rows` (indices into `bins`), whose outcomes and arms are
    /// `targets` (same order).
    void build(std::span<const std::uint32_t> rows, std::span<const RowTarget> targets);
    /// this −= other, cell by cell: the sibling of a child built from their parent.
    void subtract(const Histogram& other);

private:
    const BinnedMatrix& bins_;
    std::vector<std::size_t> used_;  ///< per feature: cells in use, (missing bin + value bins) × arms
    std::size_t features_;
    std::size_t arms_;
    std::vector<ArmSum> cells_;
    std::vector<ArmSum> partial_;  ///< build's interleaved copies of one feature
};

}  // namespace uplift::model::forest
