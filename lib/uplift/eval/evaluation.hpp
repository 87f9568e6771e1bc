#pragma once
/// Every uplift metric of one scored data set, computed from a single ranking of the rows.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "uplift/eval/bootstrap.hpp"
#include "uplift/eval/evaluate_params.hpp"
#include "uplift/eval/metrics.hpp"

namespace uplift::eval {

struct EvaluationOptions {
    /// Fractions for uplift@k, each in (0, 1].
    std::vector<double> ks{0.1, 0.2, 0.3};
    /// How each k is written in reports (e.g. as the user typed it); empty: shortest round-trip form.
    std::vector<std::string> k_labels;
    /// Bins of uplift_by_percentile and weighted_average_uplift: declared bounds, and at most n.
    int bins = evaluate_params::bins.default_value;
    /// Bootstrap replicates for confidence intervals; 0 = none.
    int bootstrap = evaluate_params::bootstrap.default_value;
    std::uint64_t seed = 42;
    double ci_level = 0.95;
    /// Worker threads, 0 = one per core. Results do not depend on it.
    int threads = 0;
};

/// A value under both strategies.
struct ByStrategy {
    std::optional<double> overall;
    std::optional<double> by_group;
};

struct UpliftAtK {
    double k = 0.0;
    std::string label;
    ByStrategy value;
};

struct Evaluation {
    std::int64_t n = 0;
    std::int64_t n_treatment = 0;
    std::int64_t n_control = 0;
    /// Normalised areas (qini with negative_effect = true); empty where undefined (no uplift in the data).
    std::optional<double> qini_auc;
    std::optional<double> uplift_auc;
    ByStrategy weighted_average_uplift;
    std::vector<UpliftAtK> uplift_at_k;
    /// Bins then the "total" row, Strategy::Overall.
    std::vector<PercentileRow> uplift_by_percentile;
    /// The same with Strategy::ByGroup.
    std::vector<PercentileRow> uplift_by_percentile_by_group;
    /// Curves thinned to at most max_curve_points for plotting; the exact ones come from qini_curve() etc.
    Curve qini_curve;
    Curve uplift_curve;
    Curve perfect_qini_curve;
    Curve perfect_uplift_curve;
    /// Straight lines from (0,0) to the end of the Qini and the uplift curve.
    Curve random_qini_curve;
    Curve random_uplift_curve;
    EvaluationOptions options;
    /// Present when options.bootstrap > 0.
    std::optional<BootstrapIntervals> ci;
};

/// Points kept per curve in an Evaluation.
inline constexpr std::size_t max_curve_points = 200;

/// Computes every metric. Throws uplift::DataError on bad columns (see validate_inputs) and
/// uplift::UsageError on bad options.
Evaluation evaluate(std::span<const double> y, std::span<const std::uint8_t> treatment, std::span<const double> score,
                    const EvaluationOptions& options = {});

/// The shortest text that reads back as `k` (0.3 -> "0.3").
std::string format_k(double k);

/// JSON document with n, n_treatment, n_control, qini_auc, uplift_auc, weighted_average_uplift,
/// uplift_at_k (keyed by k label), uplift_by_percentile, uplift_by_percentile_by_group, curves,
/// params and, when bootstrapped, ci. Undefined values are null.
std::string to_json(const Evaluation& evaluation);

/// A fixed-width summary for a terminal.
std::string to_text_table(const Evaluation& evaluation);

}  // namespace uplift::eval
