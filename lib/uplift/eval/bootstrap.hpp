#pragma once
/// Bootstrap confidence intervals for the headline metrics, reproducible bit for bit from a seed.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "uplift/artifacts/evaluation.hpp"
#include "uplift/eval/ranking.hpp"

namespace uplift::eval {

using artifacts::BootstrapIntervals;
using artifacts::ConfidenceInterval;

/// The central `level` interval of `values` by numpy.percentile's linear interpolation. NaN values
/// (undefined replicates) are left out; empty when none is left.
std::optional<ConfidenceInterval> percentile_interval(std::vector<double> values, double level);

/// Resamples the rows `replicates` times with replacement within each treatment group (so n_t and
/// n_c stay fixed) and returns percentile intervals of qini_auc_score (negative_effect = true),
/// uplift_auc_score and uplift_at_k (overall) for each k. Replicate r draws from
/// Rng(s_r) (core/random.hpp), s_r being the r-th output of Rng(seed): treated rows first,
/// then control rows. A resample keeps the rows' ranking, duplicates adjacent. Runs on up to
/// `threads` threads (0 = one per core) with the same result. Throws uplift::UsageError unless
/// replicates >= 1, 0 < level < 1 and every k is in (0, 1].
BootstrapIntervals bootstrap_intervals(const RankedScores& ranked, std::span<const double> ks, int replicates,
                                       std::uint64_t seed, double level = 0.95, int threads = 1);

}  // namespace uplift::eval
