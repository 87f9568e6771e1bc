#pragma once
/// Rows ranked once by descending score. Every metric is a pass over this order, so evaluating
/// all of them costs a single O(n log n) ranking plus linear scans.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace uplift::eval {

class RankedScores;

namespace detail {
/// Ranks without validation; for scores derived from already-validated columns.
RankedScores rank_unchecked(std::span<const double> y, std::span<const std::uint8_t> treatment,
                            std::span<const double> score);
}  // namespace detail

/// Rows in scikit-uplift's order: numpy.argsort(score, kind="mergesort")[::-1], i.e. descending
/// score and, among equal scores, the larger input row first. -0.0 ties with +0.0.
class RankedScores {
public:
    /// Validates the columns (see validate_inputs) and ranks them.
    RankedScores(std::span<const double> y, std::span<const std::uint8_t> treatment,
                 std::span<const double> score);

    std::size_t size() const noexcept { return y_.size(); }
    std::int64_t n_treatment() const noexcept { return n_treatment_; }
    std::int64_t n_control() const noexcept { return static_cast<std::int64_t>(size()) - n_treatment_; }

    /// Outcome at each rank.
    std::span<const double> y() const noexcept { return y_; }
    /// Treatment flag (0/1) at each rank.
    std::span<const std::uint8_t> treatment() const noexcept { return treatment_; }
    /// Input row at each rank.
    std::span<const std::uint32_t> row() const noexcept { return row_; }
    /// 1 where the next rank has a different score, and at the last rank: where curves have points.
    std::span<const std::uint8_t> tie_end() const noexcept { return tie_end_; }

private:
    struct Unchecked {};
    RankedScores(Unchecked, std::span<const double> y, std::span<const std::uint8_t> treatment,
                 std::span<const double> score);
    friend RankedScores detail::rank_unchecked(std::span<const double>, std::span<const std::uint8_t>,
                                               std::span<const double>);

    std::vector<double> y_;
    std::vector<std::uint8_t> treatment_;
    std::vector<std::uint32_t> row_;
    std::vector<std::uint8_t> tie_end_;
    std::int64_t n_treatment_ = 0;
};

/// Rows ranked by scikit-uplift's perfect Qini score y*t - y*(1-t). Validates y and treatment.
RankedScores rank_perfect_qini(std::span<const double> y, std::span<const std::uint8_t> treatment);

/// Rows ranked by scikit-uplift's perfect uplift score 2*(y==t) + (y if #(y=1,t=0) > #(y=0,t=1)
/// else t). Validates y and treatment.
RankedScores rank_perfect_uplift(std::span<const double> y, std::span<const std::uint8_t> treatment);

namespace detail {
/// The perfect Qini score of each row.
std::vector<double> perfect_qini_scores(std::span<const double> y, std::span<const std::uint8_t> treatment);
/// The perfect uplift score of each row with the summand fixed: y when `summand_is_outcome`, else t.
std::vector<double> perfect_uplift_scores(std::span<const double> y, std::span<const std::uint8_t> treatment,
                                          bool summand_is_outcome);
/// scikit-uplift's choice of summand: #(y=1,t=0) > #(y=0,t=1).
bool perfect_uplift_summand_is_outcome(std::span<const double> y, std::span<const std::uint8_t> treatment);
/// The rows of `ranked` re-ranked by the perfect Qini score, without validating again.
RankedScores rerank_perfect_qini(const RankedScores& ranked);
/// The rows of `ranked` re-ranked by the perfect uplift score with the given summand.
RankedScores rerank_perfect_uplift(const RankedScores& ranked, bool summand_is_outcome);
/// The same with scikit-uplift's choice of summand.
RankedScores rerank_perfect_uplift(const RankedScores& ranked);
}  // namespace detail

}  // namespace uplift::eval
