#pragma once
/// The paired bootstrap of a difference between two rankings of the same rows (a challenger model against the
/// champion it may replace). Each replicate resamples the rows once and measures both rankings on that one
/// resample, so the spread of (challenger − champion) is the spread of the difference itself: rows that make
/// both models look good or bad cancel out, and the interval is much narrower than two separate ones would
/// suggest.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "uplift/artifacts/evaluation.hpp"
#include "uplift/eval/ranking.hpp"

namespace uplift::eval {

using artifacts::ConfidenceInterval;

/// Percentile intervals of (challenger − champion); an entry is empty when no replicate had both defined.
struct PairedIntervals {
    double level = 0.95;
    int replicates = 0;
    std::optional<ConfidenceInterval> qini_auc;  ///< qini_auc_score, negative_effect = true
    std::vector<std::optional<ConfidenceInterval>> uplift_at_k;  ///< overall, one per k in the order given

    bool operator==(const PairedIntervals&) const = default;
};

/// Resamples the rows `replicates` times as bootstrap_intervals does (within treatment groups; replicate r
/// draws from Rng(s_r), s_r the r-th output of Rng(seed), over the challenger's ranks, treated rows first) and
/// takes each metric of both rankings on the same resample. Both must rank the same rows: the same outcome and
/// treatment at every input row (InternalError otherwise). Identical scores give a difference of exactly 0 in
/// every replicate. Runs on up to `threads` threads (0 = one per core) with the same result. Throws
/// UsageError unless replicates >= 1, 0 < level < 1 and every k is in (0, 1].
PairedIntervals paired_bootstrap(const RankedScores& champion, const RankedScores& challenger,
                                 std::span<const double> ks, int replicates, std::uint64_t seed, double level = 0.95,
                                 int threads = 1);

}  // namespace uplift::eval
