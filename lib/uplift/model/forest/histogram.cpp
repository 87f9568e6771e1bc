#include "uplift/model/forest/histogram.hpp"

#include <algorithm>

namespace uplift::model::forest {

Histogram::Histogram(std::size_t features, int arms)
    : features_(features), arms_(static_cast<std::size_t>(arms)), cells_(features * bin_stride * arms_) {}

std::vector<ArmSum> Histogram::totals() const {
    std::vector<ArmSum> out(arms_);
    if (features_ == 0) return out;
    for (std::size_t b = 0; b < bin_stride; ++b) {
        const ArmSum* cell = cells_.data() + b * arms_;
        for (std::size_t a = 0; a < arms_; ++a) {
            out[a].n += cell[a].n;
            out[a].sum += cell[a].sum;
        }
    }
    return out;
}

void Histogram::build(const BinnedMatrix& bins, std::span<const std::uint32_t> rows, std::span<const RowTarget> targets) {
    std::fill(cells_.begin(), cells_.end(), ArmSum{});
    const std::size_t n = rows.size();
    for (std::size_t f = 0; f < features_; ++f) {
        const std::uint8_t* column = bins.column(f).data();
        ArmSum* h = cells_.data() + f * bin_stride * arms_;
        for (std::size_t i = 0; i < n; ++i) {
            ArmSum& cell = h[column[rows[i]] * arms_ + targets[i].arm];
            cell.n += 1.0;
            cell.sum += targets[i].y;
        }
    }
}

void Histogram::subtract(const Histogram& other) {
    for (std::size_t i = 0; i < cells_.size(); ++i) {
        cells_[i].n -= other.cells_[i].n;
        cells_[i].sum -= other.cells_[i].sum;
    }
}

}  // namespace uplift::model::forest
