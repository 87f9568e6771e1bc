#pragma once
/// Rows ranked once by descending score. Every metric is a pass over this order, so evaluating
/// all of them costs a single ranking (a linear-time radix sort) plus linear scans.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace uplift::eval {

class RankedScores;

namespace detail {
/// Leaves elements uninitialised on resize, so that the threads that fill a buffer also take its
/// page faults: at 10^7 rows fresh memory, not arithmetic, is most of the cost of ranking.
template <class T>
struct UninitializedAllocator : std::allocator<T> {
    template <class U>
    struct rebind {
        using other = UninitializedAllocator<U>;
    };
    UninitializedAllocator() = default;
    template <class U>
    UninitializedAllocator(const UninitializedAllocator<U>& /*other*/) noexcept {}
    template <class U>
    void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};
template <class T>
using Buffer = std::vector<T, UninitializedAllocator<T>>;

/// Ranks without validation; for scores derived from already-validated columns.
RankedScores rank_unchecked(std::span<const double> y, std::span<const std::uint8_t> treatment,
                            std::span<const double> score, int threads = 1);
}  // namespace detail

/// Rows in scikit-uplift's order: numpy.argsort(score, kind="mergesort")[::-1], i.e. descending
/// score and, among equal scores, the larger input row first. -0.0 ties with +0.0.
class RankedScores {
public:
    /// Validates the columns (see validate_inputs) and ranks them on up to `threads` threads
    /// (0 = one per core); the result does not depend on the thread count.
    RankedScores(std::span<const double> y, std::span<const std::uint8_t> treatment,
                 std::span<const double> score, int threads = 1);

    std::size_t size() const noexcept { return y_.size(); }
    std::int64_t n_treatment() const noexcept { return n_treatment_; }
    std::int64_t n_control() const noexcept { return static_cast<std::int64_t>(size()) - n_treatment_; }

    /// Outcome at each rank.
    std::span<const double> y() const noexcept { return y_; }
    /// Treatment flag (0/1) at each rank.
    std::span<const std::uint8_t> treatment() const noexcept { return treatment_; }
    /// Input row at each rank.
    std::span<const std::uint32_t> row() const noexcept { return row_; }
    /// Score at each rank, descending (-0.0 stored as +0.0).
    std::span<const double> score() const noexcept { return score_; }
    /// Whether the next rank has a different score, or this is the last rank: where curves have points.
    bool is_tie_end(std::size_t rank) const noexcept {
        return rank + 1 == score_.size() || score_[rank] != score_[rank + 1];
    }

private:
    struct Unchecked {};
    RankedScores(Unchecked, std::span<const double> y, std::span<const std::uint8_t> treatment,
                 std::span<const double> score, int threads);
    friend RankedScores detail::rank_unchecked(std::span<const double>, std::span<const std::uint8_t>,
                                               std::span<const double>, int);

    detail::Buffer<double> y_;
    detail::Buffer<std::uint8_t> treatment_;
    detail::Buffer<std::uint32_t> row_;
    detail::Buffer<double> score_;
    std::int64_t n_treatment_ = 0;
};

/// Rows ranked by scikit-uplift's perfect Qini score y*t - y*(1-t). Validates y and treatment.
RankedScores rank_perfect_qini(std::span<const double> y, std::span<const std::uint8_t> treatment);

/// Rows ranked by scikit-uplift's perfect uplift score 2*(y==t) + (y if #(y=1,t=0) > #(y=0,t=1)
/// else t). Validates y and treatment.
RankedScores rank_perfect_uplift(std::span<const double> y, std::span<const std::uint8_t> treatment);

namespace detail {
/// scikit-uplift's perfect Qini score of one row.
inline double perfect_qini_score(double y, std::uint8_t treatment) {
    const double t = treatment;
    return y * t - y * (1.0 - t);
}
/// scikit-uplift's perfect uplift score of one row, the summand fixed: y when `summand_is_outcome`, else t.
inline double perfect_uplift_score(double y, std::uint8_t treatment, bool summand_is_outcome) {
    const double t = treatment;
    return 2.0 * (y == t ? 1.0 : 0.0) + (summand_is_outcome ? y : t);
}
/// The perfect Qini score of each row.
std::vector<double> perfect_qini_scores(std::span<const double> y, std::span<const std::uint8_t> treatment);
/// The perfect uplift score of each row with the summand fixed: y when `summand_is_outcome`, else t.
std::vector<double> perfect_uplift_scores(std::span<const double> y, std::span<const std::uint8_t> treatment,
                                          bool summand_is_outcome);
/// scikit-uplift's choice of summand: #(y=1,t=0) > #(y=0,t=1).
bool perfect_uplift_summand_is_outcome(std::span<const double> y, std::span<const std::uint8_t> treatment);
/// The columns of a ranking back in input order.
struct InputOrder {
    std::vector<double> y;
    std::vector<std::uint8_t> treatment;
};
InputOrder input_order(const RankedScores& ranked);
/// The rows of `ranked` re-ranked by the perfect Qini score, without validating again.
RankedScores rerank_perfect_qini(const RankedScores& ranked);
/// The rows of `ranked` re-ranked by the perfect uplift score with the given summand.
RankedScores rerank_perfect_uplift(const RankedScores& ranked, bool summand_is_outcome);
/// The same with scikit-uplift's choice of summand.
RankedScores rerank_perfect_uplift(const RankedScores& ranked);
}  // namespace detail

}  // namespace uplift::eval
