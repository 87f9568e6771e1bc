#include "uplift/model/forest/tree_growth.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "uplift/model/forest/histogram.hpp"

namespace uplift::model::forest {

namespace {

class Grower {
public:
    Grower(const GrowthInput& input, const TreeSettings& settings, Rng& rng, std::vector<double>& gain)
        : in_(input), s_(settings), rng_(rng), gain_(gain), arms_(static_cast<std::size_t>(input.arms)) {
        tree_.arms = input.arms;
        features_.resize(input.bins.cols);
        for (std::size_t f = 0; f < features_.size(); ++f) features_[f] = static_cast<int>(f);
    }

    /// estimate_rows empty: the split rows estimate the nodes too, as the growth saw them.
    Tree grow(std::vector<std::uint32_t> split_rows, std::vector<std::uint32_t> estimate_rows) {
        estimate_in_growth_ = estimate_rows.empty();
        rows_ = std::move(split_rows);
        auto root = acquire();
        gather(0, rows_.size());
        root->build(rows_, targets_);
        const auto totals = root->totals();
        std::vector<double> mean(arms_);
        for (std::size_t a = 0; a < arms_; ++a) mean[a] = totals[a].n > 0 ? totals[a].sum / totals[a].n : 0.0;
        grow_node(0, rows_.size(), 0, std::move(root), mean);
        if (!estimate_in_growth_) estimate(std::move(estimate_rows));
        return std::move(tree_);
    }

private:
    std::unique_ptr<Histogram> acquire() {
        if (pool_.empty()) return std::make_unique<Histogram>(in_.bins, in_.arms);
        auto h = std::move(pool_.back());
        pool_.pop_back();
        return h;
    }
    void release(std::unique_ptr<Histogram> h) { pool_.push_back(std::move(h)); }

    /// targets_[i] = outcome and arm of rows_[begin + i].
    void gather(std::size_t begin, std::size_t end) {
        targets_.resize(end - begin);
        for (std::size_t i = begin; i < end; ++i) targets_[i - begin] = {in_.y[rows_[i]], in_.arm[rows_[i]]};
    }

    bool goes_left(std::uint32_t row, int feature, int bin, bool missing_left) const {
        const std::uint8_t b = in_.bins.bins[static_cast<std::size_t>(feature) * in_.bins.rows + row];
        return b == 0 ? missing_left : b <= bin;
    }

    /// Stable in-place partition of rows[begin, end) by the split; returns the first right row.
    std::size_t partition(std::vector<std::uint32_t>& rows, std::size_t begin, std::size_t end, int feature, int bin,
                          bool missing_left) {
        scratch_.clear();
        std::size_t out = begin;
        for (std::size_t i = begin; i < end; ++i) {
            if (goes_left(rows[i], feature, bin, missing_left)) {
                rows[out++] = rows[i];
            } else {
                scratch_.push_back(rows[i]);
            }
        }
        std::copy(scratch_.begin(), scratch_.end(), rows.begin() + static_cast<std::ptrdiff_t>(out));
        return out;
    }

    /// The features this node may split on: a seeded draw of feature_fraction of them, in index order.
    std::span<const int> draw_features() {
        const std::size_t all = features_.size();
        const auto k = std::clamp<std::size_t>(static_cast<std::size_t>(std::lround(s_.feature_fraction * static_cast<double>(all))),
                                               1, all);
        if (k < all) {
            for (std::size_t i = 0; i < k; ++i) {
                std::swap(features_[i], features_[i + static_cast<std::size_t>(rng_.below(all - i))]);
            }
            std::sort(features_.begin(), features_.begin() + static_cast<std::ptrdiff_t>(k));
        }
        return {features_.data(), k};
    }

