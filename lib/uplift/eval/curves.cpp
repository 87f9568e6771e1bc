// Qini and uplift curves, their perfect references and normalised areas.

#include <cmath>

#include <fmt/format.h>

#include "uplift/core/errors.hpp"
#include "uplift/eval/curve_walk.hpp"
#include "uplift/eval/metrics.hpp"
#include "uplift/eval/validation.hpp"

namespace uplift::eval {

namespace {

Curve collect(const RankedScores& ranked, detail::CurveKind kind) {
    detail::CurveCollector collector;
    detail::walk_curve(ranked, kind, detail::UnitWeight{}, collector);
    return std::move(collector.curve);
}

detail::TrapezoidArea area_of(const RankedScores& ranked, detail::CurveKind kind) {
    detail::TrapezoidArea area;
    detail::walk_curve(ranked, kind, detail::UnitWeight{}, area);
    return area;
}

double require_defined(double score, const char* name) {
    if (!std::isfinite(score)) {
        throw DataError(fmt::format(
            "{} is undefined: the perfect curve encloses no area above the random line "
            "(the data show no uplift to rank)",
            name));
    }
    return score;
}

}  // namespace

namespace detail {

Curve no_negative_effect_qini_curve(std::span<const double> y, std::span<const std::uint8_t> treatment) {
    double sum_t = 0.0;
    double sum_c = 0.0;
    double n_t = 0.0;
    for (std::size_t i = 0; i < y.size(); ++i) {
        (treatment[i] != 0 ? sum_t : sum_c) += y[i];
        n_t += treatment[i];
    }
    const auto n = static_cast<double>(y.size());
    const double r = sum_t - n_t * sum_c / (n - n_t);
    return Curve{{0.0, r, n}, {0.0, r, r}};
}

}  // namespace detail

Curve qini_curve(const RankedScores& ranked) { return collect(ranked, detail::CurveKind::Qini); }

Curve qini_curve(std::span<const double> y, std::span<const std::uint8_t> treatment, std::span<const double> score) {
    return qini_curve(RankedScores(y, treatment, score));
}

Curve uplift_curve(const RankedScores& ranked) { return collect(ranked, detail::CurveKind::Uplift); }

Curve uplift_curve(std::span<const double> y, std::span<const std::uint8_t> treatment,
                   std::span<const double> score) {
    return uplift_curve(RankedScores(y, treatment, score));
}

Curve perfect_qini_curve(const RankedScores& perfect_ranked, bool negative_effect) {
    if (!negative_effect) {
        return detail::no_negative_effect_qini_curve(perfect_ranked.y(), perfect_ranked.treatment());
    }
    return collect(perfect_ranked, detail::CurveKind::Qini);
}

Curve perfect_qini_curve(std::span<const double> y, std::span<const std::uint8_t> treatment, bool negative_effect) {
    if (!negative_effect) {
        validate_inputs(y, treatment);
        return detail::no_negative_effect_qini_curve(y, treatment);
    }
    validate_inputs(y, treatment);
    detail::CurveCollector collector;
    detail::walk_perfect_curve(y, treatment, detail::CurveKind::Qini, collector);
    return std::move(collector.curve);
}

Curve perfect_uplift_curve(const RankedScores& perfect_ranked) {
    return collect(perfect_ranked, detail::CurveKind::Uplift);
}

Curve perfect_uplift_curve(std::span<const double> y, std::span<const std::uint8_t> treatment) {
    validate_inputs(y, treatment);
    detail::CurveCollector collector;
    detail::walk_perfect_curve(y, treatment, detail::CurveKind::Uplift, collector);
    return std::move(collector.curve);
}

namespace {

double qini_auc_of(const RankedScores& ranked, std::span<const double> y, std::span<const std::uint8_t> treatment,
                   bool negative_effect) {
    const double actual = area_of(ranked, detail::CurveKind::Qini).area();
    detail::TrapezoidArea perfect;
    if (negative_effect) {
        detail::walk_perfect_curve(y, treatment, detail::CurveKind::Qini, perfect);
    } else {
        const Curve perfect_curve = detail::no_negative_effect_qini_curve(y, treatment);
        const double r = perfect_curve.x[1];
        const double n = perfect_curve.x[2];
        // sklearn.metrics.auc refuses a non-monotone x: (0, r, n) is one unless 0 <= r <= n.
        if (r < 0.0) {
            throw DataError(fmt::format(
                "qini_auc_score with negative_effect=false is undefined: the overall effect is negative "
                "(treated gain over the control rate r = {}); use negative_effect=true",
                r));
        }
        if (r > n) {
            throw DataError(fmt::format(
                "qini_auc_score with negative_effect=false is undefined: the overall gain r = {} exceeds "
                "the number of rows {}; use negative_effect=true",
                r, n));
        }
        for (std::size_t i = 0; i < perfect_curve.x.size(); ++i) perfect(perfect_curve.x[i], perfect_curve.y[i]);
    }
    return require_defined(detail::normalised_area(actual, perfect.area(), perfect.end_x(), perfect.end_y()),
                           "qini_auc_score");
}

double uplift_auc_of(const RankedScores& ranked, std::span<const double> y, std::span<const std::uint8_t> treatment) {
    const double actual = area_of(ranked, detail::CurveKind::Uplift).area();
    detail::TrapezoidArea perfect;
    detail::walk_perfect_curve(y, treatment, detail::CurveKind::Uplift, perfect);
    return require_defined(detail::normalised_area(actual, perfect.area(), perfect.end_x(), perfect.end_y()),
                           "uplift_auc_score");
}

}  // namespace

double qini_auc_score(const RankedScores& ranked, bool negative_effect) {
    const detail::InputOrder columns = detail::input_order(ranked);
    return qini_auc_of(ranked, columns.y, columns.treatment, negative_effect);
}

double qini_auc_score(std::span<const double> y, std::span<const std::uint8_t> treatment,
                      std::span<const double> score, bool negative_effect) {
    return qini_auc_of(RankedScores(y, treatment, score), y, treatment, negative_effect);
}

double uplift_auc_score(const RankedScores& ranked) {
    const detail::InputOrder columns = detail::input_order(ranked);
    return uplift_auc_of(ranked, columns.y, columns.treatment);
}

double uplift_auc_score(std::span<const double> y, std::span<const std::uint8_t> treatment,
                        std::span<const double> score) {
    return uplift_auc_of(RankedScores(y, treatment, score), y, treatment);
}

}  // namespace uplift::eval
