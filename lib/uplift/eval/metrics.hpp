#pragma once
/// Uplift metrics with the exact conventions of scikit-uplift 0.5.1 (see docs/architecture.md, "Conventions
/// the code relies on", and tests/data/metric_vectors.json). Each function comes twice: on raw columns, which validates
/// and ranks them, and on a RankedScores, so that many metrics share one ranking.
///
/// Where scikit-uplift returns NaN (an empty group), these return std::nullopt.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "uplift/artifacts/evaluation.hpp"
#include "uplift/eval/ranking.hpp"

namespace uplift::eval {

/// How the top of the ranking is taken: over all rows, or separately within each group.
enum class Strategy { Overall, ByGroup };

// Curves and percentile rows are part of the evaluation artifact (artifacts/evaluation.hpp).
using artifacts::Curve;
using artifacts::PercentileRow;

/// Uplift among the top k fraction of rows: mean(y | treated) - mean(y | control). Overall takes
/// the top int(n*k) rows; ByGroup the top int(n_t*k) treated and int(n_c*k) control rows.
/// Throws uplift::UsageError unless 0 < k <= 1.
std::optional<double> uplift_at_k(std::span<const double> y, std::span<const std::uint8_t> treatment,
                                  std::span<const double> score, double k, Strategy strategy);
std::optional<double> uplift_at_k(const RankedScores& ranked, double k, Strategy strategy);

/// Qini curve: y = Y_t - Y_c * N_t / N_c at each score change, (0,0) prepended.
Curve qini_curve(std::span<const double> y, std::span<const std::uint8_t> treatment, std::span<const double> score);
Curve qini_curve(const RankedScores& ranked);

/// Best achievable Qini curve. Without negative effects it is (0,0), (r,r), (n,r) with
/// r = Y_t - N_t * Y_c / N_c.
Curve perfect_qini_curve(std::span<const double> y, std::span<const std::uint8_t> treatment,
                         bool negative_effect = true);
/// From rows already ranked by rank_perfect_qini (ignored when !negative_effect, which needs only totals).
Curve perfect_qini_curve(const RankedScores& perfect_ranked, bool negative_effect = true);

/// Uplift curve: y = (Y_t / N_t - Y_c / N_c) * N at each score change, (0,0) prepended.
Curve uplift_curve(std::span<const double> y, std::span<const std::uint8_t> treatment,
                   std::span<const double> score);
Curve uplift_curve(const RankedScores& ranked);

/// Best achievable uplift curve.
Curve perfect_uplift_curve(std::span<const double> y, std::span<const std::uint8_t> treatment);
/// From rows already ranked by rank_perfect_uplift.
Curve perfect_uplift_curve(const RankedScores& perfect_ranked);

/// Area between the Qini curve and the random line, over the same for the perfect curve.
/// Throws uplift::DataError where the score is undefined: the perfect curve has no area above
/// the random line (no effect in the data), or, with !negative_effect, the overall effect is
/// negative (scikit-uplift raises ValueError there).
double qini_auc_score(std::span<const double> y, std::span<const std::uint8_t> treatment,
                      std::span<const double> score, bool negative_effect = true);
double qini_auc_score(const RankedScores& ranked, bool negative_effect = true);

/// Normalised area under the uplift curve, as qini_auc_score. Throws uplift::DataError where undefined.
double uplift_auc_score(std::span<const double> y, std::span<const std::uint8_t> treatment,
                        std::span<const double> score);
double uplift_auc_score(const RankedScores& ranked);

/// Response rates and uplift per bin of the ranking (numpy.array_split: the first n % bins bins get
/// one row more), then a "total" row. std = sqrt(p(1-p)/n) per group.
/// Throws uplift::UsageError unless 1 <= bins <= n.
std::vector<PercentileRow> uplift_by_percentile(std::span<const double> y, std::span<const std::uint8_t> treatment,
                                                std::span<const double> score, int bins = 10,
                                                Strategy strategy = Strategy::Overall);
std::vector<PercentileRow> uplift_by_percentile(const RankedScores& ranked, int bins = 10,
                                                Strategy strategy = Strategy::Overall);

/// Mean of the per-bin uplift weighted by each bin's treated count; empty when any bin lacks a group.
std::optional<double> weighted_average_uplift(std::span<const double> y, std::span<const std::uint8_t> treatment,
                                              std::span<const double> score, int bins = 10,
                                              Strategy strategy = Strategy::Overall);
std::optional<double> weighted_average_uplift(const RankedScores& ranked, int bins = 10,
                                              Strategy strategy = Strategy::Overall);
/// From the rows of uplift_by_percentile (a trailing "total" row is ignored).
std::optional<double> weighted_average_uplift(std::span<const PercentileRow> rows);

}  // namespace uplift::eval