    SplitChoice best_split(const Histogram& h, std::span<const ArmSum> node, std::span<const double> node_mean) {
        SplitChoice best;
        std::vector<ArmSum>& left = left_buf_;
        std::vector<ArmSum>& right = right_buf_;
        std::vector<double>& left_mean = left_mean_buf_;
        std::vector<double>& right_mean = right_mean_buf_;
        left.resize(arms_);
        right.resize(arms_);
        left_mean.resize(arms_);
        right_mean.resize(arms_);
        std::vector<ArmSum> cum(arms_);
        const auto min_leaf = static_cast<double>(s_.min_samples_leaf);
        const auto min_arm = static_cast<double>(s_.shrinkage.min_samples_treatment);
        for (int f : draw_features()) {
            const int value_bins = in_.bins.value_bins(static_cast<std::size_t>(f));
            if (value_bins < 2) continue;
            const auto missing = h.at(static_cast<std::size_t>(f), 0);
            double missing_n = 0;
            for (const auto& m : missing) missing_n += m.n;
            std::fill(cum.begin(), cum.end(), ArmSum{});
            for (int b = 1; b < value_bins; ++b) {
                const auto cell = h.at(static_cast<std::size_t>(f), b);
                for (std::size_t a = 0; a < arms_; ++a) {
                    cum[a].n += cell[a].n;
                    cum[a].sum += cell[a].sum;
                }
                for (int side = 0; side < (missing_n > 0 ? 2 : 1); ++side) {
                    const bool missing_left = side == 1;
                    double n_left = 0, n_right = 0;
                    bool arms_ok = true;
                    for (std::size_t a = 0; a < arms_; ++a) {
                        left[a] = cum[a];
                        if (missing_left) {
                            left[a].n += missing[a].n;
                            left[a].sum += missing[a].sum;
                        }
                        right[a] = {node[a].n - left[a].n, node[a].sum - left[a].sum};
                        n_left += left[a].n;
                        n_right += right[a].n;
                        arms_ok = arms_ok && left[a].n >= min_arm && right[a].n >= min_arm;
                    }
                    if (!arms_ok || n_left < min_leaf || n_right < min_leaf) continue;
                    for (std::size_t a = 0; a < arms_; ++a) {
                        left_mean[a] = child_mean(left[a], node_mean[a], s_.shrinkage);
                        right_mean[a] = child_mean(right[a], node_mean[a], s_.shrinkage);
                    }
                    const SplitCandidate candidate{node, left, right, node_mean, left_mean, right_mean};
                    const double gain = split_gain(s_.criterion, candidate, best.gain);
                    if (gain > best.gain) best = {f, b, missing_left, gain};
                }
            }
        }
        return best;
    }

    std::size_t new_node() {
        tree_.feature.push_back(-1);
        tree_.threshold.push_back(0.0F);
        tree_.missing_left.push_back(0);
        tree_.left.push_back(0);
        tree_.right.push_back(0);
        split_bin_.push_back(0);
        return tree_.feature.size() - 1;
    }

    /// Grows the node on rows_[begin, end), whose histogram is `h` and means `mean`; returns its index.
    std::int32_t grow_node(std::size_t begin, std::size_t end, int depth, std::unique_ptr<Histogram> h,
                           const std::vector<double>& mean) {
        const std::size_t node = new_node();
        const auto totals = h->totals();
        double n = 0;
        for (const auto& t : totals) n += t.n;
        if (estimate_in_growth_) {
            for (std::size_t a = 0; a < arms_; ++a) {
                tree_.count.push_back(totals[a].n);
                tree_.mean.push_back(mean[a]);
            }
        }
        SplitChoice split;
        if (depth < s_.max_depth && n >= 2.0 * s_.min_samples_leaf) split = best_split(*h, totals, mean);
        if (split.feature < 0) {
            release(std::move(h));
            return static_cast<std::int32_t>(node);
        }
        const auto f = static_cast<std::size_t>(split.feature);
        tree_.feature[node] = split.feature;
        tree_.threshold[node] = in_.bins.cuts[f][static_cast<std::size_t>(split.bin - 1)];
        tree_.missing_left[node] = split.missing_left ? 1 : 0;
        split_bin_[node] = split.bin;
        gain_[f] += split.gain * n;

        // The children's sums and means, as the split search saw them.
        std::vector<ArmSum> cum(arms_);
        for (int b = 0; b <= split.bin; ++b) {
            if (b == 0 && !split.missing_left) continue;
            const auto cell = h->at(f, b);
            for (std::size_t a = 0; a < arms_; ++a) {
                cum[a].n += cell[a].n;
                cum[a].sum += cell[a].sum;
            }
        }
        std::vector<double> left_mean(arms_), right_mean(arms_);
        for (std::size_t a = 0; a < arms_; ++a) {
            left_mean[a] = child_mean(cum[a], mean[a], s_.shrinkage);
            right_mean[a] = child_mean({totals[a].n - cum[a].n, totals[a].sum - cum[a].sum}, mean[a], s_.shrinkage);
        }

        const std::size_t mid = partition(rows_, begin, end, split.feature, split.bin, split.missing_left);
        // Build the smaller child; the larger one is the parent minus it, in the parent's buffer.
        const bool left_smaller = mid - begin <= end - mid;
        auto small = acquire();
        if (left_smaller) {
            gather(begin, mid);
            small->build(std::span(rows_).subspan(begin, mid - begin), targets_);
        } else {
            gather(mid, end);
            small->build(std::span(rows_).subspan(mid, end - mid), targets_);
        }
        h->subtract(*small);
        auto left_h = left_smaller ? std::move(small) : std::move(h);
        auto right_h = left_smaller ? std::move(h) : std::move(small);
        const std::int32_t l = grow_node(begin, mid, depth + 1, std::move(left_h), left_mean);
        const std::int32_t r = grow_node(mid, end, depth + 1, std::move(right_h), right_mean);
        tree_.left[node] = l;
        tree_.right[node] = r;
        return static_cast<std::int32_t>(node);
    }

