#pragma once
/// Internal: the single pass behind every curve and area. Point values repeat scikit-uplift's
/// floating-point operations in the same order, so curves match it to the last bits.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "uplift/eval/metrics.hpp"
#include "uplift/eval/ranking.hpp"

namespace uplift::eval::detail {

enum class CurveKind { Qini, Uplift };

/// Gain after `n_all` rows of which `n_t` treated, with outcome sums `y_t` and `y_c`. A ratio with a
/// zero denominator counts as 0 (numpy.divide with where=).
inline double curve_value(CurveKind kind, double n_all, double n_t, double y_t, double y_c) {
    const double n_c = n_all - n_t;
    if (kind == CurveKind::Qini) {
        const double ratio = n_c != 0.0 ? n_t / n_c : 0.0;
        return y_t - y_c * ratio;
    }
    const double rate_t = n_t != 0.0 ? y_t / n_t : 0.0;
    const double rate_c = n_c != 0.0 ? y_c / n_c : 0.0;
    return (rate_t - rate_c) * n_all;
}

/// Every row counted once: the plain metric.
struct UnitWeight {
    double operator()(std::size_t /*rank*/) const noexcept { return 1.0; }
};

/// Calls visit(x, y) for (0,0) and then for each point of the curve: the last rank of every run of
/// equal scores. `weight(rank)` is how often the row at that rank counts (bootstrap resamples).
template <class Weight, class Visit>
void walk_curve(const RankedScores& ranked, CurveKind kind, const Weight& weight, Visit& visit) {
    const auto y = ranked.y();
    const auto t = ranked.treatment();
    const auto score = ranked.score();
    const std::size_t last = y.size() - 1;
    double n_all = 0.0;
    double n_t = 0.0;
    double y_t = 0.0;
    double y_c = 0.0;
    visit(0.0, 0.0);
    for (std::size_t i = 0; i < y.size(); ++i) {
        const double w = weight(i);
        const double treated = t[i];
        // Adds exact zeros for the other group, as scikit-uplift's cumulative sums do: branch-free
        // and bit-identical.
        n_all += w;
        n_t += w * treated;
        y_t += (w * treated) * y[i];
        y_c += (w * (1.0 - treated)) * y[i];
        if (i == last || score[i] != score[i + 1]) visit(n_all, curve_value(kind, n_all, n_t, y_t, y_c));
    }
}

/// Trapezoid area of a curve fed point by point (sklearn.metrics.auc on increasing x), summed with
/// Neumaier compensation so long curves lose no precision.
class TrapezoidArea {
public:
    void operator()(double x, double y) {
        if (started_) add(((x - x_) * (y + y_)) / 2.0);
        started_ = true;
        x_ = x;
        y_ = y;
    }
    double area() const noexcept { return sum_ + compensation_; }
    double end_x() const noexcept { return x_; }
    double end_y() const noexcept { return y_; }

private:
    void add(double v) {
        const double s = sum_ + v;
        compensation_ += std::abs(sum_) >= std::abs(v) ? (sum_ - s) + v : (v - s) + sum_;
        sum_ = s;
    }
    bool started_ = false;
    double x_ = 0.0;
    double y_ = 0.0;
    double sum_ = 0.0;
    double compensation_ = 0.0;
};

/// Keeps at most about `max_points` points of a curve for plotting: the first point of each of
/// max_points-1 equal slices of x, plus the end point.
class CurveThinner {
public:
    CurveThinner(double x_end, std::size_t max_points)
        : scale_(x_end > 0.0 ? static_cast<double>(max_points > 2 ? max_points - 2 : 1) / x_end : 0.0) {}
    void operator()(double x, double y) {
        const auto slice = static_cast<std::int64_t>(std::floor(x * scale_));
        if (slice > last_slice_) {
            curve_.x.push_back(x);
            curve_.y.push_back(y);
            last_slice_ = slice;
            pending_ = false;
        } else {
            pending_ = true;
            pending_x_ = x;
            pending_y_ = y;
        }
    }
    Curve finish() {
        if (pending_) {
            curve_.x.push_back(pending_x_);
            curve_.y.push_back(pending_y_);
            pending_ = false;
        }
        return std::move(curve_);
    }

private:
    double scale_;
    std::int64_t last_slice_ = -1;
    bool pending_ = false;
    double pending_x_ = 0.0;
    double pending_y_ = 0.0;
    Curve curve_;
};

/// Collects every point.
struct CurveCollector {
    Curve curve;
    void operator()(double x, double y) {
        curve.x.push_back(x);
        curve.y.push_back(y);
    }
};

/// Totals of one run of equal scores.
struct TieGroup {
    double score = 0.0;
    double n = 0.0;
    double n_t = 0.0;
    double y_t = 0.0;
    double y_c = 0.0;
};

/// Rows per (treatment, outcome) cell, index 2*t + y, when every outcome is 0 or 1.
inline std::optional<std::array<double, 4>> binary_cells(std::span<const double> y, std::span<const std::uint8_t> t) {
    std::array<std::size_t, 4> counts{};
    bool binary = true;
    for (std::size_t i = 0; i < y.size(); ++i) {
        const bool one = y[i] == 1.0;
        binary &= one || y[i] == 0.0;
        ++counts[2 * std::size_t{t[i]} + (one ? 1 : 0)];
    }
    if (!binary) return std::nullopt;
    return std::array<double, 4>{static_cast<double>(counts[0]), static_cast<double>(counts[1]),
                                 static_cast<double>(counts[2]), static_cast<double>(counts[3])};
}

/// Runs of equal perfect score, best first, from the cells of binary outcomes: the perfect curves
/// then need no ranking and no memory per row. Their sums are integers, exact in any order.
inline std::vector<TieGroup> perfect_groups(const std::array<double, 4>& cells, CurveKind kind) {
    // scikit-uplift's summand: control responders outnumber treated non-responders.
    const bool summand_is_outcome = cells[1] > cells[2];
    std::vector<TieGroup> groups;
    for (std::uint8_t t = 0; t < 2; ++t) {
        for (int outcome = 0; outcome < 2; ++outcome) {
            const double n = cells[2 * std::size_t{t} + static_cast<std::size_t>(outcome)];
            if (n == 0.0) continue;
            const double y = outcome;
            const double score = kind == CurveKind::Qini ? perfect_qini_score(y, t)
                                                         : perfect_uplift_score(y, t, summand_is_outcome);
            auto it = std::find_if(groups.begin(), groups.end(), [score](const TieGroup& g) { return g.score == score; });
            if (it == groups.end()) it = groups.insert(groups.end(), TieGroup{score});
            it->n += n;
            it->n_t += t * n;
            it->y_t += t * y * n;
            it->y_c += (1 - t) * y * n;
        }
    }
    std::sort(groups.begin(), groups.end(), [](const TieGroup& a, const TieGroup& b) { return a.score > b.score; });
    return groups;
}

/// walk_curve over runs of ties given by their totals.
template <class Visit>
void walk_groups(std::span<const TieGroup> groups, CurveKind kind, Visit& visit) {
    double n_all = 0.0;
    double n_t = 0.0;
    double y_t = 0.0;
    double y_c = 0.0;
    visit(0.0, 0.0);
    for (const TieGroup& g : groups) {
        n_all += g.n;
        n_t += g.n_t;
        y_t += g.y_t;
        y_c += g.y_c;
        visit(n_all, curve_value(kind, n_all, n_t, y_t, y_c));
    }
}

/// Walks the perfect Qini (kind Qini, negative effects included) or perfect uplift curve of rows
/// given in input order: from cell totals for binary outcomes, else by ranking the perfect scores.
template <class Visit>
void walk_perfect_curve(std::span<const double> y, std::span<const std::uint8_t> t, CurveKind kind, Visit& visit,
                        int threads = 1) {
    if (const auto cells = binary_cells(y, t)) {
        const std::vector<TieGroup> groups = perfect_groups(*cells, kind);
        walk_groups(std::span<const TieGroup>(groups), kind, visit);
        return;
    }
    const std::vector<double> score = kind == CurveKind::Qini
                                          ? perfect_qini_scores(y, t)
                                          : perfect_uplift_scores(y, t, perfect_uplift_summand_is_outcome(y, t));
    walk_curve(rank_unchecked(y, t, score, threads), kind, UnitWeight{}, visit);
}

/// (actual - random) / (perfect - random), the random line running from (0,0) to the perfect
/// curve's end. NaN or infinite when the perfect curve has no area over the random line.
inline double normalised_area(double actual_area, double perfect_area, double end_x, double end_y) {
    const double random_area = (end_x * end_y) / 2.0;
    return (actual_area - random_area) / (perfect_area - random_area);
}

/// The perfect Qini curve without negative effects: (0,0), (r,r), (n,r), r = Y_t - N_t * Y_c / N_c.
Curve no_negative_effect_qini_curve(std::span<const double> y, std::span<const std::uint8_t> treatment);

}  // namespace uplift::eval::detail
