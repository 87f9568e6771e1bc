#include "uplift/model/forest/histogram.hpp"

#include <algorithm>

namespace uplift::model::forest {

Histogram::Histogram(const BinnedMatrix& bins, int arms)
    : bins_(bins), features_(bins.cols), arms_(static_cast<std::size_t>(arms)), cells_(features_ * bin_stride * arms_) {
    for (std::size_t f = 0; f < features_; ++f) used_.push_back(static_cast<std::size_t>(bins.value_bins(f) + 1) * arms_);
}

std::vector<ArmSum> Histogram::totals() const {
    std::vector<ArmSum> out(arms_);
    if (features_ == 0) return out;
    for (std::size_t b = 0; b < used_[0] / arms_; ++b) {
        const ArmSum* cell = cells_.data() + b * arms_;
        for (std::size_t a = 0; a < arms_; ++a) {
            out[a].n += cell[a].n;
            out[a].sum += cell[a].sum;
        }
    }
    return out;
}

void Histogram::build(std::span<const std::uint32_t> rows, std::span<const RowTarget> targets) {
    const BinnedMatrix& bins = bins_;
    const std::size_t n = rows.size();
    const std::size_t stride = bin_stride * arms_;
    // Consecutive rows often fall in the same bin (one-hot features have two): adding them to one cell makes
    // every add wait for the previous one. Four interleaved copies, merged at the end, keep four adds in flight.
    // The merge costs the copies' cells in use, so a feature is interleaved when it has at least twice as
    // many rows as that (always for one-hot features, whose 3 bins merge in a few adds).
    constexpr std::size_t copies = 4;
    // Zero outside build, and zeroed again by each merge: allocated once.
    if (partial_.size() < copies * stride) partial_.assign(copies * stride, ArmSum{});
    for (std::size_t f = 0; f < features_; ++f) {
        const std::uint8_t* column = bins.column(f).data();
        ArmSum* h = cells_.data() + f * stride;
        std::fill(h, h + used_[f], ArmSum{});
        std::size_t i = 0;
        if (n >= 2 * copies * used_[f]) {
            ArmSum* p = partial_.data();
            for (; i + copies <= n; i += copies) {
                for (std::size_t c = 0; c < copies; ++c) {
                    ArmSum& cell = p[c * stride + column[rows[i + c]] * arms_ + targets[i + c].arm];
                    cell.n += 1.0;
                    cell.sum += targets[i + c].y;
                }
            }
            // Only the feature's own bins were touched (the missing bin and its value bins).
            const std::size_t used = used_[f];
            for (std::size_t c = 0; c < copies; ++c) {
                for (std::size_t k = 0; k < used; ++k) {
                    h[k].n += p[c * stride + k].n;
                    h[k].sum += p[c * stride + k].sum;
                    p[c * stride + k] = ArmSum{};
                }
            }
        }
        for (; i < n; ++i) {
            ArmSum& cell = h[column[rows[i]] * arms_ + targets[i].arm];
            cell.n += 1.0;
            cell.sum += targets[i].y;
        }
    }
}

void Histogram::subtract(const Histogram& other) {
    const std::size_t stride = bin_stride * arms_;
    for (std::size_t f = 0; f < features_; ++f) {
        ArmSum* mine = cells_.data() + f * stride;
        const ArmSum* theirs = other.cells_.data() + f * stride;
        for (std::size_t i = 0; i < used_[f]; ++i) {
            mine[i].n -= theirs[i].n;
            mine[i].sum -= theirs[i].sum;
        }
    }
}

}  // namespace uplift::model::forest
