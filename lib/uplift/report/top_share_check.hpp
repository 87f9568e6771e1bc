#pragma once
/// What the randomised experiment says about targeting the top share of clients by score: the observed uplift
/// there and the share of treated purchases that would have happened anyway, with bootstrap ranges. This is
/// the evidence behind the uncertainty ranges of the business summary.

#include <cstdint>
#include <optional>

#include "uplift/eval/bootstrap.hpp"
#include "uplift/eval/metrics.hpp"
#include "uplift/eval/ranking.hpp"

namespace uplift::report {

struct TopShareCheck {
    double share = 0.0;        ///< of the ranked rows
    std::int64_t rows = 0;     ///< floor(n * share), as uplift@k (overall) takes them
    std::int64_t rows_treatment = 0;
    std::int64_t rows_control = 0;
    /// mean(y | treated) − mean(y | control) among those rows: eval::uplift_at_k(share, overall).
    std::optional<double> uplift;
    std::optional<eval::ConfidenceInterval> uplift_range;
    /// mean(y | control) / mean(y | treated), capped at 1: of the purchases an offer is paid on, the share that
    /// would have happened without it. Binary outcomes only.
    std::optional<double> useless_share;
    std::optional<eval::ConfidenceInterval> useless_share_range;
};

/// Checks the top `share` (0 < share <= 1) of `ranked`. Ranges come from `replicates` resamples within each
/// treatment group (as eval::bootstrap_intervals draws them, from Rng(seed)); none when replicates
/// is 0. `binary` enables the useless share.
TopShareCheck check_top_share(const eval::RankedScores& ranked, double share, bool binary, int replicates,
                              std::uint64_t seed, double level = 0.95);

/// The share of rows where the Qini curve peaks (x / n at its highest y); empty when it never rises above 0.
std::optional<double> qini_peak_share(const eval::Curve& qini, std::int64_t n);

}  // namespace uplift::report
