#pragma once
/// Internal: one bootstrap resample of a ranking and the headline metrics on it. The plain bootstrap
/// (bootstrap.hpp) measures one ranking per resample; the paired one (paired_bootstrap.hpp) measures two
/// rankings of the same rows on the same resample, so their difference carries no resampling noise of its own.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "uplift/eval/ranking.hpp"

namespace uplift::eval::detail {

/// The seed of each replicate: the r-th output of Rng(seed). One seed per replicate makes replicates
/// independent of each other, hence of how they are spread over threads.
std::vector<std::uint64_t> replicate_seeds(std::uint64_t seed, std::size_t replicates);

/// Throws UsageError unless replicates >= 1, 0 < level < 1 and every k is in (0, 1].
void check_bootstrap_request(int replicates, double level, std::span<const double> ks);

/// Rows in the top k of each uplift@k (overall): int(rows * k).
std::vector<std::size_t> top_counts(std::size_t rows, std::span<const double> ks);

/// How many contiguous parts the replicates are cut into for `threads` (0 = one per core).
std::size_t replicate_parts(int threads, std::size_t rows, std::size_t replicates);

/// The ranks of the treated and of the control rows of a ranking, in rank order: what a resample draws from.
struct ResampleGroups {
    explicit ResampleGroups(const RankedScores& ranked);
    std::vector<std::size_t> treated;
    std::vector<std::size_t> control;
};

/// Metrics of one ranking on one resample; NaN where undefined (an empty group, no effect to normalise by).
struct ResampleValues {
    double qini_auc;    ///< qini_auc_score, negative_effect = true
    double uplift_auc;  ///< uplift_auc_score
    std::vector<double> uplift_at_k;  ///< uplift_at_k overall, one per top count
};

/// Where each rank of `other` sits in `reference`: both rank the same input rows.
std::vector<std::size_t> ranks_in(const RankedScores& reference, const RankedScores& other);

/// One thread's resampling state over `reference` (which must outlive it): the draw counts of each rank
/// and the perfect curves of the current resample, which depend only on the resampled rows, not on a ranking.
class Resampler {
public:
    /// `top_counts`: rows in the top k of each uplift@k, int(n * k).
    Resampler(const RankedScores& reference, const ResampleGroups& groups, std::span<const std::size_t> top_counts);
    ~Resampler();
    Resampler(const Resampler&) = delete;
    Resampler& operator=(const Resampler&) = delete;

    /// Draws a resample from Rng(seed): with replacement within each group (so n_t and n_c stay fixed),
    /// treated ranks first, then control ranks.
    void draw(std::uint64_t seed);
    /// The metrics of the reference ranking on the current resample.
    ResampleValues values();
    /// The metrics of `other`, a ranking of the same rows, on the same resample; `to_reference` is
    /// ranks_in(reference, other).
    ResampleValues values(const RankedScores& other, std::span<const std::size_t> to_reference);

private:
    class PerfectReferences;
    template <class Weight>
    ResampleValues values_of(const RankedScores& ranked, const Weight& weight);

    const RankedScores& reference_;
    const ResampleGroups& groups_;
    std::span<const std::size_t> top_counts_;
    std::vector<std::uint32_t> counts_;
    std::unique_ptr<PerfectReferences> perfect_;
};

}  // namespace uplift::eval::detail
