#include "uplift/eval/evaluation.hpp"

#include <charconv>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "uplift/core/errors.hpp"
#include "uplift/eval/curve_walk.hpp"
#include "uplift/eval/parallel.hpp"
#include "uplift/eval/validation.hpp"

namespace uplift::eval {

namespace {

void validate_options(const EvaluationOptions& options) {
    if (options.ks.empty()) throw UsageError("no k given for uplift@k");
    for (const double k : options.ks) validate_k(k);
    if (!options.k_labels.empty() && options.k_labels.size() != options.ks.size()) {
        throw UsageError(fmt::format("{} k labels given for {} values of k", options.k_labels.size(), options.ks.size()));
    }
    evaluate_param_table().check(options);
    if (!(options.ci_level > 0.0 && options.ci_level < 1.0)) {
        throw UsageError(fmt::format("confidence level must be in (0, 1), got {}", options.ci_level));
    }
    if (options.threads < 0) throw UsageError(fmt::format("threads must be 0 (all cores) or more, got {}", options.threads));
}

struct CurveResult {
    Curve thinned;
    detail::TrapezoidArea area;
};

// One pass yields both the exact area and the plotting points.
CurveResult walk(const RankedScores& ranked, detail::CurveKind kind) {
    detail::TrapezoidArea area;
    detail::CurveThinner thinner(static_cast<double>(ranked.size()), max_curve_points);
    auto both = [&](double x, double y) {
        area(x, y);
        thinner(x, y);
    };
    detail::walk_curve(ranked, kind, detail::UnitWeight{}, both);
    return CurveResult{thinner.finish(), area};
}

CurveResult walk_perfect(std::span<const double> y, std::span<const std::uint8_t> treatment, detail::CurveKind kind,
                         int threads) {
    detail::TrapezoidArea area;
    detail::CurveThinner thinner(static_cast<double>(y.size()), max_curve_points);
    auto both = [&](double x, double value) {
        area(x, value);
        thinner(x, value);
    };
    detail::walk_perfect_curve(y, treatment, kind, both, threads);
    return CurveResult{thinner.finish(), area};
}

std::optional<double> finite_or_none(double value) {
    if (!std::isfinite(value)) return std::nullopt;
    return value;
}

}  // namespace

std::string format_k(double k) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, k);
    return std::string(buffer, result.ptr);
}

Evaluation evaluate(std::span<const double> y, std::span<const std::uint8_t> treatment, std::span<const double> score,
                    const EvaluationOptions& options) {
    validate_options(options);
    validate_inputs(y, treatment, score);
    validate_bins(options.bins, y.size());
    const bool parallel = detail::thread_count(options.threads, y.size()) > 1;

    // The perfect curves need no ranking: they run while the rows are ranked.
    auto perfect = detail::start(parallel, [y, treatment, threads = options.threads] {
        return std::pair{walk_perfect(y, treatment, detail::CurveKind::Qini, threads),
                         walk_perfect(y, treatment, detail::CurveKind::Uplift, threads)};
    });
    const RankedScores ranked = detail::rank_unchecked(y, treatment, score, options.threads);
    auto curves = detail::start(parallel, [&ranked] {
        return std::pair{walk(ranked, detail::CurveKind::Qini), walk(ranked, detail::CurveKind::Uplift)};
    });

    Evaluation e;
    e.options = options;
    e.n = static_cast<std::int64_t>(ranked.size());
    e.n_treatment = ranked.n_treatment();
    e.n_control = ranked.n_control();

    for (std::size_t i = 0; i < options.ks.size(); ++i) {
        const double k = options.ks[i];
        e.uplift_at_k.push_back(UpliftAtK{
            k, options.k_labels.empty() ? format_k(k) : options.k_labels[i],
            ByStrategy{uplift_at_k(ranked, k, Strategy::Overall), uplift_at_k(ranked, k, Strategy::ByGroup)}});
    }

    e.uplift_by_percentile = uplift_by_percentile(ranked, options.bins, Strategy::Overall);
    e.uplift_by_percentile_by_group = uplift_by_percentile(ranked, options.bins, Strategy::ByGroup);
    e.weighted_average_uplift.overall = weighted_average_uplift(e.uplift_by_percentile);
    e.weighted_average_uplift.by_group = weighted_average_uplift(e.uplift_by_percentile_by_group);

    auto [qini, uplift] = curves.get();
    auto [best_qini, best_uplift] = perfect.get();
    e.qini_auc = finite_or_none(detail::normalised_area(qini.area.area(), best_qini.area.area(),
                                                        best_qini.area.end_x(), best_qini.area.end_y()));
    e.uplift_auc = finite_or_none(detail::normalised_area(uplift.area.area(), best_uplift.area.area(),
                                                          best_uplift.area.end_x(), best_uplift.area.end_y()));
    e.random_qini_curve = Curve{{0.0, qini.area.end_x()}, {0.0, qini.area.end_y()}};
    e.random_uplift_curve = Curve{{0.0, uplift.area.end_x()}, {0.0, uplift.area.end_y()}};
    e.qini_curve = std::move(qini.thinned);
    e.uplift_curve = std::move(uplift.thinned);
    e.perfect_qini_curve = std::move(best_qini.thinned);
    e.perfect_uplift_curve = std::move(best_uplift.thinned);

    if (options.bootstrap > 0) {
        e.ci = bootstrap_intervals(ranked, options.ks, options.bootstrap, options.seed, options.ci_level, options.threads);
    }
    return e;
}

}  // namespace uplift::eval

namespace uplift::eval {

Evaluation evaluate(const ScoredInput& input, const std::string& file, const EvaluationOptions& options) {
    try {
        return evaluate(input.y, input.treatment, input.score, options);
    } catch (const DataError& e) {
        throw DataError(fmt::format("'{}': {}", file, e.what()));
    }
}

}  // namespace uplift::eval