    /// Fills every node's per-arm counts and means from `rows`: the root's raw means, each child's shrunk
    /// toward its parent's as in the split search.
    void estimate(std::vector<std::uint32_t> rows) {
        tree_.count.assign(tree_.nodes() * arms_, 0.0);
        tree_.mean.assign(tree_.nodes() * arms_, 0.0);
        estimate_node(rows, 0, 0, rows.size(), {});
    }

    void estimate_node(std::vector<std::uint32_t>& rows, std::size_t node, std::size_t begin, std::size_t end,
                       std::span<const double> parent_mean) {
        std::vector<ArmSum> sums(arms_);
        for (std::size_t i = begin; i < end; ++i) {
            auto& s = sums[in_.arm[rows[i]]];
            s.n += 1.0;
            s.sum += in_.y[rows[i]];
        }
        double* mean = tree_.mean.data() + node * arms_;
        for (std::size_t a = 0; a < arms_; ++a) {
            tree_.count[node * arms_ + a] = sums[a].n;
            if (parent_mean.empty()) {
                mean[a] = sums[a].n > 0 ? sums[a].sum / sums[a].n : 0.0;
            } else {
                mean[a] = child_mean(sums[a], parent_mean[a], s_.shrinkage);
            }
        }
        if (tree_.feature[node] < 0) return;
        const std::size_t mid = partition(rows, begin, end, tree_.feature[node], split_bin_[node], tree_.missing_left[node] != 0);
        const std::vector<double> own(mean, mean + arms_);
        estimate_node(rows, static_cast<std::size_t>(tree_.left[node]), begin, mid, own);
        estimate_node(rows, static_cast<std::size_t>(tree_.right[node]), mid, end, own);
    }

    const GrowthInput& in_;
    const TreeSettings& s_;
    Rng& rng_;
    std::vector<double>& gain_;
    std::size_t arms_;
    Tree tree_;
    std::vector<int> split_bin_;
    bool estimate_in_growth_ = true;
    std::vector<int> features_;
    std::vector<std::uint32_t> rows_, scratch_;
    std::vector<RowTarget> targets_;
    std::vector<std::unique_ptr<Histogram>> pool_;
    std::vector<ArmSum> left_buf_, right_buf_;
    std::vector<double> left_mean_buf_, right_mean_buf_;
};

}  // namespace

Tree grow_tree(const GrowthInput& input, std::vector<std::uint32_t> split_rows, std::vector<std::uint32_t> estimate_rows,
               const TreeSettings& settings, Rng& rng, std::vector<double>& gain_by_feature) {
    Grower grower(input, settings, rng, gain_by_feature);
    return grower.grow(std::move(split_rows), std::move(estimate_rows));
}

}  // namespace uplift::model::forest
